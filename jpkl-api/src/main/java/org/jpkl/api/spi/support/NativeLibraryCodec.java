package org.jpkl.api.spi.support;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.ProviderOptions;
import org.jpkl.api.spi.SliceCodec;

/**
 * The parts every codec built on one native library shares: its id and capabilities, the library
 * bound on first use ({@link LazyNativeLibrary}: never during discovery, availability with the reason,
 * one log line naming the library), the provider option {@code ID.library} naming another library
 * file, {@link #implementation()} and {@link #toString()}. Subclasses add the factories and build
 * configured copies with {@link #withLibrary}.
 *
 * <p>Thread safety: immutable and thread-safe (the library binding is loaded once, under a lock).
 *
 * @param <T> the library's binding
 */
public abstract class NativeLibraryCodec<T> implements SliceCodec {
    /** What a subclass tells this class about its library. */
    public record Library<T>(String what, String defaultName, String debianPackage, LazyNativeLibrary.Binder<T> binder) {
        /** Checks that each part is present. */
        public Library {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(defaultName, "defaultName");
            Objects.requireNonNull(debianPackage, "debianPackage");
            Objects.requireNonNull(binder, "binder");
        }
    }

    private final String id;
    private final CodecCapabilities capabilities;
    private final LazyNativeLibrary<T> library;

    /**
     * Nothing is loaded here.
     *
     * @param name the library's name or path, or null for {@code library.defaultName()}
     */
    protected NativeLibraryCodec(String id, CodecCapabilities capabilities, Library<T> library, String name) {
        this.id = Objects.requireNonNull(id, "id");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        String origin = name == null ? "" : " (named by provider option " + optionKey() + ")";
        this.library = new LazyNativeLibrary<>(id, library.what(), name == null ? library.defaultName() : name, origin,
                library.debianPackage(), library.binder(), System.getLogger(getClass().getName()));
    }

    /** This codec, binding the library {@code name} (a JNA name or an absolute path) instead. */
    protected abstract NativeLibraryCodec<T> withLibrary(String name);

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final CodecCapabilities capabilities() {
        return capabilities;
    }

    /** The provider option naming the library: {@code ID.library}. */
    public final String optionKey() {
        return id + ".library";
    }

    @Override
    public final Set<String> optionKeys() {
        return Set.of(optionKey());
    }

    /**
     * @throws IllegalArgumentException if the library option is blank
     */
    @Override
    public final NativeLibraryCodec<T> configure(ProviderOptions options) {
        Optional<String> name = options.get(optionKey());
        if (name.isEmpty()) {
            return this;
        }
        if (name.get().isBlank()) {
            throw new IllegalArgumentException("provider option " + optionKey() + " ('" + name.get()
                    + "') must name a library (a name such as " + library.library() + ", or an absolute path)");
        }
        return withLibrary(name.get().trim());
    }

    /** Loads the library on the first call; unavailable, with the reason, if it cannot be loaded. */
    @Override
    public final Availability availability() {
        return library.availability();
    }

    /** What runs (the library, its version and file), or {@code unavailable: REASON}. Loads the library on the first call. */
    public final String implementation() {
        return library.describe();
    }

    /**
     * The binding, loading the library on the first call (for the factories).
     *
     * @throws IllegalStateException {@code codec 'ID' is unavailable: REASON} if it cannot be loaded
     */
    protected final T api() {
        return library.require().api();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + ", library=" + library.library() + "]";
    }
}
