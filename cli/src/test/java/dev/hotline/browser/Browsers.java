package dev.hotline.browser;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JUnit extension for browser tests ({@code @RegisterExtension static final Browsers BROWSERS = new Browsers();}):
 * starts one chromedriver per test class, hands out browsers ({@link #open}), and after each test saves a
 * screenshot, the page source and the console log of every browser when the test failed, then quits them.
 * Without Chromium or chromedriver the class is skipped with a notice, unless {@code HOTLINE_REQUIRE_BROWSER=1}.
 * Artifacts land in {@code cli/target/browser-artifacts/<test class>/}.
 */
public final class Browsers implements BeforeAllCallback, BeforeEachCallback, AfterTestExecutionCallback,
        AfterEachCallback, AfterAllCallback {

    private Chromium.Located located;
    private ChromeDriver driver;
    private Artifacts artifacts;
    private final List<BrowserSession> open = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        located = Chromium.locate();
        if (located.chromium().isPresent()) {
            artifacts = Artifacts.forClass(context.getRequiredTestClass());
            driver = ChromeDriver.start(located.chromium().get(), artifacts.dir().resolve("chromedriver.log"));
        } else if (!Chromium.required()) {
            System.err.println("SKIPPED browser tests of " + context.getDisplayName() + " — " + located.missing()
                    + "; set " + Chromium.REQUIRE + "=1 to make this a failure");
        }
    }

    /** Each test is reported skipped (or failed, when required) on its own, so the notice shows in the report. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (driver == null) {
            if (Chromium.required()) {
                throw new AssertionError(located.missing() + ", and " + Chromium.REQUIRE
                        + "=1 makes the browser tests mandatory");
            }
            Assumptions.abort("browser test skipped: " + located.missing());
        }
    }

    /** A new browser window named {@code name} (used in artifact names), closed after the test. */
    public BrowserSession open(String name) throws IOException {
        BrowserSession s = driver.newSession(name, artifacts);
        open.add(s);
        return s;
    }

    public Artifacts artifacts() {
        return artifacts;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (BrowserSession s : open) {
                s.saveDiagnostics("FAILED-" + context.getRequiredTestMethod().getName());
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(BrowserSession::close);
        open.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.close();
            System.err.println("browser tests: screenshots in " + artifacts.dir());
        }
    }
}
