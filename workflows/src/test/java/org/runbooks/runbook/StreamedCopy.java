package org.runbooks.runbook;

/**
 * The two steps many stream tests start with, as a phase's {@code steps:} items: a stream of legacy {@code orders}
 * into target {@code orders_v2} and the backfill the parser ties to it.
 */
public final class StreamedCopy {

    /** The head of a runbook whose first phase, {@code phase}, holds the stream and the copy; more steps may follow. */
    public static String runbook(String name, String phase) {
        return """
                apiVersion: runbook/v1
                name: %s
                phases:
                  - name: %s
                    steps:
                      - id: orders-stream
                        stream:
                          from: { connection: legacy, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                      - id: copy
                        backfill:
                          from: { connection: legacy, table: orders }
                          to: { connection: target, table: orders_v2 }
                          key: [id]
                """.formatted(name, phase);
    }

    private StreamedCopy() {
    }
}
