package org.jpkl.zip;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.RandomAccessSource;

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

    /** Copies {@code file} to {@code out} keeping the entries {@code keep} accepts and adding {@code extra} (name to bytes) at the end. */
    static Path copy(Path file, Path out, Predicate<String> keep, Map<String, byte[]> extra) throws IOException {
        try (ZipFile in = new ZipFile(file.toFile()); OutputStream os = Files.newOutputStream(out); ZipOutputStream zos = new ZipOutputStream(os)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                if (keep.test(e.getName())) {
                    zos.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(zos);
                    }
                    zos.closeEntry();
                }
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                zos.putNextEntry(new ZipEntry(e.getKey()));
                zos.write(e.getValue());
                zos.closeEntry();
            }
        }
        return out;
    }

    /** The message of the {@link JpklFormatException} with which the zip serializer refuses to open {@code file}. */
    static String refusal(Path file) {
        return assertThrows(JpklFormatException.class, () -> new ZipSerializer().openReader(RandomAccessSource.open(file)).close())
                .getMessage();
    }

    /** The entry names of {@code file}, in archive order. */
    static List<String> names(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
