package org.runbooks.notify;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Sends messages to webhooks the worker's configuration names. */
@ActivityInterface
public interface NotifyActivities {

    /**
     * Posts the notification as JSON to the webhook named {@code notification.webhook()} and returns the HTTP
     * status it got. The body carries {@code notification.idempotencyKey()} so a receiver can drop a retried copy.
     */
    @ActivityMethod(name = "Notify")
    String notify(Notification notification);
}
