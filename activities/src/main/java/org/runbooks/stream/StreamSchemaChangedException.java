package org.runbooks.stream;

/**
 * A change event whose columns are not the streamed table's columns as the stream started with them: the table's
 * schema changed under the stream. Applying on would drop or misplace a column silently, so the stream stops; a
 * retry cannot help (the failure type {@value #TYPE}).
 */
public final class StreamSchemaChangedException extends RuntimeException {

    public static final String TYPE = "StreamSchemaChanged";

    public StreamSchemaChangedException(String message) {
        super(message);
    }
}
