package org.jpkl.api.spi;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jpkl.api.io.RandomAccessSource;

/**
 * An immutable snapshot of the available {@link ContainerSerializer}s, sorted by id; built like
 * {@link SliceCodecs} (from a {@link ClassLoader}, or explicitly), never a global registry.
 *
 * <p>Thread safety: immutable.
 */
public final class ContainerSerializers {
    private final ProviderIndex<ContainerSerializer> index;

    private ContainerSerializers(ProviderIndex<ContainerSerializer> index) {
        this.index = index;
    }

    /** Scans {@code loader} for {@code META-INF/services/org.jpkl.api.spi.ContainerSerializer} entries. */
    public static ContainerSerializers load(ClassLoader loader) {
        return new ContainerSerializers(ProviderIndex.load("ContainerSerializer", ContainerSerializer.class,
                Objects.requireNonNull(loader, "loader"), ContainerSerializer::id));
    }

    /** Scans the thread's context class loader, or this library's loader when there is none. */
    public static ContainerSerializers load() {
        return load(ProviderIndex.defaultLoader(ContainerSerializers.class));
    }

    /** Exactly these serializers, no scanning. */
    public static ContainerSerializers of(ContainerSerializer... serializers) {
        return new ContainerSerializers(ProviderIndex.of("ContainerSerializer", List.of(serializers), List.of(), ContainerSerializer::id));
    }

    /** All serializers, sorted by id. */
    public List<ContainerSerializer> all() {
        return index.all();
    }

    /** All ids, sorted. */
    public List<String> ids() {
        return index.ids();
    }

    /** The serializer with this id. */
    public Optional<ContainerSerializer> find(String id) {
        return index.find(id);
    }

    /**
     * The serializer with this id.
     *
     * @throws IllegalArgumentException naming the id and the available ids
     */
    public ContainerSerializer require(String id) {
        return index.find(id).orElseThrow(() -> new IllegalArgumentException(index.unknownMessage(id)));
    }

    /** The first serializer (by id) whose {@link ContainerSerializer#canRead} accepts the source. */
    public Optional<ContainerSerializer> detect(RandomAccessSource source) throws IOException {
        for (ContainerSerializer s : index.all()) {
            if (s.canRead(source)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Problems met while scanning, empty when all loaded. */
    public List<String> problems() {
        return index.problems();
    }

    @Override
    public String toString() {
        return "ContainerSerializers" + index.ids();
    }
}
