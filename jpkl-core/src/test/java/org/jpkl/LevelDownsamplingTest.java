package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.Downsampling;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;
import org.jpkl.container.HeaderJson;
import org.jpkl.container.JpklFileSerializer;
import org.jpkl.testing.ReferenceLevels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header records how levels were made ({@code "downsampling"}, only with {@code "levels"}); a
 * file written before it was recorded reads as unknown, and {@code convert} copies level chunks only
 * when the source records the downsampling the target asks for.
 */
class LevelDownsamplingTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());
    private final NdArray array = NdArray.generate(DType.UINT8, new int[] {30, 22, 2}, i -> (i * 29) % 256);

    private static WriteOptions.Builder identity() {
        return WriteOptions.builder().codec(IdentityCodec.ID);
    }

    @Test
    void theHeaderRecordsTheDownsamplingOnlyWithLevels() throws IOException {
        Path nearest = dir.resolve("nearest.jpkl");
        jpkl.save(array, nearest, identity().levels(2).downsampling(Downsampling.NEAREST).build());
        try (JpklArray back = jpkl.open(nearest)) {
            assertEquals(Optional.of(Downsampling.NEAREST), back.levelDownsampling());
            assertEquals(Optional.of(Downsampling.NEAREST), back.header().levelDownsampling());
            String json = new String(HeaderJson.toBytes(back.header()), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"levels\":2,\"downsampling\":\"nearest\","), json);
        }
        Path mean = dir.resolve("mean.jpkl");
        jpkl.save(array, mean, identity().levels(1).build());
        try (JpklArray back = jpkl.open(mean)) {
            assertEquals(Optional.of(Downsampling.MEAN), back.levelDownsampling());
        }
        Path plain = dir.resolve("plain.jpkl");
        jpkl.save(array, plain, identity().downsampling(Downsampling.NEAREST).build());
        try (JpklArray back = jpkl.open(plain)) {
            assertEquals(Optional.empty(), back.levelDownsampling());
            assertFalse(new String(HeaderJson.toBytes(back.header()), StandardCharsets.UTF_8).contains("downsampling"));
        }
        ContainerHeader h = new ContainerHeader(new int[] {4, 6, 2}, DType.UINT8, PlaneLayout.jpkl(false), List.of(),
                IdentityCodec.ID, Map.of(), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.withLevels(0, Downsampling.MEAN));
        assertEquals("downsampling mean without levels: a header with no reduced levels records no downsampling", e.getMessage());
        String json = new String(HeaderJson.toBytes(h), StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> HeaderJson.fromBytes(
                json.replace("\"axis_names\"", "\"downsampling\":\"mean\",\"axis_names\"").getBytes(StandardCharsets.UTF_8)));
        assertEquals("'downsampling' \"mean\" without 'levels': a file without reduced levels records no downsampling", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HeaderJson.fromBytes(
                json.replace("\"axis_names\"", "\"levels\":1,\"downsampling\":\"mode\",\"axis_names\"").getBytes(StandardCharsets.UTF_8)));
        assertEquals("downsampling 'mode' is not known; use mean or nearest", e.getMessage());
        assertEquals(h.withLevels(1, Downsampling.NEAREST), HeaderJson.fromBytes(
                json.replace("\"axis_names\"", "\"levels\":1,\"downsampling\":\"nearest\",\"axis_names\"").getBytes(StandardCharsets.UTF_8)));
        assertEquals(h.withLevels(1, Downsampling.NEAREST).withLevels(0), h);
    }

    /** A file written before the downsampling was recorded: levels read, their making unknown, rebuilt by convert. */
    @Test
    void aFileWithoutTheKeyReadsAsUnknownAndConvertRebuildsItsLevels() throws IOException {
        Path old = dir.resolve("old.jpkl");
        ContainerHeader header = new ContainerHeader(array.shape(), array.dtype(), PlaneLayout.jpkl(false), List.of(),
                IdentityCodec.ID, Map.of(), Map.of(), 0, 0, 2);
        IdentityCodec codec = new IdentityCodec();
        try (JpklWriter w = new JpklWriter(new JpklFileSerializer().openWriter(old, header), codec, codec.params(Map.of()),
                Runnable::run, 1, Downsampling.NEAREST)) {
            for (long n = 0; n < w.header().sliceCount(); n++) {
                w.writeFrom(array, PlaneLayout.jpkl(false), n, 1);
            }
            w.commit();
        }
        try (JpklArray back = jpkl.open(old)) {
            assertEquals(3, back.levelCount());
            assertEquals(Optional.empty(), back.levelDownsampling());
            assertFalse(new String(HeaderJson.toBytes(back.header()), StandardCharsets.UTF_8).contains("downsampling"));
            assertEquals(ReferenceLevels.level(array, PlaneLayout.jpkl(false), Downsampling.NEAREST, 2), back.level(2).get("..."));
        }
        Path converted = dir.resolve("converted.jpkl");
        assertTrue(jpkl.convert(old, converted, WriteOptions.builder().levels(2).build()),
                "level 0 is copied, the levels of unknown making are rebuilt");
        try (JpklArray back = jpkl.open(converted)) {
            assertEquals(Optional.of(Downsampling.MEAN), back.levelDownsampling());
            assertEquals(ReferenceLevels.level(array, PlaneLayout.jpkl(false), Downsampling.MEAN, 2), back.level(2).get("..."));
        }
    }

    @Test
    void convertCopiesLevelsMadeTheSameWayAndRebuildsOthers() throws IOException {
        Path mean = dir.resolve("mean.jpkl");
        jpkl.save(array, mean, identity().levels(2).build());
        Path nearest = dir.resolve("nearest.jpkl");
        jpkl.save(array, nearest, identity().levels(2).downsampling(Downsampling.NEAREST).build());
        Path fromMean = dir.resolve("from-mean.jpkl");
        jpkl.convert(mean, fromMean, WriteOptions.builder().levels(2).downsampling(Downsampling.NEAREST).build());
        assertArrayEquals(Files.readAllBytes(nearest), Files.readAllBytes(fromMean), "nearest levels rebuilt from a mean file");
        Path back = dir.resolve("back.jpkl");
        jpkl.convert(fromMean, back, WriteOptions.builder().levels(2).build());
        assertArrayEquals(Files.readAllBytes(mean), Files.readAllBytes(back), "mean levels rebuilt from a nearest file");
        ContainerHeader meanHeader;
        try (JpklArray a = jpkl.open(mean)) {
            meanHeader = a.header();
        }
        assertTrue(meanHeader.withLevels(1).levelsCopyableFrom(meanHeader));
        assertFalse(meanHeader.withLevels(1, Downsampling.NEAREST).levelsCopyableFrom(meanHeader));
        assertFalse(meanHeader.levelsCopyableFrom(meanHeader.withLevels(1)), "more levels than the source");
        assertFalse(meanHeader.levelsCopyableFrom(meanHeader.withLevels(2, null)), "a source of unknown making");
        assertTrue(meanHeader.withLevels(0).levelsCopyableFrom(meanHeader.withLevels(2, null)));
    }

    /** Levels added to copied level-0 chunks, from whole planes or tile row by tile row, equal those built while writing. */
    @Test
    void levelsBuiltBesideCopiedLevelZeroEqualThoseBuiltWhileWriting() throws IOException {
        Path plain = dir.resolve("plain.jpkl");
        jpkl.save(array, plain, identity().storedTiles(8, 8).build());
        Path direct = dir.resolve("direct.jpkl");
        jpkl.save(array, direct, identity().storedTiles(8, 8).levels(2).downsampling(Downsampling.NEAREST).build());
        for (boolean byRows : new boolean[] {false, true}) {
            Path added = dir.resolve("added-" + byRows + ".jpkl");
            try (JpklArray in = jpkl.open(plain);
                 JpklWriter w = jpkl.newWriter(added, in.dtype(), in.shape(), identity().storedTiles(8, 8).levels(2)
                         .downsampling(Downsampling.NEAREST).build())) {
                org.jpkl.api.PlaneBuffer plane = org.jpkl.api.PlaneBuffer.allocate(in.header().planeSpec());
                for (long n = 0; n < in.sliceCount(); n++) {
                    for (long c = n * in.header().chunksPerSlice(); c < (n + 1) * in.header().chunksPerSlice(); c++) {
                        w.writeEncoded(c, in.readEncodedSlice(c));
                    }
                    if (byRows) {
                        w.writeLevelsFrom(in, n);
                    } else {
                        in.decodeSlice(n, plane);
                        w.writeLevelsOf(n, plane);
                    }
                }
                w.commit();
            }
            try (JpklArray a = jpkl.open(added); JpklArray b = jpkl.open(direct)) {
                assertEquals(b.header(), a.header());
                for (long c = 0; c < b.chunkCount(); c++) {
                    assertEquals(b.readEncodedSlice(c), a.readEncodedSlice(c), "chunk " + c + (byRows ? " by rows" : ""));
                }
            }
        }
        try (JpklArray in = jpkl.open(plain); JpklWriter w = jpkl.newWriter(dir.resolve("x.jpkl"), in.dtype(), in.shape(),
                identity().storedTiles(8, 8).build())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.writeLevelsFrom(in, 0));
            assertTrue(e.getMessage().endsWith(" has no reduced levels to write"), e.getMessage());
        }
    }
}
