package org.runbooks.backfill;

import org.runbooks.jdbc.ReadOnlyQueries;
import org.runbooks.jdbc.SingleNumber;
import org.runbooks.jdbc.connect.ConnectionRegistry;
import org.runbooks.model.BackfillThrottle;

import java.io.IOException;
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

    /**
     * The probe the step's {@code throttle} describes: its query, or the worker's webhook it names. A URL written in
     * a runbook loaded before endpoints existed is not fetched: the probe reports why, and the copy waits.
     */
    static ThrottleProbe of(ConnectionRegistry connections, ProbeEndpoints endpoints, BackfillThrottle throttle) {
        if (throttle.query() != null) {
            return new Query(new ReadOnlyQueries(connections), throttle);
        }
        if (throttle.endpoint() == null) {
            return new Refused("the probe names a URL in the runbook, which the worker does not fetch; roll back or "
                    + "tune, and name an endpoint of the worker's configuration instead");
        }
        return endpoints.resolve(throttle.endpoint()).<ThrottleProbe>map(Url::new).orElseGet(() -> new Refused(
                "the probe's endpoint '" + throttle.endpoint() + "' is not in this worker's configuration"));
    }

    /** A probe that cannot be asked: every reading is the reason, so the copy waits and status says why. */
    record Refused(String reason) implements ThrottleProbe {

        @Override
        public Reading read() {
            return Reading.problem(reason);
        }

        @Override
        public void close() {
        }
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

    /**
     * An HTTP GET to a webhook of the worker's configuration, with its headers, whose body, trimmed, is one number.
     * Messages name the endpoint, never its URL, which may carry a token.
     */
    final class Url implements ThrottleProbe {

        private final ProbeEndpoints.Endpoint endpoint;
        private final String uri;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

        Url(ProbeEndpoints.Endpoint endpoint) {
            this.endpoint = endpoint;
            this.uri = "endpoint " + endpoint.name();
        }

        @Override
        public Reading read() throws InterruptedException {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.url()).timeout(TIMEOUT).GET();
                endpoint.headers().forEach(request::header);
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body().strip();
                if (response.statusCode() / 100 != 2) {
                    return Reading.problem("the probe " + uri + " answered HTTP " + response.statusCode());
                }
                return Reading.of(Double.parseDouble(body));
            } catch (NumberFormatException e) {
                return Reading.problem("the probe " + uri + " returned no number");
            } catch (IOException e) {
                return Reading.problem("the probe " + uri + " failed: " + e.getClass().getSimpleName());
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
