package org.runbooks.worker.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Post;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The codec server, in the worker so it holds the same keys: {@code POST /encode} and {@code POST /decode} take and
 * return {@code {"payloads": [...]}} as the {@code temporal} CLI ({@code --codec-endpoint}) and the Web UI's codec
 * setting send them. Requests must carry {@code Authorization: Bearer <runbooks.codec.token>} when a token is set;
 * browsers from {@code runbooks.codec.allowed-origins} may call it (CORS). Without keys it answers 404.
 */
@Controller
public class CodecServer {

    private final CodecSettings settings;
    private final AesGcmPayloadCodec codec;

    public CodecServer(CodecSettings settings) {
        this.settings = settings;
        this.codec = settings.enabled() ? AesGcmPayloadCodec.of(settings) : null;
    }

    @Post(uri = "/encode", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    MutableHttpResponse<String> encode(HttpRequest<?> request, @Body String body) {
        return answer(request, body, payloads -> codec.encode(payloads));
    }

    @Post(uri = "/decode", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    MutableHttpResponse<String> decode(HttpRequest<?> request, @Body String body) {
        return answer(request, body, payloads -> codec.decode(payloads));
    }

    /** The browser's preflight: no credentials are sent with it, so it is answered for allowed origins only. */
    @Options(uri = "/{action:encode|decode}")
    MutableHttpResponse<?> preflight(HttpRequest<?> request, String action) {
        String origin = request.getHeaders().get("Origin");
        if (codec == null || origin == null || !settings.getAllowedOrigins().contains(origin)) {
            return HttpResponse.status(HttpStatus.FORBIDDEN);
        }
        return cors(HttpResponse.ok(), origin)
                .header("Access-Control-Allow-Methods", "POST, OPTIONS")
                .header("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
                .header("Access-Control-Max-Age", "600");
    }

    private MutableHttpResponse<String> answer(HttpRequest<?> request, String body, UnaryOperator<List<Payload>> op) {
        String origin = request.getHeaders().get("Origin");
        if (codec == null) {
            return HttpResponse.<String>notFound().body("{\"error\":\"payload encryption is off\"}");
        }
        if (!authorized(request.getHeaders().get("Authorization"))) {
            return cors(HttpResponse.<String>unauthorized()
                    .body("{\"error\":\"the codec endpoint needs Authorization: Bearer <token>\"}"), origin);
        }
        try {
            Payloads.Builder in = Payloads.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(body == null ? "{}" : body, in);
            Payloads out = Payloads.newBuilder().addAllPayloads(op.apply(in.getPayloadsList())).build();
            return cors(HttpResponse.ok(JsonFormat.printer().print(out)), origin);
        } catch (InvalidProtocolBufferException | PayloadCodecException e) {
            return cors(HttpResponse.<String>badRequest().body(error(e.getMessage())), origin);
        }
    }

    private boolean authorized(String header) {
        String token = settings.getToken();
        if (token == null || token.isBlank()) {
            return true;
        }
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        byte[] given = header == null ? new byte[0] : header.strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    private <T> MutableHttpResponse<T> cors(MutableHttpResponse<T> response, String origin) {
        if (origin != null && settings.getAllowedOrigins().contains(origin)) {
            response.header("Access-Control-Allow-Origin", origin)
                    .header("Access-Control-Allow-Credentials", "true")
                    .header("Vary", "Origin");
        }
        return response;
    }

    private static String error(String message) {
        return "{\"error\":\"" + String.valueOf(message).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }
}
