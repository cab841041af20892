package org.runbooks.stream;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.runbooks.jdbc.connect.ConnectionSettings;
import org.runbooks.jdbc.connect.JdbcConnectionRegistry;
import org.runbooks.stream.pg.PgStreamSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our side of {@code bench/stream.sh}: the product's stream engine (Debezium embedded, pgoutput, {@link ChangeApplier})
 * on PostgreSQL tables, one stream per table as a runbook would declare them, without Temporal or a workflow (they add
 * nothing to the apply path). Run with the worker jar and the activities' test classes on the class path.
 *
 * <pre>
 *   StreamBenchMain start SOURCE_URL TARGET_URL USER PASSWORD TABLE:KEY...
 *       fixes each stream's start position (publication and slot, as StreamStart does) and exits
 *   StreamBenchMain run SOURCE_URL TARGET_URL USER PASSWORD EXPECTED STOP_FILE TABLE:KEY...
 *       runs every stream; prints "starting", then "caught-up SECONDS CHANGES APPLYING_SECONDS" once EXPECTED changes are
 *       applied (SECONDS from the engines' start, APPLYING_SECONDS from the first change applied), then "lag EPOCH_MS SECONDS" every second (the product's lag, the worst stream's) until STOP_FILE
 *       exists; then stops the engines and drops the streams (slots, publications, positions)
 * </pre>
 */
public final class StreamBenchMain {

    private static final long SAMPLE_MILLIS = 1000;
    private static final long CATCH_UP_WITHIN_NANOS = 3_600_000_000_000L;

    private StreamBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            throw new IllegalArgumentException("usage: start|run SOURCE_URL TARGET_URL USER PASSWORD ... TABLE:KEY...");
        }
        ConnectionSettings source = new ConnectionSettings(StreamPair.LEGACY, args[1], args[3], args[4]);
        ConnectionSettings target = new ConnectionSettings(StreamPair.TARGET, args[2], args[3], args[4]);
        JdbcConnectionRegistry registry = new JdbcConnectionRegistry(List.of(source, target));
        StreamActivitiesImpl activities = new StreamActivitiesImpl(registry,
                name -> name.equals(StreamPair.LEGACY) ? source : target, StreamMetrics.none(), Clock.systemUTC());
        switch (args[0]) {
            case "start" -> {
                for (StreamSpec spec : specs(args, 5)) {
                    StreamStarted started = activities.startStream(spec);
                    System.out.println("started " + spec.streamId() + " at " + started.startPosition());
                }
            }
            case "run" -> run(registry, source, activities, Long.parseLong(args[5]), Path.of(args[6]),
                    specs(args, 7));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static List<StreamSpec> specs(String[] args, int from) {
        List<StreamSpec> specs = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            String[] tableKey = args[i].split(":", 2);
            specs.add(new StreamSpec("bench-" + tableKey[0], StreamPair.LEGACY, tableKey[0], StreamPair.TARGET,
                    tableKey[0], List.of(tableKey[1])));
        }
        return specs;
    }

    private static void run(JdbcConnectionRegistry registry, ConnectionSettings source,
                            StreamActivitiesImpl activities, long expected, Path stopFile, List<StreamSpec> specs)
            throws Exception {
        List<StreamEngine> engines = new ArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        System.out.println("starting");
        System.out.flush();
        long started = System.nanoTime();
        long deadline = started + CATCH_UP_WITHIN_NANOS;
        try {
            for (StreamSpec spec : specs) {
                StreamEngine engine = StreamEngine.create(spec, new PgStreamSource(), source,
                        () -> registry.open(StreamPair.TARGET), registry.dialect(StreamPair.TARGET),
                        columns(registry, spec.sourceTable()), java.util.Set.of(), new StreamMetrics(meters),
                        Clock.systemUTC());
                engines.add(engine);
                engine.start();
            }
            long applied;
            long firstApplied = 0;
            while ((applied = applied(engines)) < expected) {
                if (firstApplied == 0 && applied > 0) {
                    firstApplied = System.nanoTime();
                }
                failIfEnded(engines);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not caught up within an hour: " + applied + " of " + expected
                            + " changes applied");
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("caught-up %.3f %d %.3f%n", seconds, applied,
                    firstApplied == 0 ? 0 : (System.nanoTime() - firstApplied) / 1e9);
            // Where the time went: applying and committing batches (ChangeApplier and the target), per stream.
            for (Timer t : meters.find(StreamMetrics.APPLY).timers()) {
                System.out.printf("apply-time %s %d batches %.3f s%n", t.getId().getTag("stream"), t.count(),
                        t.totalTime(TimeUnit.SECONDS));
            }
            System.out.flush();
            while (!Files.exists(stopFile)) {
                failIfEnded(engines);
                double worst = 0;
                try (Connection target = registry.open(StreamPair.TARGET)) {
                    for (StreamSpec spec : specs) {
                        StreamPositions.Position p = StreamPositions.read(target, spec.streamId());
                        worst = Math.max(worst, activities.lag(p, null, new PgStreamSource()).lagSeconds());
                    }
                    target.rollback();
                }
                System.out.printf("lag %d %.3f%n", System.currentTimeMillis(), worst);
                System.out.flush();
                Thread.sleep(SAMPLE_MILLIS);
            }
            System.out.println("applied " + applied(engines));
        } finally {
            for (StreamEngine engine : engines) {
                engine.close();
            }
            for (StreamSpec spec : specs) {
                activities.dropStream(spec);
            }
        }
    }

    private static long applied(List<StreamEngine> engines) {
        return engines.stream().mapToLong(StreamEngine::applied).sum();
    }

    private static void failIfEnded(List<StreamEngine> engines) {
        for (StreamEngine engine : engines) {
            if (engine.ended()) {
                throw new IllegalStateException("a stream ended: " + (engine.failure() != null
                        ? engine.failure() : engine.endMessage()), engine.failure());
            }
        }
    }

    private static List<String> columns(JdbcConnectionRegistry registry, String table) throws SQLException {
        try (Connection c = registry.open(StreamPair.LEGACY); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from " + table + " where false")) {
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                columns.add(rs.getMetaData().getColumnName(i));
            }
            c.rollback();
            return columns;
        }
    }
}
