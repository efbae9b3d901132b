package org.jpkl.cli.input;

import java.util.List;
import java.util.Map;
import org.jpkl.api.PlaneLayout;

/**
 * What the array inputs ({@code .npy}, raw, {@code sample:}) share: axes resolved by
 * {@link Axes#forArray}, a description and the metadata to store.
 *
 * <p>Thread safety: not thread-safe.
 */
abstract class ArrayInput implements StackInput {
    private final Axes.Resolved axes;
    private final String description;
    private final Map<String, Object> metadata;

    ArrayInput(Axes.Resolved axes, String description, Map<String, Object> metadata) {
        this.axes = axes;
        this.description = description;
        this.metadata = Map.copyOf(metadata);
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final PlaneLayout layout() {
        return axes.layout();
    }

    @Override
    public final List<String> axisNames() {
        return axes.names();
    }

    @Override
    public final Map<String, Object> metadata() {
        return metadata;
    }
}
