package org.runbooks.parse;

import org.runbooks.model.NotifyStep;

/** {@code notify: {webhook, message}}. */
final class NotifyParser implements StepParser<NotifyStep> {

    @Override
    public NotifyStep parse(String id, Node body) {
        String webhook = body.requiredText("webhook");
        body.checks().webhook(body.child("webhook"), webhook);
        String message = body.requiredText("message");
        if (message != null && message.isBlank()) {
            body.error(body.child("message"), "must not be blank");
        }
        return new NotifyStep(id, webhook, message);
    }
}
