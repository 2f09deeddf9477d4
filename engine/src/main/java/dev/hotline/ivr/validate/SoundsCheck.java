package dev.hotline.ivr.validate;

import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.yaml.YamlList;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlMap;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that every sound Hotline will ask Asterisk to play exists in an Asterisk sounds folder
 * ({@code /var/lib/asterisk/sounds}, with its language folders {@code en/}, {@code fr/} …): the prompts of the
 * scripts, in each language the script speaks, and what the queues play — the position and estimated-wait
 * announcements, the periodic message and the callback offer. A missing file is reported where it is written
 * ({@code file:line:col}, the script's key path or the configuration key), so {@code hotline validate --sounds}
 * finds a missing recording before a caller does (a caller would hear silence: the IVR skips a prompt it cannot
 * play, see {@code IvrInterpreter}).
 *
 * <p>Asterisk picks the format itself; any of {@link #FORMATS} counts. A name the engine plays without a language
 * ({@code queue-youarenext}, {@code hotline/callback-offer}) is found as Asterisk finds it: in the caller's language
 * folder ({@code en/queue-youarenext}) or at the top ({@code queue-youarenext}).
 */
public final class SoundsCheck {

    /** The file extensions Asterisk can play from (codec formats and sample rates). */
    public static final List<String> FORMATS = List.of("wav", "WAV", "wav16", "gsm", "ulaw", "ul", "alaw", "al", "sln",
            "sln12", "sln16", "sln24", "sln32", "sln44", "sln48", "sln96", "sln192", "raw", "g722", "g729", "g723",
            "g726", "ilbc", "siren7", "siren14", "speex", "speex16", "speex32", "ogg", "opus", "mp3");

    /** The announcements the ACD plays to waiting callers every {@code acd.announce_interval} (Asterisk's sounds). */
    public static final List<String> ANNOUNCEMENTS = List.of("queue-youarenext", "queue-thereare",
            "queue-callswaiting", "queue-holdtime", "queue-minutes");

    /** What a caller offered a callback hears besides the offer itself (Hotline's own recordings). */
    public static final List<String> CALLBACK_SOUNDS = List.of("hotline/callback-your-number",
            "hotline/callback-confirmed", "hotline/callback-no-number", "hotline/callback-unavailable",
            "hotline/callback-say-name");

    private final Path dir;

    public SoundsCheck(Path soundsDir) {
        this.dir = soundsDir;
    }

    /** Whether {@code file} ({@code en/welcome}) exists in the folder in any format. */
    public boolean exists(String file) {
        for (String ext : FORMATS) {
            if (Files.isRegularFile(dir.resolve(file + "." + ext))) {
                return true;
            }
        }
        return false;
    }

    /** Every prompt of the scripts read that is missing in one of the script's languages. */
    public List<YamlProblem> scripts(List<IvrLoader.ScriptFile> files) {
        List<YamlProblem> out = new ArrayList<>();
        for (IvrLoader.ScriptFile f : files) {
            List<String> languages = f.result().languages().isEmpty() ? List.of("en") : f.result().languages();
            for (SoundRef s : f.result().sounds()) {
                for (String file : s.files(languages)) {
                    if (!exists(file)) {
                        out.add(missing(s.at(), s.path(), file, List.of(file)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * What the queues play, checked in each of {@code languages} (those the scripts speak); located in
     * {@code configRoot}, the configuration file's YAML tree, by key.
     */
    public List<YamlProblem> queues(HotlineConfig config, Optional<YamlNode> configRoot, List<String> languages) {
        List<YamlProblem> out = new ArrayList<>();
        if (!config.acd().announceInterval().isZero()) {
            for (String name : ANNOUNCEMENTS) {
                checkUnprefixed(out, name, languages, configRoot, "acd.announce_interval", config.source());
            }
        }
        String periodic = config.acd().experience().periodicPrompt();
        if (!periodic.isEmpty()) {
            // The periodic message is played per language like an IVR prompt (Acd.playPeriodic).
            for (String lang : languages) {
                String file = periodic.contains("/") ? periodic : lang + "/" + periodic;
                if (!exists(file) && !exists(periodic)) {
                    out.add(missing(at(configRoot, "acd.periodic_message.prompt", config.source()),
                            "acd.periodic_message.prompt", file, List.of(file, periodic)));
                }
            }
        }
        List<QueueConfig> queues = config.queues();
        for (int i = 0; i < queues.size(); i++) {
            QueueConfig q = queues.get(i);
            if (q.callbackOffer().isEmpty()) {
                continue;
            }
            String key = "queues[" + i + "].callback_offer";
            checkUnprefixed(out, q.callbackOffer().get().prompt(), languages, configRoot,
                    locatable(configRoot, key + ".prompt") ? key + ".prompt" : key, config.source());
            for (String name : CALLBACK_SOUNDS) {
                checkUnprefixed(out, name, languages, configRoot, key, config.source());
            }
        }
        return dedupe(out);
    }

    private void checkUnprefixed(List<YamlProblem> out, String name, List<String> languages,
                                 Optional<YamlNode> root, String key, String source) {
        for (String lang : languages) {
            String inLanguage = lang + "/" + name;
            if (!exists(inLanguage) && !exists(name)) {
                out.add(missing(at(root, key, source), key, inLanguage, List.of(inLanguage, name)));
            }
        }
    }

    private YamlProblem missing(YamlLocation at, String path, String file, List<String> lookedFor) {
        return YamlProblem.error(at, path, "sound \"" + file + "\" is missing from " + dir + " (looked for "
                + String.join(" and ", lookedFor.stream().map(f -> f + ".{wav,gsm,ulaw,alaw,sln16,…}").toList()) + ")");
    }

    private static List<YamlProblem> dedupe(List<YamlProblem> problems) {
        Set<String> seen = new LinkedHashSet<>();
        return problems.stream().filter(p -> seen.add(p.toString())).toList();
    }

    private static boolean locatable(Optional<YamlNode> root, String key) {
        return root.flatMap(r -> find(r, key)).isPresent();
    }

    /** Where {@code key} ({@code acd.periodic_message.prompt}, {@code queues[2].callback_offer}) is written. */
    private static YamlLocation at(Optional<YamlNode> root, String key, String source) {
        return root.flatMap(r -> find(r, key)).orElse(new YamlLocation(source, 1, 1));
    }

    private static Optional<YamlLocation> find(YamlNode root, String key) {
        YamlNode node = root;
        YamlLocation at = root.location();
        for (String part : key.split("\\.")) {
            String name = part.replaceFirst("\\[\\d+]$", "");
            if (!(node instanceof YamlMap m) || m.get(name) == null) {
                return Optional.empty();
            }
            at = m.entries().get(name).keyLocation();
            node = m.get(name);
            if (part.endsWith("]")) {
                int i = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
                if (!(node instanceof YamlList l) || i >= l.items().size()) {
                    return Optional.empty();
                }
                node = l.items().get(i);
                at = node.location();
            }
        }
        return Optional.of(at);
    }
}
