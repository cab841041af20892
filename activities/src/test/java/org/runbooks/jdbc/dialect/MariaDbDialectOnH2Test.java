package org.runbooks.jdbc.dialect;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link MariaDbDialect}'s statements on H2 in MySQL mode, which reads backticks and
 * {@code on duplicate key update ... values()} as MariaDB does: the spelled-out composite key comparison must visit
 * every key once, in order, with its arguments bound as {@link Dialect#keyArguments} says. The index use it exists
 * for is MariaDB's own, and is measured against a real server by {@code MariaDbBackfillIT}.
 */
class MariaDbDialectOnH2Test {

    private final Dialect dialect = new MariaDbDialect();
    private final List<String> key = List.of("tenant", "id");
    private Connection db;

    @BeforeEach
    void createTable() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:mariadb-dialect;MODE=MySQL;DATABASE_TO_LOWER=TRUE");
        try (Statement st = db.createStatement()) {
            st.execute("create table orders (tenant varchar(20), id bigint, note varchar(50), primary key (tenant, id))");
        }
        try (PreparedStatement ps = db.prepareStatement("insert into orders values (?, ?, ?)")) {
            for (int id = 1; id <= 1000; id++) {
                ps.setString(1, "t" + id % 7);
                ps.setLong(2, id);
                ps.setString(3, "note " + id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute("drop all objects");
        }
        db.close();
    }

    @Test
    void keysetChunksOverACompositeKeyVisitEveryRowOnceInKeyOrder() throws SQLException {
        List<List<String>> visited = new ArrayList<>();
        List<String> last = null;
        while (true) {
            String sql = dialect.keysetChunk(Relation.table("orders"), List.of("tenant", "id"), key,
                    new KeysetBounds(last != null, false, false), 37);
            List<List<String>> chunk = query(sql, last == null ? List.of() : dialect.keyArguments(last));
            if (chunk.isEmpty()) {
                break;
            }
            visited.addAll(chunk);
            last = chunk.get(chunk.size() - 1);
        }

        assertThat(visited).hasSize(1000).doesNotHaveDuplicates();
        assertThat(visited).isEqualTo(query("select tenant, id from orders order by tenant, id", List.of()));
    }

    @Test
    void keyIntervalIsOpenBelowAndClosedAbove() throws SQLException {
        List<String> args = new ArrayList<>(dialect.keyArguments(List.of("t3", "500")));
        args.addAll(dialect.keyArguments(List.of("t4", "11")));

        List<List<String>> keys = query("select tenant, id from orders where " + dialect.keyInterval(key, true, true)
                + " order by tenant, id", args);

        assertThat(keys).isEqualTo(query("select tenant, id from orders where (tenant = 't3' and id > 500)"
                + " or (tenant = 't4' and id <= 11) order by tenant, id", List.of()));
        assertThat(keys.get(keys.size() - 1)).containsExactly("t4", "11");
    }

    @Test
    void upsertReplacesTheRowWithTheSameKeyAndDeleteKeyRangeRemovesAClosedRange() throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(dialect.upsert("orders", List.of("tenant", "id", "note"), key))) {
            for (String note : List.of("first", "second")) {
                ps.setString(1, "t1");
                ps.setLong(2, 1);
                ps.setString(3, note);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        assertThat(query("select note from orders where tenant = 't1' and id = 1", List.of())).containsExactly(List.of("second"));

        List<String> args = new ArrayList<>(dialect.keyArguments(List.of("t1", "1")));
        args.addAll(dialect.keyArguments(List.of("t1", "64")));
        try (PreparedStatement ps = db.prepareStatement(dialect.deleteKeyRange("orders", key))) {
            bind(ps, args);
            assertThat(ps.executeUpdate()).isEqualTo(10); // ids 1, 8, ..., 64 of tenant t1
        }
    }

    private List<List<String>> query(String sql, List<String> arguments) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, arguments);
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int width = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= width; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private void bind(PreparedStatement ps, List<String> arguments) throws SQLException {
        for (int i = 0; i < arguments.size(); i++) {
            dialect.bindKey(ps, i + 1, arguments.get(i));
        }
    }
}
