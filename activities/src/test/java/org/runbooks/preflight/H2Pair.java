package org.runbooks.preflight;

import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.model.Runbook;
import org.runbooks.parse.RunbookParser;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Two fresh in-memory H2 databases that a registry resolves as {@code legacy} and {@code target}, plus any extra
 * connection a test adds (such as one whose URL leads nowhere).
 */
final class H2Pair implements AutoCloseable {

    static final String LEGACY = "legacy";
    static final String TARGET = "target";

    private final Map<String, String> urls = Map.of(LEGACY, url(LEGACY), TARGET, url(TARGET));
    private final List<ConnectionSettings> extra = new ArrayList<>();

    private static String url(String name) {
        return "jdbc:h2:mem:" + name + "_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    H2Pair with(String name, String url, String password) {
        extra.add(new ConnectionSettings(name, url, "sa", password));
        return this;
    }

    JdbcConnectionRegistry registry() {
        List<ConnectionSettings> all = new ArrayList<>(List.of(
                new ConnectionSettings(LEGACY, urls.get(LEGACY), "sa", ""),
                new ConnectionSettings(TARGET, urls.get(TARGET), "sa", "")));
        all.addAll(extra);
        return new JdbcConnectionRegistry(all);
    }

    /** Parses {@code yaml} against this pair's connection names, as the worker would. */
    Runbook runbook(String yaml) {
        return new RunbookParser(registry().names()).parse(yaml, "test.yaml");
    }

    PreflightReport preflight(String yaml) {
        return new Preflight(registry()).check(runbook(yaml));
    }

    void execute(String connection, String... statements) {
        try (Connection c = DriverManager.getConnection(urls.get(connection), "sa", "");
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every table and its row count on {@code connection}, to show that pre-flight changed nothing. */
    String snapshot(String connection) {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(urls.get(connection), "sa", "");
             Statement st = c.createStatement();
             ResultSet tables = st.executeQuery("select table_name from information_schema.tables"
                     + " where table_schema = 'public' order by table_name")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String name : names) {
                try (Statement count = c.createStatement();
                     ResultSet rs = count.executeQuery("select count(*) from \"" + name + "\"")) {
                    rs.next();
                    out.append(name).append('=').append(rs.getLong(1)).append(';');
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    @Override
    public void close() {
        execute(LEGACY, "shutdown");
        execute(TARGET, "shutdown");
    }
}
