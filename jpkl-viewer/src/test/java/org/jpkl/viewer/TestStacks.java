package org.jpkl.viewer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.JpklWriter;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.TileGrid;

/** Deterministic test containers for the viewer's tests. */
final class TestStacks {
    private TestStacks() {
    }

    /**
     * A smooth uint16 4-D stack {@code (y, x, z, c)} of 512 x 512 planes, 8 z by 3 channels, stored
     * losslessly (deflate), with z in micrometres and named channels in the metadata. Each plane
     * differs from its neighbours (the pattern moves with z and c) and has some noise, so a wrong
     * slice or a shifted pixel is visible in the values.
     */
    static Path uint16Stack(Jpkl jpkl, Path dir, int z, int c) throws IOException {
        int h = 512;
        int w = 512;
        int[] shape = {h, w, z, c};
        NdArray a = NdArray.generate(DType.UINT16, shape, i -> {
            int ch = (int) (i % c);
            int zz = (int) (i / c % z);
            int x = (int) (i / c / z % w);
            int y = (int) (i / c / z / w);
            double blob = Math.exp(-(sq(x - 120 - 30 * zz - 60 * ch) + sq(y - 200 - 20 * zz)) / (2 * sq(60)));
            double ramp = (x + 2 * y) * 2.0;
            long hash = (i * 0x9E3779B97F4A7C15L) >>> 54;
            return 500 + 1000 * ch + ramp + 9000 * blob + hash;
        });
        Path file = dir.resolve("stack16.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("deflate").axisNames("y", "x", "z", "c")
                .metadata("axes", Map.of("z", Map.of("unit", "µm", "scale", 0.5, "origin", 0.0),
                        "c", Map.of("values", List.of("DAPI", "GFP", "RFP").subList(0, Math.min(3, c)))))
                .build());
        return file;
    }

