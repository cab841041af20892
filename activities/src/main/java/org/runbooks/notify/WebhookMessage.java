package org.runbooks.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON body a webhook receives: the shape of a Slack incoming webhook ({@code text}, the message, and
 * {@code blocks}, the message plus a line naming the runbook, phase and step), so a chat channel shows it as it is,
 * next to the fields tools read. {@code idempotencyKey} is the same on every retry of one notification, so a
 * receiver can drop the copies; {@code sentAt} is when this attempt was sent (ISO-8601, UTC).
 */
record WebhookMessage(String text, List<Map<String, Object>> blocks, String idempotencyKey, String runbook,
                      String phase, String step, String message, String sentAt) {

    static WebhookMessage of(Notification notification, String sentAt) {
        String text = escaped(notification.message());
        List<String> where = new ArrayList<>();
        where.add("runbook *" + escaped(notification.runbook()) + "*");
        if (notification.phase() != null) {
            where.add("phase *" + escaped(notification.phase()) + "*");
        }
        if (notification.step() != null) {
            where.add("step *" + escaped(notification.step()) + "*");
        }
        List<Map<String, Object>> blocks = List.of(
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text)),
                Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text",
                        String.join(" · ", where)))));
        return new WebhookMessage(text, blocks, notification.idempotencyKey(), notification.runbook(),
                notification.phase(), notification.step(), notification.message(), sentAt);
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup (links, mentions), so they are escaped. */
    static String escaped(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
