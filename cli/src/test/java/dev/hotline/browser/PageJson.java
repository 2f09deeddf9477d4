package dev.hotline.browser;

import com.fasterxml.jackson.databind.JsonNode;

/** The JSON document a page holds in a text field (the admin page's definition editor), parsed. */
final class PageJson {

    private PageJson() {
    }

    static JsonNode of(BrowserSession b, String css) {
        String text = b.script("return document.querySelector(arguments[0]).value;", css).asText();
        try {
            return ChromeDriver.JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(b.name() + ": " + css + " does not hold JSON: " + text, e);
        }
    }
}
