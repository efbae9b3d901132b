package org.jpkl.jpeg;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.spi.ImageReaderWriterSpi;
import org.jpkl.api.spi.Availability;

/**
 * The javax.imageio JPEG reader and writer providers a {@link JpegCodec} uses, chosen once on first
 * use from ImageIO's registry: the TwelveMonkeys plugin (class name {@code com.twelvemonkeys...}) when
 * it is registered, else the first JPEG provider in ImageIO's order (normally the JDK's
 * {@code com.sun.imageio.plugins.jpeg}). Looking the registry up may make ImageIO scan the class path
 * once (its own first-use behaviour); {@code ImageIO.scanForPlugins()} is never called.
 *
 * <p>Thread safety: immutable; the providers it holds are thread-safe factories.
 */
final class ImageIoJpeg {
    private static final String PREFERRED_PREFIX = "com.twelvemonkeys.";

    private final ImageReaderSpi readerSpi;
    private final ImageWriterSpi writerSpi;
    private final Availability availability;

    private ImageIoJpeg(ImageReaderSpi readerSpi, ImageWriterSpi writerSpi, Availability availability) {
        this.readerSpi = readerSpi;
        this.writerSpi = writerSpi;
        this.availability = availability;
    }

    /** Looks the providers up in ImageIO's default registry; never throws. */
    static ImageIoJpeg find() {
        try {
            IIORegistry registry = IIORegistry.getDefaultInstance();
            ImageReaderSpi reader = choose(registry.getServiceProviders(ImageReaderSpi.class, ImageIoJpeg::readsJpeg, true),
                    ImageReaderSpi::getPluginClassName);
            ImageWriterSpi writer = choose(registry.getServiceProviders(ImageWriterSpi.class, ImageIoJpeg::readsJpeg, true),
                    ImageWriterSpi::getPluginClassName);
            if (reader == null || writer == null) {
                return new ImageIoJpeg(reader, writer, Availability.unavailable("javax.imageio has no JPEG "
                        + (reader == null ? "reader" : "writer") + " registered; put com.twelvemonkeys.imageio:imageio-jpeg on the"
                        + " class path or use a JDK with the java.desktop module"));
            }
            return new ImageIoJpeg(reader, writer, Availability.available());
        } catch (RuntimeException | LinkageError e) {
            return new ImageIoJpeg(null, null, Availability.unavailable("javax.imageio could not be used for JPEG: " + e));
        }
    }

    private static boolean readsJpeg(Object provider) {
        for (String name : ((ImageReaderWriterSpi) provider).getFormatNames()) {
            if (name.toLowerCase(Locale.ROOT).equals("jpeg")) {
                return true;
            }
        }
        return false;
    }

    private static <T> T choose(Iterator<T> providers, Function<T, String> className) {
        T first = null;
        while (providers.hasNext()) {
            T p = providers.next();
            if (className.apply(p).startsWith(PREFERRED_PREFIX)) {
                return p;
            }
            if (first == null) {
                first = p;
            }
        }
        return first;
    }

    /** Whether both a reader and a writer were found, and if not, why. */
    Availability availability() {
        return availability;
    }

    /** A new reader of the chosen provider. */
    ImageReader newReader() {
        requireAvailable();
        try {
            return readerSpi.createReaderInstance();
        } catch (IOException e) {
            throw new IllegalStateException("JPEG reader " + readerSpi.getPluginClassName() + " could not be created: " + e, e);
        }
    }

    /** A new writer of the chosen provider. */
    ImageWriter newWriter() {
        requireAvailable();
        try {
            return writerSpi.createWriterInstance();
        } catch (IOException e) {
            throw new IllegalStateException("JPEG writer " + writerSpi.getPluginClassName() + " could not be created: " + e, e);
        }
    }

    private void requireAvailable() {
        if (!availability.isAvailable()) {
            throw new IllegalStateException("codec '" + JpegCodec.ID + "' is unavailable: " + availability.reason().orElse(""));
        }
    }

    /** The reader's class name, e.g. {@code com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader}; empty if none. */
    String readerClassName() {
        return readerSpi == null ? "" : readerSpi.getPluginClassName();
    }

    /** The writer's class name; empty if none. */
    String writerClassName() {
        return writerSpi == null ? "" : writerSpi.getPluginClassName();
    }

    /** E.g. {@code reader com.twelvemonkeys...JPEGImageReader (TwelveMonkeys/Oracle Corporation 3.14.0/0.5), writer ...}. */
    String describe() {
        if (readerSpi == null && writerSpi == null) {
            return "unavailable: " + availability.reason().orElse("");
        }
        return "reader " + describe(readerSpi) + ", writer " + describe(writerSpi)
                + (availability.isAvailable() ? "" : "; unavailable: " + availability.reason().orElse(""));
    }

    private static String describe(ImageReaderWriterSpi spi) {
        return spi == null ? "none" : spi.getPluginClassName() + " (" + spi.getVendorName() + " " + spi.getVersion() + ")";
    }
}
