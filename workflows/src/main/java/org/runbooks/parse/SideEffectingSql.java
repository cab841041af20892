package org.runbooks.parse;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what a read-only transaction does not stop in a query that should only read: functions that end or signal
 * other sessions, read or write server files, export large objects, reach other databases, run SQL given as text,
 * change settings, take locks that outlive the query, and MariaDB's {@code INTO OUTFILE}/{@code INTO DUMPFILE}.
 * String literals and comments are left out of the search, so a name or phrase inside text does not count; the
 * functions that run SQL given as text are refused themselves. This is a guard against mistakes and casual misuse,
 * not a sandbox: give checks a read-only role (see README) as well.
 */
final class SideEffectingSql {

    private static final Pattern CALL = Pattern.compile("(?i)\\b("
            + "pg_terminate_backend|pg_cancel_backend|pg_signal_backend|pg_reload_conf|pg_rotate_logfile"
            + "|pg_read_file|pg_read_binary_file|pg_ls_\\w+|pg_stat_file|pg_file_\\w+|lo_export|lo_import|lo_unlink"
            + "|lo_from_bytea|lo_put|dblink\\w*|postgres_fdw\\w*|query_to_xml\\w*|query_to_json\\w*|cursor_to_xml\\w*"
            + "|pg_advisory_\\w*lock\\w*|pg_try_advisory_\\w*|set_config|pg_notify|pg_logical_emit_message"
            + "|pg_switch_wal|pg_create_\\w*replication_slot|pg_drop_replication_slot|pg_promote"
            + "|pg_log_backend_memory_contexts|pg_copy_\\w*replication_slot|txid_current|nextval|setval"
            + "|load_file|get_lock|release_lock|release_all_locks|sys_exec|sys_eval"
            + ")\\s*\\(");
    private static final Pattern INTO_FILE = Pattern.compile("(?i)\\binto\\s+(outfile|dumpfile)\\b");
    private static final Pattern LITERALS_AND_COMMENTS = Pattern.compile(
            "'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\\n]*|/\\*.*?\\*/|`[^`]*`", Pattern.DOTALL);

    private SideEffectingSql() {
    }

    /** What in {@code sql} acts beyond reading, as a phrase for an error message; empty when nothing does. */
    static Optional<String> find(String sql) {
        String code = LITERALS_AND_COMMENTS.matcher(sql).replaceAll(" ");
        Matcher call = CALL.matcher(code);
        if (call.find()) {
            return Optional.of("calls " + call.group(1).toLowerCase(Locale.ROOT) + "()");
        }
        Matcher into = INTO_FILE.matcher(code);
        if (into.find()) {
            return Optional.of("writes a server file with INTO " + into.group(1).toUpperCase(Locale.ROOT));
        }
        return Optional.empty();
    }
}
