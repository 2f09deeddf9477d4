package dev.hotline.gateway.ws;

import dev.hotline.ivr.model.IvrScript;
import dev.hotline.ivr.model.Node;
import dev.hotline.ivr.runtime.IvrCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The caller's way through the IVR in words for the agent's screen pop, from the call's {@code ivr_path}
 * ({@code main-menu/welcome,main-menu/choose-language,main-menu/french,…}) and the published scripts: each menu
 * choice as "pressed 2: support", a language as "language: French", business hours as open or closed, typed
 * digits and CRM look-ups — never node ids. A node the current scripts no longer have is left out.
 */
final class IvrChoices {

    private IvrChoices() {
    }

    static List<String> inWords(String ivrPath, IvrCatalog catalog) {
        if (ivrPath == null || ivrPath.isBlank()) {
            return List.of();
        }
        String[] visits = ivrPath.split(",");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < visits.length; i++) {
            Optional<Node> node = node(visits[i], catalog);
            Optional<String> next = i + 1 < visits.length ? Optional.of(visits[i + 1]) : Optional.empty();
            if (node.isEmpty()) {
                continue;
            }
            String here = script(visits[i]);
            String sameScript = next.filter(n -> script(n).equals(here)).map(IvrChoices::name).orElse(null);
            switch (node.get()) {
                case Node.Menu m -> {
                    String key = m.options().entrySet().stream().filter(e -> e.getValue().equals(sameScript))
                            .map(e -> String.valueOf(e.getKey())).findFirst().orElse(null);
                    if (key != null) {
                        out.add("pressed " + key + ": " + words(sameScript));
                    } else if (sameScript != null && sameScript.equals(m.onFailure())) {
                        out.add("no choice made: " + words(sameScript));
                    }
                }
                case Node.Language l -> out.add("language: " + Locale.forLanguageTag(l.language().replace('_', '-'))
                        .getDisplayLanguage(Locale.ENGLISH));
                case Node.Hours h -> {
                    if (sameScript != null) {
                        out.add(sameScript.equals(h.open()) ? "called in opening hours"
                                : h.holiday().filter(sameScript::equals).isPresent() ? "called on a holiday"
                                : "called outside opening hours");
                    }
                }
                case Node.Input in -> out.add("typed their " + words(in.variable()));
                case Node.Lookup l -> out.add(sameScript != null && sameScript.equals(l.onError())
                        ? "customer look-up failed" : "customer looked up");
                case Node.Survey s -> out.add("answered the survey");
                default -> {
                }
            }
        }
        return List.copyOf(out);
    }

    private static Optional<Node> node(String visit, IvrCatalog catalog) {
        return catalog.script(script(visit)).flatMap((IvrScript s) -> s.node(name(visit)));
    }

    private static String script(String visit) {
        int slash = visit.indexOf('/');
        return slash < 0 ? "" : visit.substring(0, slash);
    }

    private static String name(String visit) {
        return visit.substring(visit.indexOf('/') + 1);
    }

    /** A node or variable name as words: {@code billing-priority} → {@code billing priority}. */
    static String words(String name) {
        return name == null ? "" : name.replace('-', ' ').replace('_', ' ');
    }
}
