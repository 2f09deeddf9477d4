package dev.hotline.cli.demo;

import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.ivr.validate.SoundRef;
import dev.hotline.ivr.validate.SoundsCheck;
import dev.hotline.simulator.dialplan.Media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sound files the demo's simulated Asterisk has: every prompt the IVR scripts play, in each language they speak,
 * what the queues play (announcements, the periodic message, callback offers) and the prompts the engine plays by
 * name — as {@code hotline validate --sounds} lists them — each lasting {@code length}. Any other file is missing, so
 * a script naming a prompt nobody recorded fails in the demo as it would on a real Asterisk (STREAM FILE answers
 * {@code 200 result=-1 endpos=0} and the session ends with AGISTATUS=FAILURE).
 */
public final class DemoSounds {

    /** Prompts the engine plays by name, outside scripts and queue settings. */
    static final List<String> ENGINE_PROMPTS = List.of("hotline/callback-offer", "hotline/callback-confirm",
            "hotline/callback-enter-number", "hotline/callback-whisper", "hotline/callback-connecting",
            "hotline/callback-agent-unavailable", "hotline/outbound-abandoned", "hotline/outbound-machine-message",
            "silence/1");

    private DemoSounds() {
    }

    /** The files of {@code config}'s scripts and queues. */
    public static Media of(HotlineConfig config, Duration length) {
        return Media.files(names(config), length);
    }

    /** The file names, sorted. */
    public static Set<String> names(HotlineConfig config) {
        Set<String> names = new TreeSet<>();
        Set<String> languages = new TreeSet<>();
        IvrLoader loader = new IvrLoader(Optional.empty(), System.getenv());
        Path dir = config.ivrScripts();
        if (Files.isDirectory(dir)) {
            try {
                for (Path file : IvrLoader.scriptFiles(dir)) {
                    var result = loader.read(file).result();
                    List<String> spoken = result.languages().isEmpty() ? List.of("en") : result.languages();
                    languages.addAll(spoken);
                    for (SoundRef sound : result.sounds()) {
                        names.addAll(sound.files(spoken));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("IVR scripts " + dir + ": " + e.getMessage(), e);
            }
        }
        if (languages.isEmpty()) {
            languages.add("en");
        }
        List<String> unprefixed = new ArrayList<>(SoundsCheck.ANNOUNCEMENTS);
        unprefixed.addAll(SoundsCheck.CALLBACK_SOUNDS);
        unprefixed.addAll(ENGINE_PROMPTS);
        String periodic = config.acd().experience().periodicPrompt();
        if (!periodic.isEmpty()) {
            unprefixed.add(periodic);
        }
        for (QueueConfig queue : config.queues()) {
            queue.callbackOffer().ifPresent(offer -> unprefixed.add(offer.prompt()));
        }
        for (String name : unprefixed) {
            names.add(name);
            languages.forEach(lang -> names.add(lang + "/" + name));
        }
        return names;
    }
}
