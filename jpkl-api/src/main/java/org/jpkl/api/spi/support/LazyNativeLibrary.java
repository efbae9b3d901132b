package org.jpkl.api.spi.support;

import java.util.Objects;
import org.jpkl.api.spi.Availability;

/**
 * A native library a codec binds on first use, never during discovery: {@link #availability()}
 * (which loads it), {@link #require()} for the factories, and one log line per instance naming the
 * library and its version, or why it is unavailable (both INFO: a missing optional library is a normal
 * state, reported by {@code availability()} and by every attempt to use the codec, not a warning on
 * every listing of the codecs).
 *
 * <p>The binding itself is the codec's (e.g. a JNA interface mapping); this class only runs it once,
 * keeps the outcome and words the failures: a library that cannot be loaded is reported with the
 * loader's own message on one line and the Debian package that brings it. Each codec instance owns
 * one {@code LazyNativeLibrary}, so two registries configured with different library names never see
 * each other (no static state).
 *
 * <p>Thread safety: thread-safe; the first caller loads, the others wait for its outcome.
 *
 * @param <T> the binding (the object whose methods call the library)
 */
public final class LazyNativeLibrary<T> {
    /** Binds a library by name, or throws (typically {@link UnsatisfiedLinkError}) when it cannot. */
    @FunctionalInterface
    public interface Binder<T> {
        /**
         * @param library the library's name or absolute path
         * @return the binding and a description naming the library file and its version
         */
        Bound<T> bind(String library);
    }

    /**
     * A bound library.
     *
     * @param api the binding
     * @param description what runs, e.g. {@code zfp version 1.0.0 via JNA 5.18.1 (/usr/lib/.../libzfp.so.1)}
     */
    public record Bound<T>(T api, String description) {
        /** Checks that both are present. */
        public Bound {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(description, "description");
        }
    }

    private final String codecId;
    private final String what;
    private final String library;
    private final String origin;
    private final String debianPackage;
    private final Binder<T> binder;
    private final System.Logger log;
    private final Object lock = new Object();
    /** The outcome once loaded: a {@link Bound} or the failure's text (guarded by {@link #lock}). */
    private Object outcome;

    /**
     * Nothing is loaded here.
     *
     * @param codecId the codec's id, for messages
     * @param what the library in words, e.g. {@code "zfp"}
     * @param library the name or path to load
     * @param origin how the name was chosen, e.g. {@code ""} or {@code " (named by provider option zfp.library)"}
     * @param debianPackage the Debian package that brings it, e.g. {@code "libzfp1"}
     * @param binder loads and binds it
     * @param logger where the one line goes (normally named after the codec class)
     */
    public LazyNativeLibrary(String codecId, String what, String library, String origin, String debianPackage, Binder<T> binder,
            System.Logger logger) {
        this.codecId = Objects.requireNonNull(codecId, "codecId");
        this.what = Objects.requireNonNull(what, "what");
        this.library = Objects.requireNonNull(library, "library");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.debianPackage = Objects.requireNonNull(debianPackage, "debianPackage");
        this.binder = Objects.requireNonNull(binder, "binder");
        this.log = Objects.requireNonNull(logger, "logger");
    }

    /** The name or path this instance loads. */
    public String library() {
        return library;
    }

    private Object outcome() {
        synchronized (lock) {
            if (outcome == null) {
                try {
                    outcome = binder.bind(library);
                    log.log(System.Logger.Level.INFO, "codec ''{0}'' uses {1}", codecId, ((Bound<?>) outcome).description());
                } catch (LinkageError | RuntimeException e) {
                    outcome = "the " + what + " library '" + library + "'" + origin + " could not be loaded: " + brief(e)
                            + "; install it (Debian/Ubuntu: apt-get install " + debianPackage + ")";
                    log.log(System.Logger.Level.INFO, "codec ''{0}'' is unavailable: {1}", codecId, outcome);
                }
            }
            return outcome;
        }
    }

    /** Loads the library on the first call; available, or unavailable with the reason. Never throws. */
    public Availability availability() {
        Object o = outcome();
        return o instanceof Bound ? Availability.available() : Availability.unavailable((String) o);
    }

    /**
     * The binding, loading the library on the first call.
     *
     * @throws IllegalStateException {@code codec 'ID' is unavailable: REASON} if it cannot be loaded
     */
    @SuppressWarnings("unchecked")
    public Bound<T> require() {
        Object o = outcome();
        if (o instanceof Bound) {
            return (Bound<T>) o;
        }
        throw new IllegalStateException("codec '" + codecId + "' is unavailable: " + o);
    }

    /** What runs (the bound description), or {@code unavailable: REASON}. Loads the library on the first call. */
    public String describe() {
        Object o = outcome();
        return o instanceof Bound ? ((Bound<?>) o).description() : "unavailable: " + o;
    }

    /**
     * An exception's message on one line: distinct lines only, without JNA's long "Native library (...)
     * not found in resource path" line, at most 400 characters.
     */
    public static String brief(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        StringBuilder b = new StringBuilder();
        message.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("Native library (")).distinct()
                .forEach(l -> b.append(b.length() == 0 ? "" : " ").append(l));
        String m = b.length() == 0 ? e.toString() : b.toString();
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }

    @Override
    public String toString() {
        return "LazyNativeLibrary[" + codecId + ", " + library + "]";
    }
}