    /** A smooth uint8 4-D stack {@code (y, x, t, z)} of 512 x 512 grey planes, coded as plain JPEG. */
    static Path uint8JpegStack(Jpkl jpkl, Path dir, int t, int z) throws IOException {
        int h = 512;
        int w = 512;
        int[] shape = {h, w, t, z};
        NdArray a = NdArray.generate(DType.UINT8, shape, i -> {
            int zz = (int) (i % z);
            int tt = (int) (i / z % t);
            int x = (int) (i / z / t % w);
            int y = (int) (i / z / t / w);
            double v = 128 + 90 * Math.sin((x + 7 * tt) / 23.0) * Math.cos((y - 5 * zz) / 31.0);
            long hash = (i * 0x9E3779B97F4A7C15L) >>> 60;
            return Math.max(0, Math.min(255, v + hash - 8));
        });
        Path file = dir.resolve("stack8.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("jpeg").param("quality", 90).axisNames("y", "x", "t", "z").build());
        return file;
    }

    /** A small float32 {@code (z, y, x)} stack with the plane axes last (layout y=1, x=2). */
    static Path float32ZYX(Jpkl jpkl, Path dir) throws IOException {
        int[] shape = {4, 30, 40};
        NdArray a = NdArray.generate(DType.FLOAT32, shape, i -> (i % 1200) * 0.25 - 100 + (i / 1200) * 1000.5);
        Path file = dir.resolve("zyx32.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("deflate").layout(PlaneLayout.of(1, 2)).axisNames("z", "y", "x").build());
        return file;
    }

    /** A small RGB uint8 {@code (y, x, rgb, t)} stack, coded as JPEG. */
    static Path rgbJpeg(Jpkl jpkl, Path dir) throws IOException {
        int[] shape = {24, 32, 3, 2};
        NdArray a = NdArray.generate(DType.UINT8, shape, i -> (i * 7) % 200 + 20);
        Path file = dir.resolve("rgb.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("jpeg").layout(PlaneLayout.jpkl(true)).axisNames("y", "x", "rgb", "t").build());
        return file;
    }

    /** A uint16 {@code (y, x, z)} stack coded with the jpeg codec: its slices carry a level mapping. */
    static Path uint16Jpeg(Jpkl jpkl, Path dir) throws IOException {
        int[] shape = {16, 16, 3};
        NdArray a = NdArray.generate(DType.UINT16, shape, i -> i * 37 % 4000);
        Path file = dir.resolve("jpeg16.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("jpeg").axisNames("y", "x", "z").build());
        return file;
    }

    /**
     * A long uint16 {@code (y, x, z)} stack of 512 x 512 planes for scrubbing measurements (cheap to
     * generate: a moving ramp plus noise), stored losslessly.
     */
    static Path uint16Scrub(Jpkl jpkl, Path dir, int z) throws IOException {
        int[] shape = {512, 512, z};
        NdArray a = NdArray.generate(DType.UINT16, shape, i -> {
            long zz = i % z;
            long x = i / z % 512;
            long y = i / z / 512;
            return ((x + y + 8 * zz) & 1023) * 40 + ((i * 0x9E3779B97F4A7C15L) >>> 56);
        });
        Path file = dir.resolve("scrub16.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("deflate").axisNames("y", "x", "z").build());
        return file;
    }

    /** A long uint8 {@code (y, x, z)} stack of 512 x 512 planes coded as plain JPEG, for scrubbing measurements. */
    static Path uint8Scrub(Jpkl jpkl, Path dir, int z) throws IOException {
        int[] shape = {512, 512, z};
        NdArray a = NdArray.generate(DType.UINT8, shape, i -> {
            long zz = i % z;
            long x = i / z % 512;
            long y = i / z / 512;
            return ((x + 2 * y + 4 * zz) & 255) / 2 + 40 + ((i * 0x9E3779B97F4A7C15L) >>> 60);
        });
        Path file = dir.resolve("scrub8.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("jpeg").axisNames("y", "x", "z").build());
        return file;
    }

    /**
     * A uint16 {@code (y, x, z)} stack of 300 x 500 planes, 3 z, stored as 64 x 96 tiles with 3
     * reduced levels (deflate, lossless), metadata {@code pixel_size_um} 0.65: edge tiles are
     * smaller on every level.
     */
    static Path tiledLevels16(Jpkl jpkl, Path dir) throws IOException {
        int[] shape = {300, 500, 3};
        NdArray a = NdArray.generate(DType.UINT16, shape, i -> {
            long z = i % 3;
            long x = i / 3 % 500;
            long y = i / 3 / 500;
            return (x * 37 + y * 101 + z * 5000) % 60000 + ((i * 0x9E3779B97F4A7C15L) >>> 58);
        });
        Path file = dir.resolve("tiled16.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("deflate").axisNames("y", "x", "z").tiles(64, 96).levels(3)
                .metadata("pixel_size_um", 0.65).build());
        return file;
    }

    /** A uint8 {@code (y, x, t)} stack of 200 x 260 planes, 2 t, coded as plain JPEG in 64 x 64 tiles with 2 reduced levels. */
    static Path tiledJpeg8(Jpkl jpkl, Path dir) throws IOException {
        int[] shape = {200, 260, 2};
        NdArray a = NdArray.generate(DType.UINT8, shape, i -> {
            long t = i % 2;
            long x = i / 2 % 260;
            long y = i / 2 / 260;
            return 128 + 100 * Math.sin((x + 9 * t) / 17.0) * Math.cos(y / 23.0);
        });
        Path file = dir.resolve("tiled8.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("jpeg").axisNames("y", "x", "t").tiles(64, 64).levels(2).build());
        return file;
    }

    /** An RGB uint8 {@code (rgb, y, x)} plane (colour axis first) of 70 x 90, in 32 x 32 PNG tiles with one reduced level. */
    static Path tiledRgbFirst(Jpkl jpkl, Path dir) throws IOException {
        NdArray a = NdArray.generate(DType.UINT8, new int[] {3, 70, 90}, i -> (i * 7 + i / 6300 * 50) % 256);
        Path file = dir.resolve("tiledrgb.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("png").layout(PlaneLayout.of(1, 2, 0)).axisNames("rgb", "y", "x")
                .tiles(32, 32).levels(1).build());
        return file;
    }

    /** The generator of {@link #widePlane}: cheap, position-dependent, compressible. */
    static int wideValue(long y, long x) {
        return (int) ((y * 3 + x / 7 + (x >> 12) * 40) & 0xFF);
    }

    /**
     * A uint8 plane of 1,024 x 70,000 pixels (wider than JPEG can encode), 512 x 512 zstd tiles and
     * 6 reduced levels, written tile row by tile row from {@link #wideValue} (memory: one tile row),
     * metadata {@code pixel_size_um} 0.25.
     */
    static Path widePlane(Jpkl jpkl, Path dir) throws IOException {
        int height = 1024;
        int width = 70_000;
        Path file = dir.resolve("wide.jpkl");
        try (JpklWriter w = jpkl.newWriter(file, DType.UINT8, new int[] {height, width}, WriteOptions.builder().codec("zstd")
                .tiles(512, 512).levels(6).metadata("pixel_size_um", 0.25).build())) {
            TileGrid grid = w.header().tiling().orElseThrow();
            for (int r = 0; r < grid.rows(); r++) {
                PlaneBuffer rows = PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, grid.heightOf(r), width, ChannelLayout.GREY));
                byte[] b = rows.bytes();
                for (int y = 0; y < grid.heightOf(r); y++) {
                    for (int x = 0; x < width; x++) {
                        b[y * width + x] = (byte) wideValue(grid.y0(r) + y, x);
                    }
                }
                w.writeTileRow(0, r, rows);
            }
            w.commit();
        }
        return file;
    }

    /**
     * A uint8 plane of 131,072 x 131,072 pixels (17 GB raw, more than one Java array) in 1,024 x
     * 1,024 zstd tiles with {@code levels} reduced levels (0 to 7), every tile of every level the
     * same constant tile of {@code value} (written encoded once, so the file is small and written in
     * a moment).
     */
    static Path hugeConstantPlane(Jpkl jpkl, Path dir, int value, int levels) throws IOException {
        int side = 131_072;
        Path file = dir.resolve("huge-plane-" + levels + ".jpkl");
        try (JpklWriter w = jpkl.newWriter(file, DType.UINT8, new int[] {side, side}, WriteOptions.builder().codec("zstd")
                .tiles(1024, 1024).levels(levels).build())) {
            PlaneSpec spec = w.header().tileSpec(0, 0);
            byte[] tile = new byte[spec.sampleCount()];
            java.util.Arrays.fill(tile, (byte) value);
            org.jpkl.api.spi.SliceCodec zstd = org.jpkl.api.spi.SliceCodecs.load().require("zstd");
            org.jpkl.api.spi.CodecParams params = zstd.params(w.header().codecParams());
            byte[] encoded = zstd.newEncoder(params, spec).encode(PlaneBuffer.wrap(spec, tile, 0));
            for (long chunk = 0; chunk < w.header().chunkCount(); chunk++) {
                w.writeEncoded(chunk, java.nio.ByteBuffer.wrap(encoded));
            }
            w.commit();
        }
        return file;
    }

    private static double sq(double v) {
        return v * v;
    }
}
