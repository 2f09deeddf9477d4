package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The QA decisions stay pure: no JDBC, Jackson, Netty or asterisk-java in {@code dev.hotline.qa} itself. */
class QaPackageBoundaryTest {

    static final List<String> FORBIDDEN = List.of("import java.sql.", "import javax.sql.", "import com.fasterxml.",
            "import io.netty.", "import org.asteriskjava.", "import dev.hotline.acd.", "import dev.hotline.ami.",
            "import dev.hotline.records.");

    @Test
    void theEnginePackageImportsNoStorageNetworkOrTelephony() throws IOException {
        Path dir = Path.of("src/main/java/dev/hotline/qa");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(sources).hasSizeGreaterThan(10);
            for (Path p : sources) {
                String text = Files.readString(p);
                for (String f : FORBIDDEN) {
                    assertThat(text).as("%s imports %s", p.getFileName(), f).doesNotContain(f);
                }
            }
        }
    }
}
