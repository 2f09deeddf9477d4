package dev.hotline.bench.agi;

import dev.hotline.agi.AgiScript;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiRequest;

import java.time.Duration;

/**
 * The same ten-command call script for both servers: what a short IVR does (answer, greet, collect an account
 * number, store and read variables, read digits back, wait for a key, check the channel, log).
 */
final class BenchScripts {

    private BenchScripts() {
    }

    static final AgiScript HOTLINE = s -> {
        s.answer();
        s.streamFile("welcome", "");
        s.getData("enter-account", Duration.ofSeconds(3), 8);
        s.setVariable("ACCOUNT", "1234");
        s.getVariable("CRM_TIER");
        s.getFullVariable("${CHANNEL}");
        s.sayDigits("1234", "");
        s.waitForDigit(Duration.ofSeconds(5));
        s.channelStatus();
        s.verbose("bench done", 1);
    };

    static final class AsteriskJava implements org.asteriskjava.fastagi.AgiScript {
        @Override
        public void service(AgiRequest request, AgiChannel c) throws AgiException {
            c.answer();
            c.streamFile("welcome");
            c.getData("enter-account", 3000, 8);
            c.setVariable("ACCOUNT", "1234");
            c.getVariable("CRM_TIER");
            c.getFullVariable("${CHANNEL}");
            c.sayDigits("1234");
            c.waitForDigit(5000);
            c.getChannelStatus();
            c.verbose("bench done", 1);
        }
    }
}
