package org.runbooks.worker.demo;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Where the demo's webhooks ({@code ops-channel}) post: prints each notification it gets on the worker's console,
 * one line with the webhook, the runbook, phase and step, and the message, instead of posting to a chat. Only in the
 * demo ({@code runbooks.demo.enabled=true}).
 */
@Controller("/demo/webhooks")
@Requires(property = "runbooks.demo.enabled", value = "true")
public class DemoWebhookReceiver {

    private static final Logger log = LoggerFactory.getLogger(DemoWebhookReceiver.class);

    @Post("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public HttpResponse<Void> receive(@PathVariable String name, @Body Map<String, Object> notification) {
        log.info("demo webhook {} got: runbook={} phase={} step={} message=\"{}\"", name,
                notification.get("runbook"), notification.get("phase"), notification.get("step"),
                notification.get("message"));
        return HttpResponse.noContent();
    }
}
