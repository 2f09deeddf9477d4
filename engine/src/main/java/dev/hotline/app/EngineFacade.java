package dev.hotline.app;

import dev.hotline.acd.Acd;
import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.api.Administration;
import dev.hotline.api.AgentChange;
import dev.hotline.api.AgentControl;
import dev.hotline.api.AgentStatus;
import dev.hotline.api.CallActions;
import dev.hotline.api.CallReports;
import dev.hotline.api.EngineApi;
import dev.hotline.api.HaStatus;
import dev.hotline.api.Health;
import dev.hotline.api.LiveBoard;
import dev.hotline.api.UserStorage;
import dev.hotline.api.WaitingCall;
import dev.hotline.callbacks.Callbacks;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.directory.Directory;
import dev.hotline.events.CallEventListener;
import dev.hotline.ha.Leadership;
import dev.hotline.ivr.calendar.DatabaseCalendars;
import dev.hotline.ivr.runtime.IvrRepository;
import dev.hotline.outbound.Outbound;
import dev.hotline.qa.service.QaService;
import dev.hotline.records.RecordWriter;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.QueueKpis;
import dev.hotline.records.report.Reports;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.DatabaseHealth;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Decision;
import dev.hotline.routing.EscalationStep;
import dev.hotline.routing.RoutingCore;
import dev.hotline.routing.StateChange;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@link EngineApi} over a {@link HotlineEngine}: each call reads the engine's part as it is now (parts start late or
 * are replaced on a pair's role change), and translates the routing core's, AMI's and the store's types into the
 * API's records.
 */
