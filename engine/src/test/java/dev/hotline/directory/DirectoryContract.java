package dev.hotline.directory;

import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.ha.Fence;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.schedule.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@link Directory} on a migrated database, run against H2 and MariaDB by the subclasses. */
@Tag("slow")
abstract class DirectoryContract {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;
    TestDatabase db;
    final List<String> applied = new CopyOnWriteArrayList<>();
    final Directory.LiveTarget target = new Directory.LiveTarget() {
        @Override
        public void defineAgent(AgentConfig agent, boolean disabled) {
            applied.add("agent " + agent.id() + " " + new java.util.TreeMap<>(agent.skills()) + " "
                    + new java.util.TreeSet<>(agent.queues()) + (disabled ? " disabled" : ""));
        }

        @Override
        public void disableAgent(String agentId, String by) {
            applied.add("disable agent " + agentId + " by " + by);
        }

        @Override
        public void defineQueue(QueueConfig queue, boolean disabled) {
            applied.add("queue " + queue.name() + " " + queue.skills() + " max " + queue.maxWait().toSeconds()
                    + (disabled ? " disabled" : ""));
        }

        @Override
        public void disableQueue(String name, String by) {
            applied.add("disable queue " + name + " by " + by);
        }
    };
    final List<Directory> opened = new CopyOnWriteArrayList<>();

    abstract TestDatabase.Kind kind();

    private final Scheduler scheduler = Scheduler.system();

    @BeforeEach
    void open() {
        db = TestDatabase.open(kind(), dir.resolve("db"));
    }

    @AfterEach
    void close() throws SQLException {
        opened.forEach(Directory::close);
        scheduler.close();
        db.close();
    }

    static final List<AgentConfig> FILE_AGENTS = List.of(new AgentConfig("1001", "Alice", List.of("PJSIP/1001"),
            Map.of("sales", 9), Set.of("team-a"), "paris", Set.of("en")));
    static final List<QueueConfig> FILE_QUEUES = List.of(QueueConfig.simple("sales", Map.of("sales", 1)),
            QueueConfig.simple("support", Map.of("support", 1)));

