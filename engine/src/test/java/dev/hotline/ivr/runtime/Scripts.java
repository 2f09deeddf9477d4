package dev.hotline.ivr.runtime;

import dev.hotline.ivr.TestFiles;
import dev.hotline.ivr.model.IvrScript;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlProblem;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds catalogs from scripts written inline in tests, failing loudly when one does not validate. */
final class Scripts {

    private Scripts() {
    }

    static IvrCatalog catalog(String... yaml) {
        IvrLoader loader = new IvrLoader(Optional.empty(), Map.of());
        Map<String, IvrScript> scripts = new LinkedHashMap<>();
        for (int i = 0; i < yaml.length; i++) {
            IvrLoader.ScriptFile f = loader.parse(Path.of("test" + i + ".yaml"), yaml[i]);
            if (f.hasErrors()) {
                throw new AssertionError("test script does not validate: " + f.problems().stream()
                        .filter(p -> p.severity() == YamlProblem.Severity.ERROR).toList());
            }
            IvrScript s = f.result().script().orElseThrow();
            scripts.put(s.id(), s);
        }
        return new IvrCatalog(1, scripts, loader.readCalendars(TestFiles.resource("calendars")).calendars());
    }
}
