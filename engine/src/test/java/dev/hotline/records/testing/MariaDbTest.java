package dev.hotline.records.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that needs the MariaDB at {@value MariaDbAvailable#HOST}:{@value MariaDbAvailable#PORT}. When
 * it is not reachable the class is skipped with a notice on stderr, unless {@code HOTLINE_REQUIRE_MARIADB=1} (set
 * by CI), which makes it fail instead. Tagged {@code slow}: {@code ./run-tests --fast} leaves it out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MariaDbAvailable.class)
@Tag("slow")
public @interface MariaDbTest {
}
