package dev.hotline.ivr.runtime;

import java.util.List;
import java.util.stream.Collectors;

/** The path one call took through the IVR, step by step; stored with the call record. */
public record IvrPath(List<IvrEvent> steps) {

    public IvrPath {
        steps = List.copyOf(steps);
    }

    /** The nodes visited, in order, as {@code script/node}. */
    public List<String> nodes() {
        return steps.stream().filter(s -> s.kind() == IvrEvent.Kind.VISIT).map(s -> s.script() + "/" + s.node())
                .toList();
    }

    /** The keys the caller pressed, in order ({@code *} stands for masked input). */
    public String keys() {
        return steps.stream().filter(s -> s.kind() == IvrEvent.Kind.KEY).map(IvrEvent::detail)
                .collect(Collectors.joining());
    }
}
