package io.learnflow.pgk8s.migrate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;

import io.learnflow.pgk8s.Pgk8sException;

/** Checks a migration's text before anything runs, with Flyway's own PostgreSQL parser. */
final class ScriptChecks {
    /**
     * Statements that end, start or prepare a transaction (PostgreSQL's SQL commands reference). In a
     * transactional migration they commit half of it ({@code END} is {@code COMMIT}): the rest could then fail
     * and leave a half-applied migration that Flyway reports as rolled back. Savepoints are fine.
     */
    private static final Pattern TRANSACTION_CONTROL = Pattern.compile(
            "(BEGIN|START\\s+TRANSACTION|COMMIT|END|ROLLBACK(?!\\s+((WORK|TRANSACTION)\\s+)?TO\\b)|ABORT"
                    + "|PREPARE\\s+TRANSACTION)\\b.*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private ScriptChecks() {
    }

    /** The file's text; a file that is not UTF-8 (Flyway's encoding) is refused with the first bad byte's offset. */
    static String decode(String fileName, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw Pgk8sException.badInput("migration " + fileName + " is not valid UTF-8 at byte offset " + in.position()
                    + ": save it as UTF-8 and run migrate again");
        }
    }

    /** Refuses a transactional migration that holds its own transaction control. */
    static void refuseTransactionControl(String fileName, String sql, Configuration configuration) {
        for (SqlStatement statement : statements(sql, configuration)) {
            String text = withoutLeadingComments(statement.getSql());
            if (TRANSACTION_CONTROL.matcher(text).matches()) {
                String keyword = text.split("[\\s;]+", 2)[0].toUpperCase(Locale.ROOT);
                throw Pgk8sException.badInput("migration " + fileName + " line " + statement.getLineNumber()
                        + ": " + keyword + " controls the transaction that pgk8s runs the migration in; remove it"
                        + (keyword.equals("END") ? " (END is COMMIT in PostgreSQL)" : "") + ", or add " + fileName
                        + ".conf containing executeInTransaction=false");
            }
        }
    }

    /** PostgreSQL's comments nest ({@code /* a /* b *\/ c *\/}), so they are skipped by depth, not by a regex. */
    static String withoutLeadingComments(String sql) {
        int i = 0;
        while (i < sql.length()) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < sql.length());
            } else {
                break;
            }
        }
        return sql.substring(i);
    }

    /**
     * The statements Flyway's parser finds, up to the first it cannot parse: Flyway reports that one itself,
     * with its line, when the migration runs.
     */
    private static List<SqlStatement> statements(String sql, Configuration configuration) {
        List<SqlStatement> statements = new ArrayList<>();
        try (SqlStatementIterator iterator = new PostgreSQLParser(configuration, new ParsingContext())
                .parse(new StringResource(sql))) {
            while (iterator.hasNext()) {
                statements.add(iterator.next());
            }
        } catch (FlywayException e) {
            // keep what was parsed
        }
        return statements;
    }

}
