package io.learnflow.pgk8s.testing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Counts tokens as agents pay for them: OpenAI's cl100k_base, embedded in jtokkit. */
public final class Tokens {
    /** The spec's limit for a command's result (section "Token Efficiency Targets"). */
    public static final int RESULT_LIMIT = 40;
    private static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private Tokens() {
    }

    public static int count(String text) {
        return CL100K.countTokens(text);
    }
}
