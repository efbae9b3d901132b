package org.jpkl.api;

import java.io.IOException;
import java.util.Objects;

/**
 * A file or stream is not a valid container, or is damaged: wrong magic, unsupported version,
 * inconsistent header, index or footer, a checksum mismatch, or a slice its codec cannot decode.
 * The message names the file (or stream), the region and what was expected.
 *
 * <p>Thread safety: immutable.
 */
public class JpklFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String region;

    /**
     * @param source the file or stream name
     * @param region the part at fault, e.g. {@code "header"}, {@code "index"}, {@code "slice (0, 5, 2)"}
     * @param detail what is wrong and what was expected
     */
    public JpklFormatException(String source, String region, String detail) {
        this(source, region, detail, null);
    }

    /** As {@link #JpklFormatException(String, String, String)}, with the underlying cause. */
    public JpklFormatException(String source, String region, String detail, Throwable cause) {
        super(source + ": " + region + ": " + detail, cause);
        this.source = Objects.requireNonNull(source, "source");
        this.region = Objects.requireNonNull(region, "region");
    }

    /** The file or stream name. */
    public String source() {
        return source;
    }

    /** The region at fault, e.g. {@code "header"} or {@code "slice (0, 5, 2)"}. */
    public String region() {
        return region;
    }
}
