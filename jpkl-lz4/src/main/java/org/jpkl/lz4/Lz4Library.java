package org.jpkl.lz4;

import net.jpountz.lz4.LZ4Factory;
import org.jpkl.api.spi.Availability;

/**
 * Whether lz4-java loads here, and which of its implementations this codec uses: the JNI binding
 * (lz4-java's bundled native LZ4) when its native library loads, else the pure-Java safe one. A
 * holder class: the probe runs once, the first time {@link Lz4Codec#availability()} needs it, never
 * when the codec is constructed or discovered, and logs one line naming the backend.
 *
 * <p>Thread safety: immutable after class initialisation.
 */
final class Lz4Library {
    private static final System.Logger LOG = System.getLogger(Lz4Codec.class.getName());

    /** The factory in use, or null if lz4-java does not load. */
    static final LZ4Factory FACTORY;
    /** The backend in words, e.g. {@code lz4-java 1.14.1 JNI}; or why lz4-java is unavailable. */
    static final String BACKEND;
    /** The probe's result. */
    static final Availability AVAILABILITY;

    static {
        LZ4Factory factory = null;
        String backend;
        Availability availability;
        try {
            Module module = LZ4Factory.class.getModule();
            String version = module.getDescriptor() == null ? "(version not known on the class path)"
                    : module.getDescriptor().rawVersion().orElse("(version unknown)");
            try {
                factory = LZ4Factory.nativeInstance();
                backend = "lz4-java " + version + " JNI (bundled native LZ4)";
            } catch (LinkageError | RuntimeException e) {
                factory = LZ4Factory.safeInstance();
                backend = "lz4-java " + version + " pure Java (safe); its JNI library did not load on "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + e;
            }
            availability = Availability.available();
            LOG.log(System.Logger.Level.INFO, "codec ''{0}'' uses {1}", Lz4Codec.ID, backend);
        } catch (LinkageError e) {
            backend = "lz4-java is not on the class path or cannot load (" + e + "); add at.yawk.lz4:lz4-java";
            availability = Availability.unavailable(backend);
        }
        FACTORY = factory;
        BACKEND = backend;
        AVAILABILITY = availability;
    }

    private Lz4Library() {
    }
}
