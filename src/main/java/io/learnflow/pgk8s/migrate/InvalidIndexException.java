package io.learnflow.pgk8s.migrate;

import java.util.List;

import org.flywaydb.core.api.FlywayException;

/** A migration outside a transaction left INVALID indexes: {@code made} by it, or {@code skipped} as existing. */
final class InvalidIndexException extends FlywayException {
    private static final long serialVersionUID = 1L;
    final String script;
    final List<InvalidIndexes.Index> made;
    final List<InvalidIndexes.Index> skipped;

    InvalidIndexException(String script, List<InvalidIndexes.Index> made, List<InvalidIndexes.Index> skipped) {
        super(script + " left INVALID indexes: " + InvalidIndexes.names(made) + ", skipped " + InvalidIndexes.names(skipped));
        this.script = script;
        this.made = made;
        this.skipped = skipped;
    }
}
