package org.runbooks.runbook;

import io.temporal.failure.ApplicationFailure;
import org.runbooks.notify.Notification;
import org.runbooks.notify.NotifyActivities;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The webhook: delivers, or is down. */
final class FakeNotify implements NotifyActivities {

    private final List<String> calls;
    volatile boolean webhookDown;
    final List<Notification> notifications = new CopyOnWriteArrayList<>();

    FakeNotify(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public String notify(Notification notification) {
        calls.add("notify:" + notification.step());
        if (webhookDown) {
            throw ApplicationFailure.newFailure("connection refused", "WebhookUnavailable");
        }
        notifications.add(notification);
        return "HTTP 204";
    }
}
