package org.jpkl.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.PlaneBuffer;

/**
 * The slices of a container as a Spark RDD, partitioned by ranges of slice numbers: each partition
 * opens the container itself (a path or URI every executor can reach, through
 * {@link Jpkl#open(URI)}: a shared file system, or {@code s3://}, {@code https://} with their
 * storage modules on the class path) and decodes only its slices, so a cluster can map a function
 * over a stack far larger than one machine. Only the URI and the slice ranges travel to the tasks.
 *
 * <pre>{@code
 * JavaRDD<PlaneStats> stats = SparkSlices.planeStats(sc, URI.create("file:///shared/stack.jpkl"), 64);
 * Dataset<Row> table = SparkSlices.planeStatsTable(spark, URI.create("file:///shared/stack.jpkl"), 64);
 * table.orderBy(table.col("mean").desc()).show(10);
 * }</pre>
 *
 * <p>Thread safety: stateless.
 */
public final class SparkSlices {
    /**
     * A function of one decoded plane, run in a task. The plane's buffer is reused for the next
     * slice after it returns: return values that do not keep it.
     */
    @FunctionalInterface
    public interface SliceFunction<T> extends Serializable {
        T apply(long sliceNumber, PlaneBuffer plane) throws IOException;
    }

    /** A range of slice numbers, one partition's. */
    public record SliceRange(long first, long count) implements Serializable {
        public SliceRange {
            if (first < 0 || count < 0) {
                throw new IllegalArgumentException("slice range [" + first + ", " + first + count + ") is negative");
            }
        }
    }

    private SparkSlices() {
    }

    /** The ranges of {@code slices} slices, {@code perPartition} each (the last one fewer). */
    public static List<SliceRange> ranges(long slices, long perPartition) {
        if (perPartition < 1) {
            throw new IllegalArgumentException("slicesPerPartition (" + perPartition + ") must be >= 1");
        }
        if (slices < 0) {
            throw new IllegalArgumentException("slices (" + slices + ") must be >= 0");
        }
        long count = (slices + perPartition - 1) / perPartition;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(slices + " slices in partitions of " + perPartition + " make " + count
                    + " partitions; raise slicesPerPartition");
        }
        List<SliceRange> out = new ArrayList<>(Math.toIntExact(count)); // checked above
        for (long first = 0; first < slices; first += perPartition) {
            out.add(new SliceRange(first, Math.min(perPartition, slices - first)));
        }
        return out;
    }

    /**
     * {@code fn} of every slice of the container, in slice order, one partition per
     * {@code slicesPerPartition} slices; the container's header is read on the driver once, to
     * count its slices. Tasks open it with {@code factory}'s {@link Jpkl}.
     *
     * @throws IllegalArgumentException if the planes are larger than one Java array (read them by
     *     tiles with {@link JpklArray#decodeRows} inside {@link #mapRanges})
     */
    public static <T> JavaRDD<T> map(JavaSparkContext sc, URI container, long slicesPerPartition, JpklFactory factory,
                                     SliceFunction<T> fn) throws IOException {
        Objects.requireNonNull(fn, "fn");
        return mapRanges(sc, container, slicesPerPartition, factory, (array, range) -> {
            if (!array.header().planeFitsInOneArray()) {
                throw new IllegalArgumentException("the planes of " + array.name() + " are larger than one Java array; map its"
                        + " slices with mapRanges and read them in bands of rows (JpklArray.decodeRows)");
            }
            PlaneBuffer plane = PlaneBuffer.allocate(array.header().planeSpec());
            List<T> out = new ArrayList<>(Math.toIntExact(range.count())); // a partition's results are one list
            for (long n = range.first(); n < range.first() + range.count(); n++) {
                array.decodeSlice(n, plane);
                out.add(fn.apply(n, plane));
            }
            return out;
        });
    }

    /** A function of one partition's open container and slice range, returning that partition's results. */
    @FunctionalInterface
    public interface RangeFunction<T> extends Serializable {
        List<T> apply(JpklArray array, SliceRange range) throws IOException;
    }

    /**
     * The lower level of {@link #map}: {@code fn} is given each partition's open container and slice
     * range (e.g. to read tiles or bands of rows, or encoded chunks).
     */
    public static <T> JavaRDD<T> mapRanges(JavaSparkContext sc, URI container, long slicesPerPartition, JpklFactory factory,
                                           RangeFunction<T> fn) throws IOException {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(fn, "fn");
        long slices;
        try (JpklArray a = factory.create().open(container)) {
            slices = a.sliceCount();
        }
        List<SliceRange> ranges = ranges(slices, slicesPerPartition);
        String uri = container.toString();
        return sc.parallelize(ranges, Math.max(1, ranges.size())).flatMap(range -> {
            try (JpklArray array = factory.create().open(URI.create(uri))) {
                return fn.apply(array, range).iterator();
            }
        });
    }

    /** {@link PlaneStats} of every slice, in slice order (default {@link JpklFactory#oneThreadPerTask()}). */
    public static JavaRDD<PlaneStats> planeStats(JavaSparkContext sc, URI container, long slicesPerPartition) throws IOException {
        return map(sc, container, slicesPerPartition, JpklFactory.oneThreadPerTask(), PlaneStats::of);
    }

    /** The schema of {@link #planeStatsTable}: slice, count, nan_count, min, max, mean. */
    public static StructType planeStatsSchema() {
        return new StructType()
                .add("slice", DataTypes.LongType, false)
                .add("count", DataTypes.LongType, false)
                .add("nan_count", DataTypes.LongType, false)
                .add("min", DataTypes.DoubleType, false)
                .add("max", DataTypes.DoubleType, false)
                .add("mean", DataTypes.DoubleType, false);
    }

    /** {@link #planeStats} as a {@code Dataset<Row>} of {@link #planeStatsSchema()}, for Spark SQL. */
    public static Dataset<Row> planeStatsTable(SparkSession spark, URI container, long slicesPerPartition) throws IOException {
        JavaRDD<Row> rows = planeStats(JavaSparkContext.fromSparkContext(spark.sparkContext()), container, slicesPerPartition)
                .map(s -> RowFactory.create(s.slice(), s.count(), s.nanCount(), s.min(), s.max(), s.mean()));
        return spark.createDataFrame(rows, planeStatsSchema());
    }
}
