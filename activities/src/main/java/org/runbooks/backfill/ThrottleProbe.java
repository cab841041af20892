package org.runbooks.backfill;

import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.SingleNumber;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillThrottle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Reads a backfill's throttle probe: one number, or the reason there is none. A probe that cannot answer (a query
 * that fails, a URL that is down or returns no number) gives a problem, which the copy treats as a reading above
 * its maximum: when in doubt it waits, and status says why.
 */
interface ThrottleProbe extends AutoCloseable {

    /** Longest one probe may take: 5 s, so a stuck probe still lets the copy heartbeat and stop. */
    Duration TIMEOUT = Duration.ofSeconds(5);

    /** One reading: a value, or a problem instead. */
    record Reading(Double value, String problem) {

        static Reading of(double value) {
            return new Reading(value, null);
        }

        static Reading problem(String problem) {
            return new Reading(null, problem);
        }

        boolean above(double max) {
            return value == null || value > max;
        }
    }

    Reading read() throws InterruptedException;

    @Override
    void close();

    /** The probe the step's {@code throttle} describes. */
    static ThrottleProbe of(ConnectionRegistry connections, BackfillThrottle throttle) {
        return throttle.query() != null ? new Query(new ReadOnlyQueries(connections), throttle)
                : new Url(URI.create(throttle.url()));
    }

    /** A read-only SELECT on a named connection, run in a transaction of its own each time. */
    final class Query implements ThrottleProbe {

        private final ReadOnlyQueries queries;
        private final BackfillThrottle throttle;

        Query(ReadOnlyQueries queries, BackfillThrottle throttle) {
            this.queries = queries;
            this.throttle = throttle;
        }

        @Override
        public Reading read() {
            try {
                SingleNumber number = queries.number(throttle.connection(), throttle.query());
                return number.isNumber() ? Reading.of(number.value().doubleValue())
                        : Reading.problem("the probe query on " + throttle.connection() + " " + number.problem());
            } catch (SQLException e) {
                return Reading.problem("the probe query on " + throttle.connection() + " failed: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                queries.close();
            } catch (SQLException ignored) {
                // a probe connection that fails to close holds nothing the copy needs
            }
        }
    }

    /** An HTTP GET whose body, trimmed, is one number. */
    final class Url implements ThrottleProbe {

        private final URI uri;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

        Url(URI uri) {
            this.uri = uri;
        }

        @Override
        public Reading read() throws InterruptedException {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                String body = response.body().strip();
                if (response.statusCode() / 100 != 2) {
                    return Reading.problem("the probe " + uri + " answered HTTP " + response.statusCode());
                }
                return Reading.of(Double.parseDouble(body));
            } catch (NumberFormatException e) {
                return Reading.problem("the probe " + uri + " returned no number");
            } catch (IOException e) {
                return Reading.problem("the probe " + uri + " failed: " + e);
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
