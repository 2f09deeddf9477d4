package dev.hotline.records.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that needs the MariaDB at {@value MariaDbAvailable#HOST}:{@value MariaDbAvailable#PORT}. When
 * it is not reachable the class is skipped with a notice on stderr, unless {@code HOTLINE_REQUIRE_MARIADB=1} (set
 * by CI), which makes it fail instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MariaDbAvailable.class)
public @interface MariaDbTest {
}
