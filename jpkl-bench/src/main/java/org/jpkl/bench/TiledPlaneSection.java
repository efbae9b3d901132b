package org.jpkl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.Downsampling;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;

/**
 * Issue 15's tiled-plane goals on one generated square uint8 plane (16,384 a side; 8,192 under
 * {@code --quick}), microscopy-like content from {@link SyntheticPlanes}, written twice with the
 * benchmark codec: in tiles of 512 x 512 and as one untiled slice. Rows: a random 256 x 256 region
 * (tiled) against the same region from the untiled file (which decodes the whole plane); the whole
 * plane tiled against untiled on 1 thread; tiled on 2 threads against 1; the file sizes; the whole
 * plane at 1/16 scale read from level 4 of a third file (tiled, with every level down to one tile)
 * against decoding the full plane and halving it four times; and that file's size.
 */
final class TiledPlaneSection {
    static final int TILE = 512;
    static final int REGION = 256;
    /** 1/16 scale. */
    static final int OVERVIEW_LEVEL = 4;

    private TiledPlaneSection() {
    }

    static void run(Fixtures f, Plan plan, Report report) throws Exception {
        int side = plan.tiledSide;
        Path folder = f.file("tiled-plane-" + side, dir -> writePlanes(f, side, dir));
        Path tiledFile = folder.resolve("tiled.jpkl");
        Path untiledFile = folder.resolve("untiled.jpkl");
        Path levelsFile = folder.resolve("levels.jpkl");
        String plane = String.format(Locale.ROOT, "%,d² u8", side) + (plan.quick ? " (--quick size)" : "");

        List<Double> untiled1 = new ArrayList<>();
        List<Double> tiled1 = new ArrayList<>();
        List<Double> tiled2 = new ArrayList<>();
        try (JpklArray u1 = f.jpkl1.open(untiledFile); JpklArray t1 = f.jpkl1.open(tiledFile); JpklArray t2 = f.jpkl2.open(tiledFile)) {
            JpklArray[] arrays = {u1, t1, t2};
            List<List<Double>> samples = List.of(untiled1, tiled1, tiled2);
            for (int rep = 0; rep < plan.tiledReps; rep++) {
                for (int turn = 0; turn < arrays.length; turn++) {
                    int which = (turn + rep) % arrays.length;
                    JpklArray a = arrays[which];
                    Measure.settle();
                    samples.get(which).add(Stopwatch.system().seconds(() -> Measure.consume(a.get("..."))));
                }
            }
        }

        Random random = new Random(23);
        List<Double> region = new ArrayList<>();
        List<Double> regionUntiled = new ArrayList<>();
        try (JpklArray u = f.jpkl2.open(untiledFile); JpklArray t = f.jpkl2.open(tiledFile)) {
            for (int i = 0; i < plan.regionGets; i++) {
                int[] at = pickRegion(random, side, side, REGION, REGION);
                String e = at[0] + ":" + (at[0] + REGION) + ", " + at[1] + ":" + (at[1] + REGION);
                region.add(Stopwatch.system().seconds(() -> Measure.consume(t.get(e))));
                if (i < plan.tiledReps) {
                    System.gc();
                    regionUntiled.add(Stopwatch.system().seconds(() -> Measure.consume(u.get(e))));
                }
            }
        }
        List<Double> overview = new ArrayList<>();
        List<Double> decodeAndHalve = new ArrayList<>();
        PlaneSpec full = new PlaneSpec(DType.UINT8, side, side, ChannelLayout.GREY);
        try (JpklArray l = f.jpkl2.open(levelsFile); JpklArray t = f.jpkl2.open(tiledFile)) {
            JpklArray small = l.level(OVERVIEW_LEVEL);
            for (int rep = 0; rep < plan.tiledReps; rep++) {
                Measure.settle();
                overview.add(Stopwatch.system().seconds(() -> Measure.consume(small.get("..."))));
                Measure.settle();
                decodeAndHalve.add(Stopwatch.system().seconds(() -> {
                    PlaneBuffer reduced = PlaneBuffer.wrap(full, t.get("...").toByteArray(), 0);
                    for (int k = 0; k < OVERVIEW_LEVEL; k++) {
                        reduced = Downsampling.MEAN.apply(reduced);
                    }
                    Measure.consume(reduced.bytes());
                }));
            }
        }
        if (!plan.measured) {
            return;
        }
        long tiledBytes = Files.size(tiledFile);
        long untiledBytes = Files.size(untiledFile);
        String tiles = f.codecId + " tiles of " + TILE + " x " + TILE;
        String size = plan.quick ? " (--quick: 8,192 a side, not the issue's 16,384)" : "";
        report.add(Row.builder("tiled_region", "tiled plane: random " + REGION + " x " + REGION + " region, tiled vs untiled, " + plane,
                Units.SECONDS).figure("tiled", Samples.of(region)).baseline("untiled (decodes the whole plane)", Samples.of(regionUntiled))
                .speedup().atLeast(50)
                .note("one plane of " + String.format(Locale.ROOT, "%,d x %,d u8", side, side) + size + ", " + tiles + " against one untiled slice; get(y0:y0+256, x0:x0+256) at random "
                        + "offsets on a 2-thread instance, no cache; " + plan.regionGets + " tiled regions, the first " + plan.tiledReps
                        + " also from the untiled file; ratio = untiled / tiled (speed-up)").build());
        report.add(Row.builder("tiled_full_1t", "tiled plane: whole plane, tiled vs untiled, 1 thread, " + plane, Units.SECONDS)
                .figure("tiled", Samples.of(tiled1)).baseline("untiled", Samples.of(untiled1)).atMost(1.10)
                .note("get(\"...\") of the whole plane on 1-thread instances, " + plan.tiledReps + " rotating rounds with the "
                        + "2-thread figure, a collection before each").build());
        report.add(Row.builder("tiled_full_2t", "tiled plane: whole plane, tiled, 2 threads vs 1, " + plane, Units.SECONDS)
                .figure("2 threads", Samples.of(tiled2)).baseline("1 thread", Samples.of(tiled1)).speedup().atLeast(1.7)
                .note("ratio = 1-thread time / 2-thread time (speed-up)").build());
        report.add(Row.builder("tiled_file_size", "tiled plane: file size, tiled vs untiled, " + plane, Units.BYTES)
                .figure("tiled", Samples.of(tiledBytes)).baseline("untiled", Samples.of(untiledBytes)).atMost(1.03)
                .note("same pixels and codec parameters " + f.codecParams + "; the tiled file holds " + tileCount(side)
                        + " tiles, each with its own codec header and index entry").build());
        report.add(Row.builder("levels_overview", "resolution levels: whole plane at 1/16 scale from level " + OVERVIEW_LEVEL
                + " vs full decode + downsample, " + plane, Units.SECONDS).figure("level " + OVERVIEW_LEVEL, Samples.of(overview))
                .baseline("full decode + 4 halvings", Samples.of(decodeAndHalve)).speedup().atLeast(20)
                .note("get(\"...\") of level " + OVERVIEW_LEVEL + " against get(\"...\") of the full tiled plane then "
                        + "Downsampling.MEAN four times, 2-thread instances; ratio = baseline / level read (speed-up)").build());
        report.add(Row.builder("levels_file_size", "resolution levels: file size with all levels vs untiled, " + plane, Units.BYTES)
                .figure("tiled + " + levelsDown(side) + " levels", Samples.of(Files.size(levelsFile)))
                .baseline("untiled", Samples.of(untiledBytes)).atMost(1.36)
                .note("every level down to one tile (" + levelsDown(side) + " levels below the full plane), mean downsampling")
                .build());
    }

