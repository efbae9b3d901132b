package org.jpkl.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head, index and footer given apart from the slices are those the writer writes. */
class JpklFilePartsTest {
    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load()).build();

    @TempDir
    Path dir;

    @Test
    void headIndexAndFooterAroundTheSlicesMakeTheFileTheWriterWrites() throws IOException {
        NdArray a = NdArray.generate(DType.UINT8, new int[] {5, 6, 3}, i -> (i * 7) % 251);
        WriteOptions options = WriteOptions.builder().codec(IdentityCodec.ID).tiles(16, 16).levels(1).metadata("k", "v").build();
        Path file = dir.resolve("a.jpkl");
        jpkl.save(a, file, options);
        byte[] written = Files.readAllBytes(file);

        ContainerHeader header = jpkl.newHeader(a.dtype(), a.shape(), options);
        try (JpklWriter w = jpkl.newWriter(dir.resolve("b.jpkl"), a.dtype(), a.shape(), options)) {
            assertArrayEquals(HeaderJson.toBytes(w.header()), HeaderJson.toBytes(header), "newHeader is the writer's header");
        }
        byte[] head = JpklFileParts.head(header);
        assertArrayEquals(Arrays.copyOf(written, head.length), head);

        // The index and footer from each chunk's offset, length and CRC32C, as read back.
        int n = Math.toIntExact(header.chunkCount());
        long[] offsets = new long[n];
        long[] lengths = new long[n];
        int[] crcs = new int[n];
        long end = head.length;
        try (JpklArray back = jpkl.open(file)) {
            for (int c = 0; c < n; c++) {
                java.nio.ByteBuffer chunk = back.readEncodedSlice(c);
                lengths[c] = chunk.remaining();
                crcs[c] = FileLayout.crc32c(chunk);
            }
        }
        long indexOffset = written.length - JpklFileParts.indexAndFooterBytes(n);
        java.nio.ByteBuffer index = java.nio.ByteBuffer.wrap(written, Math.toIntExact(indexOffset), 20 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < n; c++) {
            offsets[c] = index.getLong(index.position() + 20 * c);
            end = Math.max(end, offsets[c] + lengths[c]);
        }
        assertEquals(indexOffset, end);
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        JpklFileParts.writeIndexAndFooter(indexOffset, offsets, lengths, crcs, b -> tail.write(b.array(), b.position(), b.remaining()));
        assertArrayEquals(Arrays.copyOfRange(written, Math.toIntExact(indexOffset), written.length), tail.toByteArray());

        assertEquals("offsets, lengths and crcs hold 2, 1 and 2 entries; they must be equal", assertThrows(IllegalArgumentException.class,
                () -> JpklFileParts.writeIndexAndFooter(0, new long[2], new long[1], new int[2], b -> { })).getMessage());
    }
}
