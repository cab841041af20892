package org.runbooks.model;

import java.time.Duration;

/** While a gate waits, a reminder goes to {@code webhook} every {@code every}, naming who has yet to decide. */
public record GateReminder(String webhook, Duration every) {
}
