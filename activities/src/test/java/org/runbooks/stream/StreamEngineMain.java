package org.runbooks.stream;

import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.stream.mariadb.MariaDbStreamSource;
import org.runbooks.stream.pg.PgStreamSource;

import java.time.Clock;
import java.util.List;

/**
 * A worker in a process of its own, which the kill tests end with SIGKILL at random moments: runs the stream of
 * {@link StreamPair}'s {@code orders} until killed. Arguments: stream id, then url, user and password of the source,
 * then of the target.
 */
public final class StreamEngineMain {

    public static void main(String[] args) throws Exception {
        ConnectionSettings source = new ConnectionSettings(StreamPair.LEGACY, args[1], args[2], args[3]);
        ConnectionSettings target = new ConnectionSettings(StreamPair.TARGET, args[4], args[5], args[6]);
        JdbcConnectionRegistry registry = new JdbcConnectionRegistry(List.of(source, target));
        StreamSpec spec = new StreamSpec(args[0], StreamPair.LEGACY, "orders", StreamPair.TARGET, "orders",
                List.of("id"));
        StreamSource kind = source.url().startsWith("jdbc:postgresql:") ? new PgStreamSource()
                : new MariaDbStreamSource();
        StreamEngine engine = StreamEngine.create(spec, kind, source, () -> registry.open(StreamPair.TARGET),
                registry.dialect(StreamPair.TARGET), List.of("id", "version", "note", "big", "amount", "updated_at"), java.util.Set.of(),
                StreamMetrics.none(), Clock.systemUTC());
        engine.start();
        while (!engine.awaitEnd(1000)) {
            // runs until killed
        }
        Throwable failure = engine.failure();
        System.err.println("engine ended: " + (failure == null ? engine.endMessage() : failure));
        System.exit(failure == null ? 0 : 1);
    }
}
