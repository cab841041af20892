package org.runbooks.stream.mariadb;

import org.runbooks.stream.SourceProblems;
import org.runbooks.stream.StreamSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a MariaDB source needs before a stream starts, each missing piece named with its fix: the binlog on
 * ({@code log_bin}), in rows ({@code binlog_format=ROW}) with every column ({@code binlog_row_image=FULL}), a user
 * that may read it as a replica ({@code REPLICATION SLAVE}, {@code BINLOG MONITOR} or {@code REPLICATION CLIENT}),
 * and the table with a primary key that holds the stream's key. A binlog expiry is a warning: a stream stopped longer
 * than that cannot resume.
 */
public final class MariaDbStreamChecks {

    private MariaDbStreamChecks() {
    }

    public static List<String> check(Connection c, StreamSpec spec) throws SQLException {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!"1".equals(variable(c, "log_bin")) && !"ON".equalsIgnoreCase(variable(c, "log_bin"))) {
            problems.add("the binlog is off: start MariaDB with --log-bin");
        }
        String format = variable(c, "binlog_format");
        if (!"ROW".equalsIgnoreCase(format)) {
            problems.add("binlog_format is " + format + ", a stream needs ROW: set global binlog_format = 'ROW' "
                    + "(and in the server's configuration)");
        }
        String image = variable(c, "binlog_row_image");
        if (!"FULL".equalsIgnoreCase(image)) {
            problems.add("binlog_row_image is " + image + ", a stream needs FULL (every column of every changed "
                    + "row): set global binlog_row_image = 'FULL'");
        }
        String grants = grants(c).toUpperCase(Locale.ROOT);
        if (!grants.contains("ALL PRIVILEGES") && !grants.contains("REPLICATION SLAVE")
                && !grants.contains("REPLICATION REPLICA")) {
            problems.add("the user of connection " + spec.sourceConnection() + " may not read the binlog: "
                    + "grant replication slave, binlog monitor on *.* to <user>");
        }
        tableChecks(c, spec, problems);
        String expire = variable(c, "binlog_expire_logs_seconds");
        if (expire != null && !"0".equals(expire)) {
            warnings.add("binlog files expire after " + expire + " s (binlog_expire_logs_seconds): a stream stopped "
                    + "longer than that cannot resume and must start again from a new backfill");
        }
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        return SourceProblems.warningsUnless(problems, spec, warnings);
    }

    private static void tableChecks(Connection c, StreamSpec spec, List<String> problems) throws SQLException {
        List<String> parts = SourceProblems.tableParts(spec, problems);
        if (parts == null) {
            return;
        }
        Set<String> primary = new LinkedHashSet<>();
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("select column_name, column_key from information_schema.columns"
                + " where table_schema = coalesce(?, database()) and table_name = ?")) {
            ps.setString(1, parts.size() == 2 ? parts.get(0) : null);
            ps.setString(2, parts.get(parts.size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                exists = false;
                while (rs.next()) {
                    exists = true;
                    if ("PRI".equals(rs.getString(2))) {
                        primary.add(rs.getString(1));
                    }
                }
            }
        }
        if (!exists) {
            problems.add("table " + spec.sourceTable() + " does not exist on " + spec.sourceConnection());
        } else if (primary.isEmpty()) {
            problems.add("table " + spec.sourceTable() + " has no primary key: add one on " + spec.key());
        } else if (!primary.containsAll(spec.key()) && !spec.key().containsAll(primary)) {
            problems.add("the primary key of " + spec.sourceTable() + " is " + primary + ", not the stream's key "
                    + spec.key());
        }
    }

    private static String variable(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select variable_value from information_schema.global_variables"
                + " where variable_name = ?")) {
            ps.setString(1, name.toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String grants(Connection c) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show grants")) {
            while (rs.next()) {
                all.append(rs.getString(1)).append('\n');
            }
        }
        return all.toString();
    }
}
