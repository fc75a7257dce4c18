package io.learnflow.pgk8s.migrate;

import java.util.List;

import org.flywaydb.core.api.FlywayException;

/** A migration outside a transaction left INVALID indexes: {@code made} by it, or {@code skipped} as existing. */
final class InvalidIndexException extends FlywayException {
    private static final long serialVersionUID = 1L;
    final String script;
    final List<String> made;
    final List<String> skipped;

    InvalidIndexException(String script, List<String> made, List<String> skipped) {
        super(script + " left INVALID indexes " + made + skipped);
        this.script = script;
        this.made = made;
        this.skipped = skipped;
    }
}
