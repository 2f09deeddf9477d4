package dev.hotline.ivr.lookup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Lookups over {@link HttpClient}. The request's timeout bounds the whole exchange; answers larger than
 * {@value #MAX_BODY} bytes are refused (a CRM answer for one caller is small).
 */
public final class HttpLookupClient implements LookupClient {

    static final int MAX_BODY = 1 << 20;

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public HttpLookupClient(HttpClient http) {
        this.http = http;
    }

    /** A client with a 2 s connect timeout that follows no redirects. */
    public static HttpLookupClient create() {
        return new HttpLookupClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    @Override
    public JsonNode fetch(LookupRequest r) throws LookupException {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(r.timeout())
                .header("Accept", "application/json");
        r.headers().forEach(b::header);
        try {
            if (r.method() == dev.hotline.ivr.model.Node.Method.POST) {
                b.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(r.body())));
            } else {
                b.GET();
            }
        } catch (JsonProcessingException e) {
            throw new LookupException("cannot encode the body: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new LookupException("bad request: " + e.getMessage(), e);
        }
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new LookupException(r.method() + " " + r.uri() + ": no answer within " + r.timeout().toMillis()
                    + " ms", e);
        } catch (IOException e) {
            throw new LookupException(r.method() + " " + r.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupException(r.method() + " " + r.uri() + ": interrupted", e);
        }
        if (resp.statusCode() / 100 != 2) {
            throw new LookupException(r.method() + " " + r.uri() + ": HTTP " + resp.statusCode(), null);
        }
        if (resp.body().length > MAX_BODY) {
            throw new LookupException(r.method() + " " + r.uri() + ": answer of " + resp.body().length
                    + " bytes (expected: <= " + MAX_BODY + ")", null);
        }
        try {
            return json.readTree(resp.body());
        } catch (IOException e) {
            throw new LookupException(r.method() + " " + r.uri() + ": the answer is not JSON", e);
        }
    }
}
