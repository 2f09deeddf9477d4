package dev.hotline.outbound;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Campaign figures from the attempts (pure). Per campaign: attempts, contacts reached (connected at least once),
 * right-party contacts (a connected attempt whose disposition is marked {@code *}), abandons and the abandon rate
 * (abandoned / live answers) against the cap, the mean agent wait between calls, contacts per agent-hour
 * (connected calls per hour of agent time: wait + talk + wrap-up of connected calls) and list penetration (contacts
 * attempted / contacts on the list). And per hour: the abandon rate over time against the cap.
 */
public final class CampaignReport {

    /** One campaign's line. */
    public record Line(String campaign, String mode, long attempts, long reached, long rightParty, long abandoned,
                       double abandonPct, double capPct, double agentWaitSecs, double contactsPerAgentHour,
                       double penetrationPct) {
    }

    /** One hour of one campaign: live answers, abandons and the rate against the cap. */
    public record Hour(String campaign, Instant hour, long live, long abandoned, double abandonPct, double capPct) {
    }

    public static final List<String> COLUMNS = List.of("campaign", "mode", "attempts", "reached", "right_party",
            "abandoned", "abandon_pct", "cap_pct", "agent_wait_s", "contacts_per_agent_hour", "penetration_pct");
    public static final List<String> HOUR_COLUMNS = List.of("campaign", "hour", "live_answers", "abandoned",
            "abandon_pct", "cap_pct");

    private CampaignReport() {
    }

    /**
     * @param campaigns     the campaigns (mode and cap), by id
     * @param attempts      their attempts in the period
     * @param listSizes     contacts on each campaign's list
     */
    public static List<Line> lines(Map<String, Campaign> campaigns, List<Attempt> attempts,
                                   Map<String, Integer> listSizes) {
        Map<String, List<Attempt>> by = new TreeMap<>();
        attempts.forEach(a -> by.computeIfAbsent(a.campaign(), k -> new ArrayList<>()).add(a));
        List<Line> out = new ArrayList<>();
        by.forEach((id, list) -> {
            Campaign c = campaigns.get(id);
            Set<String> reached = new HashSet<>();
            Set<String> rightParty = new HashSet<>();
            Set<String> touched = new HashSet<>();
            long live = 0;
            long abandoned = 0;
            long waits = 0;
            long waitMillis = 0;
            long agentMillis = 0;
            long connected = 0;
            for (Attempt a : list) {
                if (a.outcome() != Outcome.SKIPPED && a.outcome() != Outcome.DO_NOT_CALL) {
                    touched.add(a.contact());
                }
                if (a.outcome().liveAnswer()) {
                    live++;
                }
                if (a.outcome() == Outcome.ABANDONED) {
                    abandoned++;
                }
                if (a.outcome() == Outcome.CONNECTED) {
                    connected++;
                    reached.add(a.contact());
                    if (a.rightParty()) {
                        rightParty.add(a.contact());
                    }
                    agentMillis += a.talk().plus(a.wrapUp()).toMillis();
                    if (a.agentWait().isPresent()) {
                        waits++;
                        waitMillis += a.agentWait().get().toMillis();
                        agentMillis += a.agentWait().get().toMillis();
                    }
                }
            }
            int listSize = listSizes.getOrDefault(id, touched.size());
            out.add(new Line(id, c == null ? "" : c.mode().wireName(), list.size(), reached.size(), rightParty.size(),
                    abandoned, live == 0 ? 0 : 100.0 * abandoned / live, c == null ? 0 : c.abandonCapPct(),
                    waits == 0 ? 0 : waitMillis / 1000.0 / waits,
                    agentMillis == 0 ? 0 : connected / (agentMillis / 3_600_000.0),
                    listSize == 0 ? 0 : 100.0 * touched.size() / listSize));
        });
        return out;
    }

    /** The abandon rate hour by hour ({@code zone}'s hours), per campaign. */
    public static List<Hour> hours(Map<String, Campaign> campaigns, List<Attempt> attempts, ZoneId zone) {
        Map<String, Map<Instant, long[]>> by = new TreeMap<>();
        for (Attempt a : attempts) {
            if (!a.outcome().liveAnswer()) {
                continue;
            }
            Instant hour = a.startedAt().atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
            long[] n = by.computeIfAbsent(a.campaign(), k -> new TreeMap<>()).computeIfAbsent(hour, k -> new long[2]);
            n[0]++;
            if (a.outcome() == Outcome.ABANDONED) {
                n[1]++;
            }
        }
        List<Hour> out = new ArrayList<>();
        by.forEach((id, hours) -> hours.forEach((h, n) -> out.add(new Hour(id, h, n[0], n[1], 100.0 * n[1] / n[0],
                campaigns.containsKey(id) ? campaigns.get(id).abandonCapPct() : 0))));
        return out;
    }

    /** A line as table cells (in {@link #COLUMNS} order). */
    public static List<Object> cells(Line l) {
        return List.of(l.campaign(), l.mode(), l.attempts(), l.reached(), l.rightParty(), l.abandoned(),
                round(l.abandonPct()), round(l.capPct()), round(l.agentWaitSecs()), round(l.contactsPerAgentHour()),
                round(l.penetrationPct()));
    }

    public static List<Object> cells(Hour h, ZoneId zone) {
        return List.of(h.campaign(), h.hour().atZone(zone).toLocalDateTime().toString(), h.live(), h.abandoned(),
                round(h.abandonPct()), round(h.capPct()));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Every campaign's list size from the store's status counts. */
    public static Map<String, Integer> listSizes(OutboundStore store, Iterable<Campaign> campaigns)
            throws java.sql.SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Campaign c : campaigns) {
            out.put(c.id(), store.statusCounts(c.id()).values().stream().mapToInt(Integer::intValue).sum());
        }
        return out;
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
