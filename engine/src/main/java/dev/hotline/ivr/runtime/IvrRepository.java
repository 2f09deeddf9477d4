package dev.hotline.ivr.runtime;

import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.model.IvrScript;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The published IVR scripts and calendars, reloaded when their files change.
 *
 * <p>Design: {@link #poll()} re-reads both folders, re-parses only the files whose text changed, and decides
 * per file: a file that validates (alone and against the others, the queues and the calendars) replaces its
 * previous version; one that does not leaves the previous version published (or stays unpublished if new),
 * and its problems are logged and kept in {@link #problems()}. A deleted script stays published while another
 * published script still goes to it. The result is published as one new immutable {@link IvrCatalog}; calls
 * already running keep the catalog they started with. Polling (not a WatchService) keeps this simple, works
 * on every file system, and is driven directly by tests: {@link #start} only schedules {@link #poll()}.
 */
public final class IvrRepository implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IvrRepository.class);

    private final Path scriptsDir;
    private final Path calendarsDir;
    private final IvrLoader loader;
    private final Object lock = new Object();
    private volatile IvrCatalog current = IvrCatalog.EMPTY;
    private volatile List<YamlProblem> problems = List.of();
    private Map<Path, IvrLoader.ScriptFile> lastRead = Map.of();
    private Map<Path, IvrScript> published = Map.of();
    private Map<String, BusinessCalendar> calendars = Map.of();
    private volatile Map<String, BusinessCalendar> fileCalendars = Map.of();
    private volatile java.util.function.Supplier<Map<String, BusinessCalendar>> overlay = Map::of;
    private ScheduledExecutorService poller;

    public IvrRepository(Path scriptsDir, Path calendarsDir, IvrLoader loader) {
        this.scriptsDir = Objects.requireNonNull(scriptsDir, "scriptsDir");
        this.calendarsDir = Objects.requireNonNull(calendarsDir, "calendarsDir");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /** The catalog calls start on now. */
    public IvrCatalog current() {
        return current;
    }

    /**
     * Calendars laid over the calendar files at every {@link #poll()} (the database calendars): one of the same name
     * replaces the file's. Call {@link #poll()} after the overlay changed to publish it.
     */
    public IvrRepository overlay(java.util.function.Supplier<Map<String, BusinessCalendar>> calendarOverlay) {
        this.overlay = Objects.requireNonNull(calendarOverlay, "calendarOverlay");
        return this;
    }

    /** The valid calendars of the calendar files alone, as of the last {@link #poll()}. */
    public Map<String, BusinessCalendar> fileCalendars() {
        return fileCalendars;
    }

    /** The problems found by the last {@link #poll()}: files not (re)published, and warnings. */
    public List<YamlProblem> problems() {
        return problems;
    }

    /** Polls every {@code periodMillis} on a daemon thread, after a first {@link #poll()} now. */
    public IvrRepository start(long periodMillis) {
        poll();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ivr-reload");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                LOG.error("IVR reload failed; the published scripts stay", e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Reads the folders and publishes what validates.
     *
     * @return true when a new catalog was published
     */
    public boolean poll() {
        synchronized (lock) {
            List<YamlProblem> found = new ArrayList<>();
            IvrLoader.Calendars cals = loader.readCalendars(calendarsDir);
            found.addAll(cals.problems());
            // An invalid calendar file keeps its previous version, like a script.
            Map<String, BusinessCalendar> newFileCalendars = new LinkedHashMap<>(cals.calendars());
            for (YamlProblem p : cals.problems()) {
                String name = Path.of(p.location().file()).getFileName().toString().replaceFirst("\\.ya?ml$", "");
                if (p.severity() == YamlProblem.Severity.ERROR && fileCalendars.containsKey(name)) {
                    newFileCalendars.putIfAbsent(name, fileCalendars.get(name));
                }
            }
            fileCalendars = Map.copyOf(newFileCalendars);
            // The database calendars replace the files' of the same name.
            Map<String, BusinessCalendar> newCalendars = new LinkedHashMap<>(newFileCalendars);
            newCalendars.putAll(overlay.get());

            Map<Path, IvrLoader.ScriptFile> read = new LinkedHashMap<>();
            try {
                for (Path f : IvrLoader.scriptFiles(scriptsDir)) {
                    IvrLoader.ScriptFile before = lastRead.get(f);
                    IvrLoader.ScriptFile now = loader.read(f);
                    read.put(f, before != null && before.content().equals(now.content()) ? before : now);
                }
            } catch (IOException e) {
                found.add(YamlProblem.error(new YamlLocation(scriptsDir.toString(), 1, 1), "",
                        "cannot read folder: " + e + "; the published scripts stay"));
                problems = List.copyOf(found);
                LOG.error("IVR scripts folder {} unreadable: {}", scriptsDir, e.toString());
                return false;
            }

            // Candidate: each file's new version when it is valid on its own, else its published one.
            Map<Path, IvrScript> candidate = new LinkedHashMap<>();
            for (IvrLoader.ScriptFile f : read.values()) {
                found.addAll(f.problems());
                Optional<IvrScript> s = f.hasErrors() ? Optional.empty() : f.result().script();
                s.or(() -> Optional.ofNullable(published.get(f.path()))).ifPresent(v -> candidate.put(f.path(), v));
            }
            // Deleted files whose script a remaining one still goes to are kept.
            published.forEach((path, s) -> {
                if (!read.containsKey(path)) {
                    candidate.putIfAbsent(path, s);
                }
            });
            // Cross-checks may reject a file; dropping it can break another, so repeat until stable.
            java.util.Set<YamlProblem> crossAll = new java.util.LinkedHashSet<>();
            for (int round = 0; round < 10; round++) {
                List<IvrLoader.ScriptFile> valid = read.values().stream()
                        .filter(f -> candidate.containsKey(f.path()) && !f.hasErrors()
                                && f.result().script().equals(Optional.of(candidate.get(f.path())))).toList();
                Set<String> otherIds = new java.util.HashSet<>();
                candidate.forEach((p, s) -> {
                    if (valid.stream().noneMatch(f -> f.path().equals(p))) {
                        otherIds.add(s.id());
                    }
                });
                List<YamlProblem> cross = loader.crossCheck(valid, otherIds, newCalendars.keySet());
                crossAll.addAll(cross);
                boolean changed = false;
                for (YamlProblem p : cross) {
                    Path bad = Path.of(p.location().file());
                    if (p.severity() == YamlProblem.Severity.ERROR && candidate.containsKey(bad)) {
                        IvrScript old = published.get(bad);
                        if (old == null || old.equals(candidate.get(bad))) {
                            changed |= candidate.remove(bad) != null;
                        } else {
                            candidate.put(bad, old);
                            changed = true;
                        }
                    }
                }
                if (!changed) {
                    break;
                }
            }
            removeDeletedUnlessNeeded(candidate, read.keySet());
            found.addAll(crossAll);

            lastRead = read;
            problems = List.copyOf(found);
            for (YamlProblem p : found) {
                if (p.severity() == YamlProblem.Severity.ERROR) {
                    LOG.error("IVR script not published: {}", p);
                }
            }
            Map<String, IvrScript> byId = new LinkedHashMap<>();
            candidate.values().forEach(s -> byId.putIfAbsent(s.id(), s));
            if (candidate.equals(published) && newCalendars.equals(calendars)) {
                return false;
            }
            published = Map.copyOf(candidate);
            calendars = Map.copyOf(newCalendars);
            current = new IvrCatalog(current.version() + 1, byId, calendars);
            LOG.info("IVR catalog version {} published: scripts {}, calendars {}", current.version(), byId.keySet(),
                    calendars.keySet());
            return true;
        }
    }

    /** Drops scripts whose file is gone, unless a remaining script still has a goto to them. */
    private static void removeDeletedUnlessNeeded(Map<Path, IvrScript> candidate, Set<Path> present) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, Integer> wanted = new HashMap<>();
            candidate.values().forEach(s -> s.nodes().values().forEach(n -> {
                if (n instanceof dev.hotline.ivr.model.Node.Goto g && !g.script().equals(s.id())) {
                    wanted.merge(g.script(), 1, Integer::sum);
                }
            }));
            for (Path p : List.copyOf(candidate.keySet())) {
                if (!present.contains(p) && !wanted.containsKey(candidate.get(p).id())) {
                    candidate.remove(p);
                    changed = true;
                }
            }
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