final class EngineFacade implements EngineApi, AgentControl, CallActions, LiveBoard, Administration, Health,
        HaStatus {

    private final HotlineEngine engine;

    EngineFacade(HotlineEngine engine) {
        this.engine = engine;
    }

    private Acd acd() {
        Acd acd = engine.acd();
        if (acd == null) {
            throw new IllegalStateException("the engine has not started its ACD");
        }
        return acd;
    }

    // ------------------------------------------------------------------------------------------ EngineApi

    @Override
    public HotlineConfig config() {
        return engine.config();
    }

    @Override
    public dev.hotline.schedule.Scheduler scheduler() {
        return engine.scheduler();
    }

    @Override
    public AgentControl agents() {
        return this;
    }

    @Override
    public CallActions calls() {
        return this;
    }

    @Override
    public LiveBoard board() {
        return this;
    }

    @Override
    public Administration admin() {
        return this;
    }

    @Override
    public Health health() {
        return this;
    }

    @Override
    public Optional<CallReports> reports() {
        var records = engine.records();
        return records == null ? Optional.empty() : Optional.of(callReports(records.reports(), records.writer()));
    }

    @Override
    public HaStatus ha() {
        return this;
    }

    @Override
    public QaService qa() {
        return engine.qa();
    }

    @Override
    public Optional<Callbacks> callbacks() {
        return engine.callbacks();
    }

    @Override
    public Optional<Outbound> outbound() {
        return engine.outbound();
    }

    // ------------------------------------------------------------------------------------------ agents

    @Override
    public Map<String, AgentConfig> all() {
        return acd().agents();
    }

    @Override
    public Set<String> disabled() {
        return acd().disabledAgents();
    }

    @Override
    public void login(String agentId) {
        acd().login(agentId);
    }

    @Override
    public void logout(String agentId) {
        acd().logout(agentId);
    }

    @Override
    public void ready(String agentId) {
        acd().ready(agentId);
    }

    @Override
    public void notReady(String agentId, String reason) {
        acd().notReady(agentId, reason);
    }

    @Override
    public void endWrapUp(String agentId) {
        acd().endWrapUp(agentId);
    }

    @Override
    public CompletableFuture<List<String>> queuesOf(String agentId) {
        return acd().queuesOf(agentId);
    }

    // ------------------------------------------------------------------------------------------ calls

    @Override
    public int active() {
        return acd().activeCalls();
    }

    @Override
    public boolean disposition(String agentId, String code, String notes) {
        return acd().disposition(agentId, code, notes);
    }

    @Override
    public CompletableFuture<Void> transfer(String agentId, String target) {
        return acd().transfer(agentId, target);
    }

    @Override
    public CompletableFuture<Void> transferAttended(String agentId, String target) {
        return acd().transferAttended(agentId, target);
    }

    @Override
    public CompletableFuture<Void> hangup(String agentId) {
        return acd().hangup(agentId);
    }

    @Override
    public CompletableFuture<SpyOutcome> spy(String supervisorEndpoint, String agentId, SpyMode mode) {
        return acd().spy(supervisorEndpoint, agentId, Acd.SpyMode.valueOf(mode.name()))
                .thenApply(r -> new SpyOutcome(r.success(), r.reason(), r.channel()));
    }

    @Override
    public Optional<ConnectedCall> connectedCall(String agentId) {
        return acd().liveCall(agentId).map(c -> new ConnectedCall(c.callId(), c.queue(), c.channel()));
    }

    @Override
    public CompletableFuture<PriorityChange> reprioritise(String callId, int priority, String by,
                                                          Optional<Set<String>> onlyIn) {
        return acd().reprioritise(callId, priority, by, onlyIn).thenApply(d -> switch (d) {
            case Decision.CallReprioritised r -> new PriorityChange.Changed(r.callId(), r.queue(), r.from(), r.to(),
                    r.position(), r.waited());
            case Decision.CommandRejected r -> new PriorityChange.Rejected(r.reason());
            default -> throw new IllegalStateException("unexpected answer of the routing core: " + d);
        });
    }

    // ------------------------------------------------------------------------------------------ live board

    @Override
    public void addCallListener(CallEventListener listener) {
        acd().addListener(listener);
    }

    @Override
    public void addAgentListener(Consumer<AgentChange> listener) {
        acd().addAgentListener(c -> listener.accept(change(c)));
    }

    @Override
    public void addWaitingListener(Runnable listener) {
        acd().addRoutingListener(d -> listener.run());
    }

    @Override
    public Map<String, AgentStatus> agentStates() {
        Map<String, AgentStatus> out = new LinkedHashMap<>();
        acd().agentStates().forEach((id, s) -> out.put(id, status(s)));
        return out;
    }

    @Override
    public Map<String, QueueConfig> queues() {
        return acd().queueConfigs();
    }

    @Override
    public Set<String> disabledQueues() {
        return acd().disabledQueues();
    }

    @Override
    public CompletableFuture<List<WaitingCall>> waitingCalls() {
        return acd().waitingCalls().thenApply(list -> list.stream().map(EngineFacade::waiting).toList());
    }

    @Override
    public boolean mayServe(AgentConfig a, QueueConfig q) {
        if (!(a.queues().isEmpty() || a.queues().contains(q.name()))) {
            return false;
        }
        Map<String, Integer> lowest = new HashMap<>(q.skills());
        for (EscalationStep step : q.escalation()) {
            if (step instanceof EscalationStep.LowerMinLevel l && lowest.containsKey(l.skill())) {
                lowest.merge(l.skill(), l.level(), Math::min);
            }
        }
        boolean all = lowest.entrySet().stream().allMatch(r -> a.skills().getOrDefault(r.getKey(), 0) >= r.getValue());
        return all || q.escalation().stream().anyMatch(step -> step instanceof EscalationStep.AddSkill s
                && a.skills().getOrDefault(s.skill(), 0) >= s.level());
    }

    private static WaitingCall waiting(RoutingCore.WaitingCall w) {
        return new WaitingCall(w.callId(), w.queue(), w.priority(), w.position(), w.since(), w.callback(),
                w.estimatedWait());
    }

    static AgentChange change(StateChange c) {
        return new AgentChange(c.agentId(), status(c.from()), status(c.to()), c.at(), c.cause());
    }

    static AgentStatus status(AgentState s) {
        return switch (s) {
            case AgentState.LoggedOut x -> AgentStatus.LOGGED_OUT;
            case AgentState.Ready x -> AgentStatus.of(AgentStatus.Kind.READY);
            case AgentState.NotReady n -> new AgentStatus(AgentStatus.Kind.NOT_READY, Optional.of(n.reason()),
                    n.until(), Optional.empty());
            case AgentState.Reserved r -> new AgentStatus(AgentStatus.Kind.RINGING, Optional.empty(),
                    Optional.empty(), Optional.of(r.callId()));
            case AgentState.OnCall c -> new AgentStatus(AgentStatus.Kind.ON_CALL, Optional.empty(),
                    Optional.empty(), Optional.of(c.callId()));
            case AgentState.WrapUp w -> new AgentStatus(AgentStatus.Kind.WRAP_UP, Optional.empty(), w.until(),
                    Optional.empty());
        };
    }

    // ------------------------------------------------------------------------------------------ administration

    @Override
    public Optional<Directory> directory() {
        return Optional.ofNullable(engine.directory());
    }

    @Override
    public Optional<DatabaseCalendars> calendars() {
        return Optional.ofNullable(engine.calendars());
    }

    @Override
    public Optional<IvrRepository> ivr() {
        return Optional.ofNullable(engine.ivr());
    }

    @Override
    public Optional<UserStorage> userStorage() {
        var records = engine.records();
        return records == null ? Optional.empty() : Optional.of(userStorage(records.database()));
    }

    // ------------------------------------------------------------------------------------------ health

    @Override
    public boolean running() {
        return engine.acd() != null;
    }

    @Override
    public int activeSessions() {
        return engine.activeSessions();
    }

    @Override
    public Optional<Map<String, Object>> invariants() {
        Acd acd = engine.acd();
        return acd == null ? Optional.empty() : Optional.of(acd.invariants().toMap());
    }

    @Override
    public List<AmiStatus> ami() {
        List<AmiStatus> out = new ArrayList<>();
        for (AmiConnection c : engine.ami().values()) {
            AmiEvent.AmiHealth h = c.health();
            out.add(new AmiStatus(h.server(), h.status().name(), h.since(), h.detail()));
        }
        return out;
    }

    @Override
    public Optional<DatabaseStatus> database() {
        var records = engine.records();
        if (records == null) {
            return Optional.empty();
        }
        RecordWriter writer = records.writer();
        DatabaseHealth health = engine.databaseHealth();
        Optional<DatabaseHealth.Status> probe = health == null ? Optional.empty() : health.status();
        boolean probeUp = probe.map(DatabaseHealth.Status::up).orElse(true);
        boolean up = probeUp && writer.databaseUp();
        Optional<String> reason = up ? Optional.empty() : Optional.of(!probeUp ? probe.get().reason()
                : "the last record write failed; records are kept in the journal and written when the database is"
                + " back");
        return Optional.of(new DatabaseStatus(up, engine.config().database().kind().name().toLowerCase(Locale.ROOT),
                records.database().description(), reason, probe.map(DatabaseHealth.Status::since),
                probe.map(DatabaseHealth.Status::checkedAt), writer.pending(), writer.journalBytes()));
    }

    @Override
    public MeterRegistry registry() {
        return engine.metrics().registry();
    }

    @Override
    public String scrape() {
        return engine.metrics().scrape();
    }

    @Override
    public OptionalInt gatewayConnections() {
        FileBudget budget = engine.fileBudget();
        return budget == null ? OptionalInt.empty() : OptionalInt.of(budget.gatewayConnections());
    }

    // ------------------------------------------------------------------------------------------ HA

    @Override
    public String engineName() {
        return engine.config().engineName();
    }

    @Override
    public boolean mayAct() {
        return engine.leadership().map(Leadership::mayAct).orElse(true);
    }

    @Override
    public Optional<Pair> pair() {
        return engine.leadership().map(lease -> {
            Leadership.Status s = lease.status();
            boolean active = lease.mayAct();
            return new Pair(active, s.fence(), active ? lease.name() : s.activeEngine(),
                    active ? lease.config().url() : s.activeUrl(), s.since(),
                    s.role() == dev.hotline.ha.Role.ACTIVE && !active ? "the lease ran out on this engine's clock"
                            : s.why());
        });
    }

    // ------------------------------------------------------------------------------------------ adapters

    /** The API's reports over the records' {@link Reports} and the writer's commits. */
    static CallReports callReports(Reports reports, RecordWriter writer) {
        return new CallReports() {
            @Override
            public ZoneId zone() {
                return reports.zone();
            }

            @Override
            public List<CallRecord> calls(Instant from, Instant to) throws SQLException {
                return reports.calls(from, to);
            }

            @Override
            public List<QueueKpis> queues(List<CallRecord> calls, Instant from, Instant to, Grouping by) {
                return reports.queues(calls, from, to, by);
            }

            @Override
            public void onStored(Consumer<List<CallRecord>> listener) {
                if (writer != null) {
                    writer.onStored(listener);
                }
            }
        };
    }

    /** The API's user storage over the records database. */
    static UserStorage userStorage(AppDatabase database) {
        return new UserStorage() {
            @Override
            public DataSource dataSource() {
                return database.dataSource();
            }

            @Override
            public void migrate() throws SQLException {
                database.migrate();
            }

            @Override
            public String description() {
                return database.description();
            }
        };
    }
}