    Directory directory() {
        Directory d = new Directory(FILE_AGENTS, FILE_QUEUES, db.database(), target, Fence.SINGLE, scheduler,
                InstantSource.fixed(T0)).start(Duration.ofSeconds(10));
        opened.add(d);
        return d;
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    static DirectoryException failure(CompletableFuture<?> f) {
        Throwable t = catchThrowable(() -> f.join());
        assertThat(t).isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(DirectoryException.class);
        return (DirectoryException) t.getCause();
    }

    @Test
    void theFilesAreTheBaseAndSeedTheSkillCatalogue() {
        Directory d = directory();
        assertThat(d.loaded()).isTrue();
        assertThat(d.agents()).extracting(e -> e.value().id(), Entry::origin)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1001", Entry.Origin.FILE));
        assertThat(d.queues()).extracting(e -> e.value().name()).containsExactly("sales", "support");
        assertThat(d.skills()).extracting(e -> e.value().name()).containsExactly("sales", "support");
        assertThat(applied).as("nothing stored: nothing to apply over the files").isEmpty();
    }

    @Test
    void aCreatedAgentIsStoredAppliedAndOverridesNothingButExtendsTheFiles() throws Exception {
        Directory d = directory();
        Change<AgentConfig> c = await(d.createAgent("{\"id\": \"1002\", \"name\": \"Bruno\", \"endpoint\": "
                + "\"PJSIP/1002\", \"skills\": {\"support\": 4}, \"teams\": [\"team-a\"], \"queues\": [\"support\"]}",
                "root"));
        assertThat(c.before()).isEmpty();
        assertThat(c.after().origin()).isEqualTo(Entry.Origin.DATABASE);
        assertThat(c.after().updatedBy()).isEqualTo("root");
        assertThat(applied).containsExactly("agent 1002 {support=4} [support]");

        applied.clear();
        Directory again = directory();
        assertThat(again.agent("1002").orElseThrow().value().queues()).containsExactly("support");
        assertThat(again.agent("1001").orElseThrow().origin()).isEqualTo(Entry.Origin.FILE);
        assertThat(applied).as("a restart applies the stored rows").containsExactly("agent 1002 {support=4} [support]");

        DirectoryException dup = failure(d.createAgent("{\"id\": \"1002\", \"endpoint\": \"PJSIP/1002\"}", "root"));
        assertThat(dup.kind()).isEqualTo(DirectoryException.Kind.CONFLICT);
    }

    @Test
    void aChangeOfAFileAgentOverridesItByIdAcrossRestarts() throws Exception {
        Directory d = directory();
        Change<AgentConfig> c = await(d.patchAgent("1001", Map.of("skills", Map.of("sales", 9, "support", 3)),
                "sam"));
        assertThat(c.before().orElseThrow().value().skills()).isEqualTo(Map.of("sales", 9));
        assertThat(c.after().value().skills()).isEqualTo(Map.of("sales", 9, "support", 3));
        assertThat(c.after().origin()).isEqualTo(Entry.Origin.OVERRIDDEN);
        assertThat(c.after().value().name()).as("the other keys are kept").isEqualTo("Alice");

        applied.clear();
        Directory again = directory();
        assertThat(again.agent("1001").orElseThrow().value().skills()).isEqualTo(Map.of("sales", 9, "support", 3));
        assertThat(applied).containsExactly("agent 1001 {sales=9, support=3} []");
    }

    @Test
    void badValuesAreRefusedWithTheFieldAndWhatIsExpectedAndNothingChanges() throws Exception {
        Directory d = directory();
        DirectoryException e = failure(d.patchAgent("1001", Map.of("skills", Map.of("sales", 11)), "sam"));
        assertThat(e.kind()).isEqualTo(DirectoryException.Kind.INVALID);
        assertThat(e.problems()).extracting(p -> p.path()).containsExactly("skills.sales");
        assertThat(e.getMessage()).contains("skills.sales: 11 (expected: an integer from 1 to 10)");

        e = failure(d.createAgent("{\"id\": \"1003\", \"endpoint\": \"PJSIP/1003\", \"skils\": {}}", "root"));
        assertThat(e.getMessage()).contains("skils").contains("unknown key").contains("did you mean 'skills'");

        e = failure(d.patchAgent("1001", Map.of("skills", Map.of("french", 5)), "sam"));
        assertThat(e.getMessage()).contains("skills.french: unknown skill 'french' (expected one of: sales, support");

        e = failure(d.patchAgent("1001", Map.of("queues", List.of("nope")), "sam"));
        assertThat(e.getMessage()).contains("queues: unknown queue 'nope' (expected one of: sales, support)");

        e = failure(d.createQueue("{\"name\": \"vip\", \"skills\": {\"sales\": 1}, \"max_wait\": \"forever\"}",
                "root"));
        assertThat(e.getMessage()).contains("max_wait").contains("expected: a duration");
        e = failure(d.createQueue("{\"name\": \"vip\", \"on_timeout\": \"queue:nowhere\"}", "root"));
        assertThat(e.getMessage()).contains("unknown queue 'nowhere'");
        e = failure(d.patchAgent("9999", Map.of("skills", Map.of()), "sam"));
        assertThat(e.kind()).isEqualTo(DirectoryException.Kind.NOT_FOUND);

        assertThat(applied).isEmpty();
        assertThat(d.agent("1001").orElseThrow().origin()).isEqualTo(Entry.Origin.FILE);
        assertThat(directory().queue("vip")).isEmpty();
    }

    @Test
    void skillsComeFromTheCatalogueWhichAdminsExtendAndDisable() throws Exception {
        Directory d = directory();
        await(d.createSkill("french", "Speaks French with customers", "root"));
        await(d.patchAgent("1001", Map.of("skills", Map.of("sales", 9, "french", 6)), "sam"));
        await(d.setSkillEnabled("french", false, "root"));
        DirectoryException e = failure(d.createAgent("{\"id\": \"1003\", \"endpoint\": \"PJSIP/1003\", "
                + "\"skills\": {\"french\": 2}}", "root"));
        assertThat(e.getMessage()).contains("skill 'french' is disabled");
        // Who already has it keeps it through other changes.
        await(d.patchAgent("1001", Map.of("name", "Alice M."), "root"));
        assertThat(d.agent("1001").orElseThrow().value().skills()).containsEntry("french", 6);

        DirectoryException bad = failure(d.createSkill("Bad Name", "", "root"));
        assertThat(bad.kind()).isEqualTo(DirectoryException.Kind.INVALID);
        assertThat(bad.getMessage()).contains("expected: 1-64 of a-z");
        assertThat(directory().skill("french").orElseThrow().disabled()).isTrue();
        assertThat(directory().skill("french").orElseThrow().value().description())
                .isEqualTo("Speaks French with customers");
    }

    @Test
    void queuesAreCreatedRedefinedAndDisabledLive() throws Exception {
        Directory d = directory();
        await(d.createQueue("{\"name\": \"vip\", \"skills\": {\"sales\": 5}, \"max_wait\": \"2m\", "
                + "\"escalation\": [{\"after\": \"30s\", \"move_to\": \"sales\"}]}", "root"));
        await(d.patchQueue("sales", Map.of("max_wait", "90s"), "root"));
        await(d.setQueueEnabled("vip", false, "root"));
        DirectoryException again = failure(d.setQueueEnabled("vip", false, "root"));
        assertThat(again.kind()).isEqualTo(DirectoryException.Kind.CONFLICT);
        assertThat(applied).containsExactly("queue vip {sales=5} max 120", "queue sales {sales=1} max 90",
                "disable queue vip by root");

        applied.clear();
        Directory restarted = directory();
        assertThat(restarted.queue("vip").orElseThrow().disabled()).isTrue();
        assertThat(restarted.queue("sales").orElseThrow().value().maxWait()).isEqualTo(Duration.ofSeconds(90));
        assertThat(applied).containsExactlyInAnyOrder("queue vip {sales=5} max 120 disabled",
                "queue sales {sales=1} max 90");
    }

    @Test
    void disablingAndEnablingAnAgentIsStoredAndApplied() throws Exception {
        Directory d = directory();
        Change<AgentConfig> c = await(d.setAgentEnabled("1001", false, "root"));
        assertThat(c.before().orElseThrow().disabled()).isFalse();
        assertThat(c.after().disabled()).isTrue();
        assertThat(failure(d.setAgentEnabled("1001", false, "root")).kind())
                .isEqualTo(DirectoryException.Kind.CONFLICT);
        await(d.setAgentEnabled("1001", true, "root"));
        assertThat(applied).containsExactly("disable agent 1001 by root", "agent 1001 {sales=9} []");
    }

    @Test
    void aDatabaseThatIsDownRefusesChangesWithNothingHalfApplied() throws Exception {
        Directory d = directory();
        db.switchable().off();
        DirectoryException e = failure(d.patchAgent("1001", Map.of("skills", Map.of("sales", 3)), "sam"));
        assertThat(e.kind()).isEqualTo(DirectoryException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("unreachable").contains("nothing was changed");
        assertThat(d.agent("1001").orElseThrow().value().skills()).isEqualTo(Map.of("sales", 9));
        assertThat(applied).isEmpty();

        db.switchable().on();
        await(d.patchAgent("1001", Map.of("skills", Map.of("sales", 3)), "sam"));
        assertThat(applied).containsExactly("agent 1001 {sales=3} []");
    }

    @Test
    void startingWithTheDatabaseDownUsesTheFilesThenAppliesTheRowsWhenItIsBack() throws Exception {
        await(directory().createSkill("french", "", "root"));
        await(opened.getFirst().patchAgent("1001", Map.of("skills", Map.of("french", 4)), "root"));
        applied.clear();
        db.switchable().off();
        Directory d = new Directory(FILE_AGENTS, FILE_QUEUES, db.database(), target, Fence.SINGLE, scheduler,
                InstantSource.fixed(T0))
                .start(Duration.ofMillis(200));
        opened.add(d);
        assertThat(d.loaded()).isFalse();
        assertThat(d.agent("1001").orElseThrow().value().skills()).isEqualTo(Map.of("sales", 9));
        assertThat(failure(d.createSkill("german", "", "root")).kind())
                .isEqualTo(DirectoryException.Kind.UNAVAILABLE);

        db.switchable().on();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!d.loaded() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(d.loaded()).isTrue();
        assertThat(d.agent("1001").orElseThrow().value().skills()).isEqualTo(Map.of("french", 4));
        assertThat(applied).containsExactly("agent 1001 {french=4} []");
    }

    // ------------------------------------------------------------------------------------------ review fixes

    @Test
    void aQueueTheRoutingCoreWouldRefuseIsInvalidAndNeitherStoredNorApplied() throws Exception {
        Directory d = directory();
        DirectoryException e = failure(d.createQueue("{\"name\": \"vip\", \"strategy\": \"most-skilled\"}", "root"));
        assertThat(e.kind()).isEqualTo(DirectoryException.Kind.INVALID);
        assertThat(e.problems()).extracting(p -> p.path()).containsExactly("strategy");
        assertThat(e.getMessage()).contains("most-skilled with no skills");
        e = failure(d.patchQueue("sales", Map.of("escalation", List.of(Map.of("after", "30s", "move_to", "sales"))),
                "root"));
        assertThat(e.problems()).extracting(p -> p.path()).containsExactly("escalation[0].move_to");
        e = failure(d.patchQueue("sales", Map.of("strategy", "most-skilled", "skills", Map.of()), "root"));
        assertThat(e.problems()).extracting(p -> p.path()).containsExactly("strategy");

        assertThat(applied).isEmpty();
        assertThat(d.queue("vip")).isEmpty();
        Directory restarted = directory();
        assertThat(restarted.queue("vip")).as("nothing stored").isEmpty();
        assertThat(restarted.queue("sales").orElseThrow().origin()).isEqualTo(Entry.Origin.FILE);
    }

    @Test
    void aMoveThatWouldLeadBackIsInvalid() throws Exception {
        Directory d = directory();
        await(d.createQueue("{\"name\": \"vip\", \"escalation\": [{\"after\": \"30s\", \"move_to\": \"sales\"}]}",
                "root"));
        DirectoryException e = failure(d.patchQueue("sales", Map.of("escalation", List.of(Map.of("after", "60s",
                "move_to", "vip"))), "root"));
        assertThat(e.kind()).isEqualTo(DirectoryException.Kind.INVALID);
        assertThat(e.problems()).extracting(p -> p.path()).containsExactly("escalation[0].move_to");
        assertThat(e.getMessage()).contains("\"vip\" leads back to sales (sales → vip → sales;");
        assertThat(applied).containsExactly("queue vip {} max 180");
    }

    @Test
    void storedQueueRowsAreAppliedTargetsFirstAndABadRowIsSkippedWithoutStoppingTheOthers() throws Exception {
        directory();   // migrates
        DirectoryStore store = new DirectoryStore(db.database().dataSource());
        // Written before the checks existed: a cycle (b-loop closed it last), a self-move and a bad strategy.
        store.saveQueue(new DirectoryStore.Row("a-main", "{\"name\": \"a-main\", \"escalation\": [{\"after\": "
                + "\"30s\", \"move_to\": \"z-overflow\"}]}", false, T0, "root"));
        store.saveQueue(new DirectoryStore.Row("z-overflow", "{\"name\": \"z-overflow\"}", false, T0, "root"));
        store.saveQueue(new DirectoryStore.Row("a-loop", "{\"name\": \"a-loop\", \"escalation\": [{\"after\": "
                + "\"30s\", \"move_to\": \"sales\"}]}", false, T0, "root"));
        store.saveQueue(new DirectoryStore.Row("sales", "{\"name\": \"sales\", \"skills\": {\"sales\": 1}, "
                + "\"escalation\": [{\"after\": \"30s\", \"move_to\": \"a-loop\"}]}", false, T0.plusSeconds(1),
                "root"));
        store.saveQueue(new DirectoryStore.Row("self", "{\"name\": \"self\", \"escalation\": [{\"after\": "
                + "\"30s\", \"move_to\": \"self\"}]}", false, T0, "root"));
        store.saveQueue(new DirectoryStore.Row("ranked", "{\"name\": \"ranked\", \"strategy\": \"most-skilled\"}",
                false, T0, "root"));
        store.saveAgent(new DirectoryStore.Row("1001", "{\"id\": \"1001\", \"endpoint\": \"PJSIP/1001\", "
                + "\"skills\": {\"sales\": 3}}", true, T0, "root"));

        // A target that refuses one of them (as the ACD would, if a rule were missed): the rest still applies.
        List<String> seen = new CopyOnWriteArrayList<>();
        Directory.LiveTarget refusing = new Directory.LiveTarget() {
            @Override
            public void defineAgent(AgentConfig agent, boolean disabled) {
                seen.add("agent " + agent.id() + (disabled ? " disabled" : ""));
            }

            @Override
            public void disableAgent(String agentId, String by) {
                seen.add("disable agent " + agentId);
            }

            @Override
            public void defineQueue(QueueConfig queue, boolean disabled) {
                if (queue.name().equals("a-loop")) {
                    throw new IllegalArgumentException("refused by the target");
                }
                seen.add("queue " + queue.name());
            }

            @Override
            public void disableQueue(String name, String by) {
                seen.add("disable queue " + name);
            }
        };
        Directory d = new Directory(FILE_AGENTS, FILE_QUEUES, db.database(), refusing, Fence.SINGLE, scheduler,
                InstantSource.fixed(T0))
                .start(Duration.ofSeconds(10));
        opened.add(d);
        assertThat(d.loaded()).isTrue();
        assertThat(seen).as("z-overflow before a-main; the cycle's last link, the self-move and the bad strategy"
                + " skipped; a-loop refused; the agent row still applied")
                .containsExactly("queue z-overflow", "queue a-main", "agent 1001 disabled");
        assertThat(d.queue("sales").orElseThrow().origin()).as("the file's definition stands")
                .isEqualTo(Entry.Origin.FILE);
        assertThat(d.queue("a-loop")).as("refused by the target: not in effect").isEmpty();
        assertThat(d.queue("self")).isEmpty();
        assertThat(d.queue("ranked")).isEmpty();
        assertThat(await(d.patchAgent("1001", Map.of("name", "Alice"), "root")).after().disabled())
                .as("later changes work").isTrue();
    }
}
