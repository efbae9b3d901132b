package org.jpkl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jpkl.api.JpklFormatException;

/**
 * The version check of the format-1.0 reader as it was before tiles (JpklFileReader at commit
 * 216fc01, kept verbatim), so that a test shows what that reader does with a tiled (2.0) file: it
 * refuses it, naming the version, before reading anything else.
 */
final class FormatOnePreamble {
    private static final int MAJOR_VERSION = 1;

    private FormatOnePreamble() {
    }

    static void check(String name, byte[] file) throws JpklFormatException {
        ByteBuffer pre = ByteBuffer.wrap(file, 0, 16).order(ByteOrder.LITTLE_ENDIAN);
        int major = pre.getShort(8) & 0xFFFF;
        int minor = pre.getShort(10) & 0xFFFF;
        if (major != MAJOR_VERSION) {
            throw new JpklFormatException(name, "preamble", "format version " + major + "." + minor
                    + " is not supported; this library reads version " + MAJOR_VERSION + ".x");
        }
    }
}
