package io.learnflow.pgk8s.db;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.learnflow.pgk8s.Pgk8sException;

/**
 * libpq's {@code sslmode} values, with libpq's meanings (libpq docs, 34.19.1 "Client Verification of Server
 * Certificates", table 34.1 "SSL Mode Descriptions"). pgjdbc takes the same six names.
 */
public enum SslMode {
    /** Never TLS. */
    DISABLE("disable"),
    /** Plain first, TLS if the server insists. */
    ALLOW("allow"),
    /** TLS first, plain if the server has no TLS: libpq's and pgjdbc's default. */
    PREFER("prefer"),
    /** TLS always; the certificate is checked only when a root certificate file exists (then as verify-ca). */
    REQUIRE("require"),
    /** TLS always; the server certificate must chain to the root certificate. */
    VERIFY_CA("verify-ca"),
    /** As verify-ca, and the host name must match the certificate. */
    VERIFY_FULL("verify-full");

    private final String libpqName;

    SslMode(String libpqName) {
        this.libpqName = libpqName;
    }

    /** The name libpq and pgjdbc use, for example {@code verify-full}. */
    public String libpqName() {
        return libpqName;
    }

    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }

    /** Parses a libpq name; anything else is bad input (exit 2) naming where it came from. */
    public static SslMode parse(String text, String source) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (SslMode mode : values()) {
            if (mode.libpqName.equals(wanted)) {
                return mode;
            }
        }
        throw Pgk8sException.badInput(source + " '" + text + "' is not an sslmode, use one of "
                + Arrays.stream(values()).map(SslMode::libpqName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return libpqName;
    }
}
