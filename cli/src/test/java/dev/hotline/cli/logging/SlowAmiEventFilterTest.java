package dev.hotline.cli.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** asterisk-java's per-event "Slow processing" warnings are dropped; its other lines and everyone else's pass. */
class SlowAmiEventFilterTest {

    @Test
    void slowEventWarningsOfAsteriskJavaBecomeOneSummary() {
        LoggerContext context = new LoggerContext();
        SlowAmiEventFilter filter = new SlowAmiEventFilter();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);

        Logger reader = context.getLogger("org.asteriskjava.manager.internal.ManagerReaderImpl");
        Logger connection = context.getLogger("org.asteriskjava.manager.internal.ManagerConnectionImpl");
        reader.warn("(This is normal during JVM warmup) Slow processing of event 45\nHangupEvent[...]");
        connection.warn("Slow processing of event null 14MS \nDeviceStateChangeEvent[...]");
        connection.warn("Unable to connect: Connection refused");
        context.getLogger("dev.hotline.Other").warn("Slow processing of event is our own words here");

        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("Event["))
                .contains("Unable to connect: Connection refused", "Slow processing of event is our own words here");
        // The filter's own summary goes through the application's logger factory, not this test context.
        assertThat(seen.list).hasSize(2);
    }
}
