package dev.hotline.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.EscalationStep;
import dev.hotline.yaml.Fields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Agents and queues as definition documents: maps with exactly the keys of {@code config/agents.yaml} entries and
 * {@code hotline.yaml}'s {@code queues:} items (durations as {@code 30s}, strategies as {@code most-skilled}).
 * That is what the database stores, what the admin API takes and returns, and what
 * {@link dev.hotline.config.ConfigLoader#parseAgent}/{@link dev.hotline.config.ConfigLoader#parseQueue} validate,
 * so a definition is checked by the same rules wherever it comes from.
 */
public final class Documents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {
    }

    public static Map<String, Object> agent(AgentConfig a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        m.put("endpoints", a.endpoints());
        m.put("skills", new TreeMap<>(a.skills()));
        m.put("teams", a.teams().stream().sorted().toList());
        m.put("site", a.site());
        m.put("languages", a.languages().stream().sorted().toList());
        m.put("queues", a.queues().stream().sorted().toList());
        return m;
    }

    public static Map<String, Object> queue(QueueConfig q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", q.name());
        m.put("skills", new LinkedHashMap<>(q.skills()));   // in order: the first is the primary skill
        m.put("priority", q.priority());
        Map<String, Object> sl = new LinkedHashMap<>();
        sl.put("percent", q.serviceLevelPct());
        sl.put("within", Fields.format(q.serviceLevelTime()));
        m.put("service_level", sl);
        m.put("max_wait", Fields.format(q.maxWait()));
        m.put("max_length", q.maxLength());
        m.put("wrap_up", Fields.format(q.wrapUp()));
        m.put("ring_timeout", Fields.format(q.ringTimeout()));
        q.ringNoAnswer().ifPresent(p -> m.put("ring_no_answer", p.describe()));
        m.put("strategy", Fields.wireName(q.strategy()));
        m.put("on_timeout", q.onTimeout().toString());
        Map<String, Object> keys = new TreeMap<>();
        q.exitKeys().forEach((k, t) -> keys.put(String.valueOf(k), t.toString()));
        m.put("exit_keys", keys);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (EscalationStep step : q.escalation()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("after", Fields.format(step.after()));
            switch (step) {
                case EscalationStep.LowerMinLevel l -> s.put("lower_min_level",
                        Map.of("skill", l.skill(), "level", l.level()));
                case EscalationStep.AddSkill a -> s.put("add_skill", Map.of("skill", a.skill(), "level", a.level()));
                case EscalationStep.RaisePriority r -> s.put("raise_priority", r.by());
                case EscalationStep.MoveToQueue mv -> s.put("move_to", mv.queue());
                case EscalationStep.Exit x -> s.put("exit", x.destination());
                case EscalationStep.OfferCallback o -> {
                    continue;   // not written in files (offered through exit keys); nothing to keep
                }
            }
            steps.add(s);
        }
        m.put("escalation", steps);
        q.callbackOffer().ifPresent(o -> {
            Map<String, Object> offer = new LinkedHashMap<>();
            offer.put("after_ewt", Fields.format(o.afterEwt()));
            offer.put("key", String.valueOf(o.key()));
            offer.put("prompt", o.prompt());
            m.put("callback_offer", offer);
        });
        m.put("record", q.record());
        q.wallboard().ifPresent(t -> {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("waiting", pair(t.waitingWarn(), t.waitingAlert()));
            w.put("longest_wait", pair(Fields.format(t.longestWaitWarn()), Fields.format(t.longestWaitAlert())));
            w.put("asa", pair(Fields.format(t.asaWarn()), Fields.format(t.asaAlert())));
            w.put("abandoned_percent", pair(t.abandonedWarnPct(), t.abandonedAlertPct()));
            w.put("service_level_percent", Map.of("alert", t.serviceLevelAlertPct()));
            m.put("wallboard", w);
        });
        return m;
    }

    private static Map<String, Object> pair(Object warn, Object alert) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("warn", warn);
        m.put("alert", alert);
        return m;
    }

    public static String json(Map<String, Object> document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a directory document: " + e.getOriginalMessage(), e);
        }
    }
}
