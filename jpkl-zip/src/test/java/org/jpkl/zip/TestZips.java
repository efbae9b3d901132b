package org.jpkl.zip;

import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-built ZIP archives for the zip tests (foreign, hostile or damaged layouts the writer never makes). */
final class TestZips {
    private TestZips() {
    }

    /** Adds entry {@code name} holding {@code data}, {@link ZipEntry#STORED} (with size and CRC) or deflated. */
    static void put(ZipOutputStream out, String name, byte[] data, int method) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(method);
        if (method == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            e.setCrc(crc.getValue());
        }
        out.putNextEntry(e);
        out.write(data);
        out.closeEntry();
    }
}
