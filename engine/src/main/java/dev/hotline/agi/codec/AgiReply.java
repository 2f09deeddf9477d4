package dev.hotline.agi.codec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** A reply to one AGI command. */
public sealed interface AgiReply extends AgiInbound
        permits AgiReply.Success, AgiReply.Trying, AgiReply.InvalidCommand, AgiReply.DeadChannel, AgiReply.Usage {

    /**
     * {@code 200 result=<result>[ (<extra>)][ endpos=<n>]}. {@code result} is kept as text because Asterisk
     * sends an empty one ({@code 200 result= (timeout)}) after a GET DATA timeout.
     */
    record Success(String result, Optional<String> extra, OptionalLong endpos) implements AgiReply {

        public Success {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(extra, "extra");
            Objects.requireNonNull(endpos, "endpos");
        }

        public static Success of(String result) {
            return new Success(result, Optional.empty(), OptionalLong.empty());
        }

        /** The result as a number; an empty result (GET DATA timeout) counts as 0. */
        public long resultCode() {
            if (result.isEmpty()) {
                return 0;
            }
            try {
                return Long.parseLong(result);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        public boolean isFailure() {
            return "-1".equals(result);
        }
    }

    /** {@code 100 result=0 Trying...}: interim reply (GOSUB); the real reply follows. */
    record Trying(String text) implements AgiReply {
    }

    /** {@code 510 Invalid or unknown command}. */
    record InvalidCommand(String text) implements AgiReply {
    }

    /** {@code 511 Command Not Permitted on a dead channel or intercept routine}. */
    record DeadChannel(String text) implements AgiReply {
    }

    /** {@code 520-Invalid command syntax.  Proper usage follows:} … {@code 520 End of proper usage.} */
    record Usage(List<String> lines) implements AgiReply {

        public Usage {
            lines = List.copyOf(lines);
        }
    }
}