    /** The number of halvings until the plane fits one tile. */
    static int levelsDown(int side) {
        int levels = 0;
        for (int s = side; s > TILE; s = (s + 1) / 2) {
            levels++;
        }
        return levels;
    }

    /** Generates the plane once and writes it tiled ({@code tiled.jpkl}) and untiled ({@code untiled.jpkl}) into {@code dir}. */
    private static void writePlanes(Fixtures f, int side, Path dir) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        PlaneSpec spec = new PlaneSpec(DType.UINT8, side, side, ChannelLayout.GREY);
        PlaneBuffer plane = PlaneBuffer.wrap(spec, SyntheticPlanes.jpklStack(Fixtures.SEED, Fixtures.SIGMA, side, side, 1), 0);
        int[] shape = {side, side};
        try (JpklWriter w = f.jpkl2.newWriter(dir.resolve("tiled.jpkl"), DType.UINT8, shape,
                f.writeOptions.toBuilder().tiles(TILE, TILE).build())) {
            w.write(0, plane);
            w.commit();
        }
        try (JpklWriter w = f.jpkl1.newWriter(dir.resolve("untiled.jpkl"), DType.UINT8, shape, f.writeOptions.toBuilder().noTiles().build())) {
            w.write(0, plane);
            w.commit();
        }
        try (JpklWriter w = f.jpkl2.newWriter(dir.resolve("levels.jpkl"), DType.UINT8, shape,
                f.writeOptions.toBuilder().tiles(TILE, TILE).levels(Math.max(OVERVIEW_LEVEL, levelsDown(side))).build())) {
            w.write(0, plane);
            w.commit();
        }
        System.out.printf(Locale.ROOT, "  (tiled-plane section: %,d x %,d plane generated and written tiled, untiled and with levels in %.1f s)%n",
                side, side, (System.nanoTime() - t0) / 1e9);
    }

    private static long tileCount(int side) {
        long perSide = (side + TILE - 1) / TILE;
        return perSide * perSide;
    }

    /**
     * The top-left corner {@code {y0, x0}} of a uniformly random {@code regionHeight x regionWidth}
     * region lying wholly inside a {@code planeHeight x planeWidth} plane.
     *
     * @throws IllegalArgumentException if the region is empty or larger than the plane
     */
    static int[] pickRegion(Random random, int planeHeight, int planeWidth, int regionHeight, int regionWidth) {
        if (regionHeight < 1 || regionWidth < 1 || regionHeight > planeHeight || regionWidth > planeWidth) {
            throw new IllegalArgumentException("region " + regionHeight + " x " + regionWidth + " must be non-empty and fit the plane "
                    + planeHeight + " x " + planeWidth);
        }
        return new int[] {random.nextInt(planeHeight - regionHeight + 1), random.nextInt(planeWidth - regionWidth + 1)};
    }
}
