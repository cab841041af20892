package org.runbooks.stream.pg;

import org.runbooks.stream.SourceProblems;
import org.runbooks.stream.StreamNotPossibleException;
import org.runbooks.stream.StreamSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a PostgreSQL source needs before a stream starts, each missing piece named with its fix: logical decoding
 * ({@code wal_level=logical}), a free replication slot, a role that may replicate and create a publication, the
 * table with a primary key or a replica identity that covers the stream's key (otherwise deletes and updates carry
 * no key). An unlimited {@code max_slot_wal_keep_size} is a warning: a stream left behind keeps WAL without bound.
 */
public final class PgStreamChecks {

    private PgStreamChecks() {
    }

    /** Throws {@link StreamNotPossibleException} listing every problem; returns the warnings. */
    public static List<String> check(Connection c, StreamSpec spec) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String walLevel = setting(c, "wal_level");
        if (!"logical".equals(walLevel)) {
            problems.add("wal_level is " + walLevel + ", a stream needs logical: set wal_level = logical in "
                    + "postgresql.conf and restart the server");
        }
        if (!bool(c, "select rolreplication or rolsuper from pg_roles where rolname = current_user")) {
            problems.add("the role of connection " + spec.sourceConnection() + " may not replicate: "
                    + "alter role <it> with replication (or use a role that has it)");
        }
        if (!bool(c, "select has_database_privilege(current_database(), 'CREATE')")) {
            problems.add("the role of connection " + spec.sourceConnection() + " may not create a publication: "
                    + "grant create on database <it> to <role>");
        }
        String slotsLeft = single(c, "select current_setting('max_replication_slots')::int - "
                + "(select count(*) from pg_replication_slots)");
        if (Integer.parseInt(slotsLeft) <= 0) {
            problems.add("no replication slot is free (max_replication_slots = " + setting(c, "max_replication_slots")
                    + ", all in use): raise it, or drop an abandoned slot (select * from pg_replication_slots)");
        }
        tableChecks(c, spec, problems);
        String keep = setting(c, "max_slot_wal_keep_size");
        if ("-1".equals(keep)) {
            warnings.add("max_slot_wal_keep_size is unlimited: while the stream is stopped or behind, its slot keeps "
                    + "every WAL segment on the source's disk; set a limit, and watch runbook_stream_retained_bytes");
        } else if (keep != null) {
            warnings.add("max_slot_wal_keep_size is " + keep + ": a stream further behind than that loses its slot "
                    + "and must start again from a new backfill");
        }
        c.rollback();
        return SourceProblems.warningsUnless(problems, spec, warnings);
    }

    private static void tableChecks(Connection c, StreamSpec spec, List<String> problems) throws SQLException {
        List<String> parts = SourceProblems.tableParts(spec, problems);
        if (parts == null) {
            return;
        }
        String schema = parts.size() == 1 ? "public" : parts.get(0);
        String name = parts.get(parts.size() - 1);
        String identity;
        try (PreparedStatement ps = c.prepareStatement("select c.relreplident::text from pg_class c "
                + "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ? "
                + "and c.relkind in ('r', 'p')")) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    problems.add("table " + spec.sourceTable() + " does not exist on " + spec.sourceConnection());
                    return;
                }
                identity = rs.getString(1);
            }
        }
        Set<String> identityColumns = identityColumns(c, schema, name, identity);
        if ("n".equals(identity)) {
            problems.add("table " + spec.sourceTable() + " has replica identity nothing: updates and deletes carry "
                    + "no key; alter table " + spec.sourceTable() + " replica identity default (with a primary key)"
                    + " or full");
        } else if ("d".equals(identity) && identityColumns.isEmpty()) {
            problems.add("table " + spec.sourceTable() + " has no primary key, so updates and deletes carry no key: "
                    + "add a primary key on " + spec.key() + ", or alter table " + spec.sourceTable()
                    + " replica identity full");
        } else if (!"f".equals(identity) && !identityColumns.containsAll(spec.key())) {
            problems.add("the replica identity of " + spec.sourceTable() + " is " + identityColumns
                    + ", which does not hold the stream's key " + spec.key() + ": deletes would not say which row");
        }
    }

    /** The columns a delete carries: the primary key's for default identity, the index's for index identity. */
    private static Set<String> identityColumns(Connection c, String schema, String table, String identity)
            throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        String which = "i".equals(identity) ? "i.indisreplident" : "i.indisprimary";
        try (PreparedStatement ps = c.prepareStatement("select a.attname from pg_index i "
                + "join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace "
                + "join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey) "
                + "where n.nspname = ? and c.relname = ? and " + which)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select current_setting(?, true)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        return "t".equals(single(c, sql)) || "true".equals(single(c, sql));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
