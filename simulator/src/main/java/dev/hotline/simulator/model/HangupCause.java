package dev.hotline.simulator.model;

/** The Q.850 causes the simulator produces, with Asterisk's {@code Cause-txt} wording. */
public enum HangupCause {
    UNKNOWN(0, "Unknown"),
    NORMAL_CLEARING(16, "Normal Clearing"),
    USER_BUSY(17, "User busy"),
    NO_ANSWER(19, "User alerting, no answer"),
    SUBSCRIBER_ABSENT(20, "Subscriber absent"),
    ANSWERED_ELSEWHERE(26, "Answered elsewhere");

    private final int code;
    private final String text;

    HangupCause(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }
}
