package dev.hotline.cli.bench;

import dev.hotline.config.HaConfig;
import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Handshake;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.Endpoint;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code hotline bench failover} with real engines: the Asterisk simulator in this process (the shipped dialplan's
 * handshake, {@code HOTLINE_AGI} = engine a, {@code HOTLINE_AGI_OTHER} = engine b), two engine processes
 * ({@link PairEngine}) on one MariaDB, callers arriving faster than the agents serve them and callbacks pending.
 * The active engine is killed with SIGKILL while callers wait and callbacks are dialled; then, after everything
 * settled, the new active engine is frozen (SIGSTOP) past its lease under new load and resumed (SIGCONT). What it
 * counts (each one from the simulator or the database, never from the engines' own word):
 * <ul>
 *   <li>{@code takeover_ms}: from the kill until the standby's FastAGI is open (it takes calls), as it printed;</li>
 *   <li>{@code callers_dropped}: callers sent to the fallback queue, or who never talked to an agent (the simulator's
 *       trace; every caller waits 5 minutes and every agent answers: each should be served); a finished record that
 *       is not "answered" for a caller who talked is listed below the line;</li>
 *   <li>{@code records_lost}: callers with no call record, or one still in progress, after the settle;</li>
 *   <li>{@code callbacks_lost}: callbacks not completed after the settle;</li>
 *   <li>{@code duplicate_actions}: customers called more than once for one callback, plus every call-changing AMI
 *       action (Originate, Redirect, Hangup, …) the frozen engine sent after it was resumed.</li>
 * </ul>
 */
final class PairFailoverRun {

    static final String AMI_SECRET = "bench";
    private static final int CALLERS = 24;
    private static final int CALLBACKS = 6;
    private static final int LATE_CALLERS = 8;
    private static final int LATE_CALLBACKS = 2;
    /**
     * The first callbacks fall due this long after they are stored (before engine a starts), so engine a dials them
     * around the kill rather than at its start; the kill then waits (at most {@link #KILL_WAIT}) for one of their
     * customers to be on the phone, so it lands while callbacks are dialled.
     */
    private static final Duration CALLBACKS_DUE_IN = Duration.ofSeconds(20);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final PrintWriter out;
    private final HaConfig ha;
    private final String url;
    private final String user;
    private final String password;
    private final DataSource ds;
    private final Path work;
    private final List<SimulatedCall> calls = new CopyOnWriteArrayList<>();
    /** Per callback customer number: the distinct channels that called it. */
    private final Map<String, Set<String>> customerCalls = new ConcurrentHashMap<>();
    /** Call-changing AMI actions: nanoTime, AMI user, action. */
    private final List<Object[]> actions = new CopyOnWriteArrayList<>();
    private final List<Endpoint> customers = new CopyOnWriteArrayList<>();
    private volatile boolean watching = true;

    PairFailoverRun(PrintWriter out, HaConfig ha, String url, String user, String password, DataSource ds, Path work) {
        this.out = out;
        this.ha = ha;
        this.url = url;
        this.user = user;
        this.password = password;
        this.ds = ds;
        this.work = work;
    }

    int run() throws Exception {
        int portA = freePort();
        int portB = freePort();
        String agiA = "agi://127.0.0.1:" + portA + "/";
        String agiB = "agi://127.0.0.1:" + portB + "/";
        Path home = dev.hotline.cli.Main.home().toAbsolutePath();
        EndpointBehaviour agentsPhones = new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(300)), 1.0,
                new Distribution.Fixed(Duration.ofSeconds(6)));
        AsteriskSimulator.Builder b = AsteriskSimulator.builder().amiPort(0).amiCredentials("hotline-a", AMI_SECRET)
                .media(Media.everyFile(Duration.ofMillis(100))).seed(16)
                .handshake(Handshake.hotline(agiA + "resume?call=" + DialplanContext.LINKEDID,
                        Optional.of(agiB + "resume?call=" + DialplanContext.LINKEDID), 30, Duration.ofSeconds(1)))
                .context(DialplanContext.inbound("from-pstn", agiA + "main-menu?call=" + DialplanContext.LINKEDID)
                        .then(DialplanContext.AfterAgi.HOTLINE_MAIN))
                .context(DialplanContext.redirectTarget("hotline-connect", agiA + "connect?call=${EXTEN}")
                        .then(DialplanContext.AfterAgi.HOTLINE_CONNECT))
                .context(DialplanContext.redirectTarget("hotline-callback", agiA + "callback?id=${EXTEN}")
                        .then(DialplanContext.AfterAgi.HOTLINE_CALLBACK));
        for (int i = 1; i <= 12; i++) {
            b.endpoint(String.format("PJSIP/10%02d", i), agentsPhones, true);
        }
        try (AsteriskSimulator sim = b.start()) {
            sim.addAmiUser("hotline-b", AMI_SECRET);
            sim.onAmiAction((amiUser, action, message) -> actions.add(new Object[] {System.nanoTime(), amiUser,
                    action}));
            for (int i = 0; i < CALLBACKS + LATE_CALLBACKS; i++) {
                customers.add(sim.pbx().endpoints().add("PJSIP/" + customer(i), new EndpointBehaviour(
                        new Distribution.Fixed(Duration.ofMillis(300)), 1.0,
                        new Distribution.Fixed(Duration.ofSeconds(2))), true));
            }
            Thread watcher = Thread.ofPlatform().daemon().name("bench-customers").start(this::watchCustomers);
            insertCallbacks(0, CALLBACKS, CALLBACKS_DUE_IN);
            BenchChild a = engine(home, "hotline-a", portA, sim.amiPort(), url, user, work, ha);
            BenchChild bEngine = null;
            BenchChild resumed = null;
            try {
                a.await("started", Duration.ofSeconds(120));
                bEngine = engine(home, "hotline-b", portB, sim.amiPort(), url, user, work, ha);
                bEngine.await("started", Duration.ofSeconds(120));
                out.printf("engines up: hotline-a active (FastAGI %d), hotline-b standby (FastAGI %d)%n", portA, portB);
                out.flush();

                // Load: callers faster than the agents serve them, for 12 s; the kill lands in the middle.
                Thread load = Thread.ofVirtual().start(() -> placeCallers(sim, CALLERS, Duration.ofMillis(500), 0));
                Thread.sleep(ha.lease().toMillis() + 6_000);
                awaitCallbackCustomerOnPhone();
                int waitingAtKill = (int) calls.stream().filter(c -> !c.isGone()).count();
                int diallingAtKill = count("SELECT COUNT(*) FROM callback WHERE status = 'PENDING'"
                        + " AND dialling_fence IS NOT NULL");
                int completedAtKill = count("SELECT COUNT(*) FROM callback WHERE status = 'COMPLETED'");
                long killedAt = System.nanoTime();
                a.process.destroyForcibly();   // SIGKILL
                bEngine.await("fastagi open", Duration.ofSeconds(60));
                long takeoverMs = (bEngine.lastAt - killedAt) / 1_000_000;
                out.printf("kill -9 of hotline-a with %d caller(s) on the line and %d callback(s) being dialled (%d"
                        + " completed before): hotline-b took over (FastAGI open) after %d ms%n", waitingAtKill,
                        diallingAtKill, completedAtKill, takeoverMs);
                out.flush();
                a.process.waitFor();
                load.join();
                resumed = engine(home, "hotline-a", portA, sim.amiPort(), url, user, work, ha);
                resumed.await("started", Duration.ofSeconds(120));
                settle("after the kill", Duration.ofSeconds(150));

                // A frozen leader: hotline-b stopped (SIGSTOP) past its lease while callers come in, then resumed.
                Thread late = Thread.ofVirtual().start(() -> placeCallers(sim, LATE_CALLERS, Duration.ofMillis(400),
                        100));
                insertCallbacks(CALLBACKS, LATE_CALLBACKS, Duration.ZERO);
                Thread.sleep(1500);
                signal("STOP", bEngine.process.pid());
                resumed.await("fastagi open", Duration.ofSeconds(60));
                Thread.sleep(1000);
                long contAt = System.nanoTime();
                signal("CONT", bEngine.process.pid());
                bEngine.await("standby", Duration.ofSeconds(60));
                long stepDownMs = (bEngine.lastAt - contAt) / 1_000_000;
                late.join();
                settle("after the freeze", Duration.ofSeconds(150));
                long frozenActions = actions.stream().filter(x -> (long) x[0] > contAt
                        && "hotline-b".equals(x[1])).count();
                out.printf("hotline-b frozen past its lease, hotline-a took over; hotline-b resumed and stepped down"
                        + " after %d ms, %d AMI action(s) sent after resuming%n", stepDownMs, frozenActions);

                watching = false;
                watcher.join(2000);
                Counts counts = count();
                long duplicates = counts.customerDuplicates + frozenActions;
                out.printf("callers: %d, callbacks: %d; AMI actions: %s%n", calls.size(), CALLBACKS + LATE_CALLBACKS,
                        actionSummary());
                out.printf("failover: takeover_ms=%d callers_dropped=%d records_lost=%d callbacks_lost=%d"
                        + " duplicate_actions=%d%n", takeoverMs, counts.dropped, counts.recordsLost,
                        counts.callbacksLost, duplicates);
                counts.details.forEach(d -> out.println("  " + d));
                out.flush();
                boolean ok = takeoverMs <= 5000 && counts.dropped == 0 && counts.recordsLost == 0
                        && counts.callbacksLost == 0 && duplicates == 0;
                return ok ? 0 : 1;
            } finally {
                watching = false;
                for (BenchChild e : new BenchChild[] {a, bEngine, resumed}) {
                    if (e != null) {
                        signal("CONT", e.process.pid());
                        e.process.destroyForcibly();
                        e.process.waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    private static String customer(int i) {
        return String.format("07000000%02d", i);
    }

    private void placeCallers(AsteriskSimulator sim, int n, Duration every, int from) {
        for (int i = 0; i < n; i++) {
            calls.add(sim.placeCall("from-pstn", CallerScript.calling("5551234")
                    .from(String.format("0610%06d", from + i), "Bench Caller")
                    .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                    .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)))
                    .hangUpAfter(Duration.ofMinutes(5)).build()));
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The single number {@code sql} counts in the bench's database (the callbacks' state at the kill). */
    private int count(String sql) throws SQLException {
        try (Connection con = ds.getConnection(); PreparedStatement ps = con.prepareStatement(sql);
             java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Until a first-batch callback's customer has a call (then 700 ms more: answered, talking), all of them are
     * completed, or {@link #KILL_WAIT} passed: the kill should land while callbacks are dialled.
     */
    private void awaitCallbackCustomerOnPhone() throws Exception {
        long end = System.nanoTime() + KILL_WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (customers.subList(0, CALLBACKS).stream().anyMatch(e -> e.currentCall().isPresent())) {
                Thread.sleep(700);
                return;
            }
            if (count("SELECT COUNT(*) FROM callback WHERE status = 'COMPLETED'") >= CALLBACKS) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private void insertCallbacks(int from, int n, Duration dueIn) throws SQLException {
        long now = System.currentTimeMillis();
        long due = now + dueIn.toMillis();
        try (Connection con = ds.getConnection(); PreparedStatement ps = con.prepareStatement(
                "INSERT INTO callback (callback_id, kind, queue_name, phone_number, caller_name, requested_ms, due_ms,"
                        + " note, status, attempts, not_before_ms, last_result, name_file) VALUES (?, 'QUEUED',"
                        + " 'support', ?, 'Bench', ?, ?, '', 'PENDING', 0, ?, '', '')")) {
            for (int i = from; i < from + n; i++) {
                ps.setString(1, "bench-cb-" + i);
                ps.setString(2, customer(i));
                ps.setLong(3, Math.min(now - 60_000, due));
                ps.setLong(4, dueIn.isZero() ? now - 60_000 : due);
                ps.setLong(5, dueIn.isZero() ? now - 60_000 : due);
                ps.executeUpdate();
            }
        }
    }

    /** Polls the customers' phones: each distinct channel that rang one is a call to that customer. */
    private void watchCustomers() {
        while (watching) {
            for (Endpoint e : customers) {
                e.currentCall().ifPresent(ch -> customerCalls.computeIfAbsent(e.name(), k -> ConcurrentHashMap
                        .newKeySet()).add(ch.name()));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    /** Waits until every caller's call ended and no callback is pending, at most {@code max}. */
    private void settle(String when, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            long up = calls.stream().filter(c -> !c.isGone()).count();
            if (up == 0 && pendingCallbacks() == 0) {
                out.printf("settled %s: every caller served, no callback pending%n", when);
                out.flush();
                Thread.sleep(3000);   // the last records reach the database
                return;
            }
            Thread.sleep(250);
        }
        out.printf("not settled %s within %s: %d caller(s) on the line, %d callback(s) pending%n", when, max,
                calls.stream().filter(c -> !c.isGone()).count(), pendingCallbacks());
        out.flush();
    }

    private long pendingCallbacks() throws SQLException {
        try (Connection con = ds.getConnection(); PreparedStatement ps = con.prepareStatement(
                "SELECT COUNT(*) FROM callback WHERE status = 'PENDING'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Counts(long dropped, long recordsLost, long callbacksLost, long customerDuplicates,
                          List<String> details) {
    }

    private Counts count() throws SQLException {
        Map<String, String> outcomes = new HashMap<>();
        try (Connection con = ds.getConnection(); PreparedStatement ps = con.prepareStatement(
                "SELECT linked_id, outcome FROM call_record"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                outcomes.put(rs.getString(1), rs.getString(2));
            }
        }
        List<String> details = new ArrayList<>();
        long dropped = 0;
        long lost = 0;
        for (SimulatedCall c : calls) {
            String outcome = outcomes.get(c.uniqueid());
            boolean fallback = c.trace().routes().contains("fallback");
            if (outcome == null || outcome.equals("IN_PROGRESS")) {
                lost++;
                details.add("record lost: " + c.uniqueid() + " (" + (outcome == null ? "none" : outcome) + ") routes "
                        + c.trace().routes());
            }
            if (fallback || !c.trace().talkedToAgent()) {
                dropped++;
                details.add("caller dropped: " + c.uniqueid() + " outcome " + outcome + " routes "
                        + c.trace().routes() + " ended by " + c.trace().endedBy().orElse(null));
            } else if (outcome != null && !outcome.equals("IN_PROGRESS") && !outcome.equals("ANSWERED")) {
                details.add("record not answered though the caller talked to an agent: " + c.uniqueid() + " outcome "
                        + outcome + " routes " + c.trace().routes());
            }
        }
        long callbacksLost = 0;
        Map<String, String> numbers = new HashMap<>();
        try (Connection con = ds.getConnection(); PreparedStatement ps = con.prepareStatement(
                "SELECT callback_id, status, attempts, last_result, phone_number FROM callback ORDER BY callback_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                numbers.put("PJSIP/" + rs.getString(5), rs.getString(1));
                if (!rs.getString(2).equals("COMPLETED")) {
                    callbacksLost++;
                    details.add("callback lost: " + rs.getString(1) + " " + rs.getString(2) + " attempts "
                            + rs.getInt(3) + " last " + rs.getString(4));
                }
            }
        }
        long duplicates = 0;
        for (Map.Entry<String, Set<String>> e : customerCalls.entrySet()) {
            if (e.getValue().size() > 1) {
                duplicates += e.getValue().size() - 1;
                details.add("customer called " + e.getValue().size() + " times: " + e.getKey() + " (callback "
                        + numbers.get(e.getKey()) + ")");
            }
        }
        return new Counts(dropped, lost, callbacksLost, duplicates, details);
    }

    private String actionSummary() {
        Map<String, Integer> by = new java.util.TreeMap<>();
        for (Object[] a : actions) {
            by.merge(a[1] + " " + a[2], 1, Integer::sum);
        }
        return by.toString();
    }

    static void signal(String sig, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts one {@link PairEngine} process; its log goes to {@code <work>/<name>.log}. */
    private static BenchChild engine(Path home, String name, int agiPort, int amiPort, String url, String user,
                                     Path work, HaConfig ha) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The same data folder when a killed engine is started again, as on its host: its journal is replayed.
        Path data = Files.createDirectories(work.resolve(name));
        Path log = work.resolve(name + ".log");
        Process p = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "-Dhotline.home=" + home, PairEngine.class.getName(),
                home.toString(), name, Integer.toString(agiPort), Integer.toString(amiPort), name, AMI_SECRET, url,
                user, data.toString(), Long.toString(ha.lease().toMillis()),
                Long.toString(ha.renewEvery().toMillis()), Long.toString(ha.checkEvery().toMillis()), "2000")
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new BenchChild(name, p, Optional.of(log));
    }
}
