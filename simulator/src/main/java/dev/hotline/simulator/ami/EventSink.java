package dev.hotline.simulator.ami;

import java.util.function.Supplier;

/** Where unsolicited AMI events go: every logged-in AMI session that wants them. */
public interface EventSink {

    EventSink NONE = event -> { };

    /** Takes a supplier so that nothing is built when no AMI client is listening (the load case). */
    void publish(Supplier<AmiMessage> event);
}
