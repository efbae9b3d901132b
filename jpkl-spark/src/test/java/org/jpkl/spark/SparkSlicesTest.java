package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed read on local[2]: per-plane statistics equal to those computed on one machine. */
class SparkSlicesTest {
    private static JavaSparkContext sc;
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sc = LocalSpark.context();
    }

    @Test
    void planeStatsEqualTheLocalComputation() throws IOException {
        // (z, y, x) float32, values known in closed form: plane z holds z * 1000 + (y * 8 + x), and
        // plane 3 also two NaNs, which are skipped and counted.
        int z = 11;
        NdArray a = NdArray.generate(DType.FLOAT32, new int[] {z, 6, 8}, i -> {
            long plane = i / 48;
            long p = i % 48;
            return plane == 3 && (p == 5 || p == 17) ? Double.NaN : plane * 1000 + p;
        });
        Path file = dir.resolve("stack.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("deflate").layout(PlaneLayout.of(1, 2)).build());
        URI uri = file.toUri();

        List<PlaneStats> spread = SparkSlices.planeStats(sc, uri, 3).collect();

        List<PlaneStats> local = new ArrayList<>();
        try (JpklArray in = jpkl.open(file)) {
            PlaneBuffer plane = PlaneBuffer.allocate(in.header().planeSpec());
            for (long n = 0; n < in.sliceCount(); n++) {
                in.decodeSlice(n, plane);
                local.add(PlaneStats.of(n, plane));
            }
        }
        assertEquals(local, spread);
        assertEquals(new PlaneStats(0, 48, 0, 0, 47, 23.5), spread.get(0));
        assertEquals(new PlaneStats(3, 46, 2, 3000, 3047, (48 * 3000 + 47 * 48 / 2 - 5 - 17 - 2 * 3000) / 46.0), spread.get(3));
        assertEquals(new PlaneStats(10, 48, 0, 10000, 10047, 10023.5), spread.get(10));

        Dataset<Row> table = SparkSlices.planeStatsTable(LocalSpark.shared(), uri, 4);
        assertEquals(SparkSlices.planeStatsSchema(), table.schema());
        // One Spark SQL aggregate over the table: the brightest plane's mean and the NaNs counted.
        Row totals = table.agg(org.apache.spark.sql.functions.max("mean"), org.apache.spark.sql.functions.sum("nan_count")).first();
        assertEquals(10023.5, totals.getDouble(0));
        assertEquals(2L, totals.getLong(1));
    }

    @Test
    void mapRunsAFunctionOfEachPlaneInSliceOrder() throws IOException {
        NdArray a = SparkEncoderTest.stack(7, 12, 10);
        Path file = dir.resolve("stack.jpkl");
        jpkl.save(a, file, WriteOptions.builder().codec("zstd").layout(PlaneLayout.of(1, 2)).axisNames("z", "y", "x").build());

        JavaRDD<long[]> firstSamples = SparkSlices.map(sc, URI.create(file.toString()), 2, JpklFactory.oneThreadPerTask(),
                (n, plane) -> new long[] {n, plane.shorts()[0] & 0xFFFF});
        assertEquals(4, firstSamples.getNumPartitions());
        List<long[]> got = firstSamples.collect();
        assertEquals(7, got.size());
        for (int n = 0; n < 7; n++) {
            assertArrayEquals(new long[] {n, a.getInt(n, 0, 0)}, got.get(n));
        }
    }

    @Test
    void slicePartitionsAreRangesOfSliceNumbers() {
        assertEquals(List.of(new SparkSlices.SliceRange(0, 4), new SparkSlices.SliceRange(4, 4), new SparkSlices.SliceRange(8, 2)),
                SparkSlices.ranges(10, 4));
        assertEquals(List.of(), SparkSlices.ranges(0, 4));
        assertEquals("slicesPerPartition (0) must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> SparkSlices.ranges(10, 0)).getMessage());
    }
}
