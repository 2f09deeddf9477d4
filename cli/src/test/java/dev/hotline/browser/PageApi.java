package dev.hotline.browser;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;

/**
 * What a test reads through a signed-in page: the API as that user (with the token the page holds), and the
 * console errors that are not the refusals the test provoked on purpose.
 */
final class PageApi {

    private PageApi() {
    }

    /** {@code GET path} with the page's own token, as the page would send it; the JSON answer. */
    static JsonNode get(BrowserSession b, String path) {
        JsonNode v = b.script("""
                return fetch(arguments[0], {headers: {'Authorization': 'Bearer ' + sessionStorage.getItem('hotline.token')}})
                  .then(r => r.json().then(body => ({status: r.status, body})));
                """, path);
        if (v.path("status").asInt() != 200) {
            throw new AssertionError(b.name() + ": GET " + path + " answered " + v);
        }
        return v.path("body");
    }

    /**
     * An API refusal the test expects the browser to log (Chromium logs every 4xx answer as a console error):
     * {@code refusal("/api/agents/1005/skills", 400)}.
     */
    record Refusal(String path, int status) {
        boolean matches(String line) {
            return line.contains(path) && line.contains("status of " + status + " ");
        }

        @Override
        public String toString() {
            return path + " → " + status;
        }
    }

    static Refusal refusal(String path, int status) {
        return new Refusal(path, status);
    }

    /** The browser's console errors other than the {@code expected} refusals. */
    static List<String> unexpectedErrors(BrowserSession b, Refusal... expected) {
        return b.errors().stream().filter(l -> Arrays.stream(expected).noneMatch(r -> r.matches(l))).toList();
    }
}
