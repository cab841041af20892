package org.runbooks.stream;

/**
 * The source cannot stream as it is (a setting, a privilege, a key is missing): says what to change. A retry cannot
 * help, so the activity fails with the non-retryable type {@value #TYPE}, before anything is created.
 */
public final class StreamNotPossibleException extends RuntimeException {

    public static final String TYPE = "StreamNotPossible";

    public StreamNotPossibleException(String message) {
        super(message);
    }
}
