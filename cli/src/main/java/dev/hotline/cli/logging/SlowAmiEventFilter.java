package dev.hotline.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.hotline.net.RateLimitedLog;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.time.Duration;

/**
 * asterisk-java warns "Slow processing of event …" with the whole event dumped over several lines each time it
 * hands an event over late (a busy machine, a GC pause): dozens of lines a minute under load, each costing more
 * than the event. This filter drops those lines and says it once per {@link #EVERY} instead, with how many there
 * were, under {@code dev.hotline.ami.AmiConnection}. Registered in config/logback.xml; every other asterisk-java
 * line passes unchanged.
 */
public final class SlowAmiEventFilter extends TurboFilter {

    static final Duration EVERY = Duration.ofMinutes(5);
    private static final String PREFIX = "Slow processing of event";
    private static final String WARMUP_PREFIX = "(This is normal during JVM warmup) Slow processing of event";

    private final RateLimitedLog summary = new RateLimitedLog(LoggerFactory.getLogger("dev.hotline.ami.AmiConnection"),
            EVERY);

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (format == null || level == null || level.levelInt != Level.WARN_INT
                || !logger.getName().startsWith("org.asteriskjava.")
                || !(format.startsWith(PREFIX) || format.startsWith(WARMUP_PREFIX))) {
            return FilterReply.NEUTRAL;
        }
        summary.warn("slow-events", "AMI: asterisk-java handed events over late (the machine is busy or paused);"
                + " its per-event warnings are summarised here");
        return FilterReply.DENY;
    }
}
