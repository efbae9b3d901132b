package org.jpkl.zstd;

import org.jpkl.api.spi.Availability;

/**
 * Whether zstd-jni and its native library load here. A holder class: the probe runs once, the first
 * time {@link ZstdCodec#availability()} needs it, never when the codec is constructed or discovered.
 * It touches zstd-jni only through {@link Class#forName}, so a missing jar or native library becomes
 * an {@link Availability#unavailable} reason instead of an error.
 *
 * <p>Thread safety: immutable after class initialisation.
 */
final class ZstdLibrary {
    private static final String ZSTD_CLASS = "com.github.luben.zstd.Zstd";

    /** The probe's result. */
    static final Availability AVAILABILITY = probe();

    private ZstdLibrary() {
    }

    private static Availability probe() {
        try {
            // Initialising Zstd loads the native library (its static initialiser calls Native.load()).
            Class<?> zstd = Class.forName(ZSTD_CLASS, true, ZstdLibrary.class.getClassLoader());
            Object maxLevel = zstd.getMethod("maxCompressionLevel").invoke(null);
            if (!(maxLevel instanceof Integer) || (Integer) maxLevel < ZstdCodec.MAX_LEVEL) {
                return Availability.unavailable("zstd-jni's native zstd supports levels up to " + maxLevel + ", this codec needs "
                        + ZstdCodec.MAX_LEVEL + "; use com.github.luben:zstd-jni 1.5 or later");
            }
            return Availability.available();
        } catch (ClassNotFoundException e) {
            return Availability.unavailable("zstd-jni is not on the class path (" + e + "); add com.github.luben:zstd-jni");
        } catch (NoClassDefFoundError e) {
            return Availability.unavailable("zstd-jni cannot be loaded (" + e + "); check that com.github.luben:zstd-jni is complete "
                    + "and its native library loads");
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
            return Availability.unavailable("zstd-jni's native library cannot load on " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + e);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Availability.unavailable("zstd-jni failed to initialise: " + cause);
        }
    }
}
