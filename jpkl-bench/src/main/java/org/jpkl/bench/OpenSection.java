package org.jpkl.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.jpkl.JpklArray;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.CountingSource;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.compare.Samples;
import org.jpkl.compare.Stopwatch;

/**
 * Opening a container: time and bytes read for 1,000, 10,000 (512 x 512 slices, 2.4 MB of data per
 * 100 slices) and 100,000 slices. What open reads must be the header, the index and the footer only
 * (whatever the data size); the time baseline re-reads exactly the regions open read, with plain
 * positional reads and a CRC32C over them.
 */
final class OpenSection {
    /** The shapes of the 1,000- and 100,000-slice files (also opened over HTTP by {@link RemoteOpenSection}). */
    static final int[] SHAPE_1K = {64, 64, 1000};
    static final int[] SHAPE_100K = {64, 64, 100, 1000};

    private OpenSection() {
    }

    /** The one 64 x 64 plane, encoded, every slice of the 1,000- and 100,000-slice files holds. */
    static byte[][] tiny(Fixtures f) throws IOException {
        PlaneSpec small = new PlaneSpec(DType.UINT8, 64, 64, ChannelLayout.GREY);
        try (SliceEncoder encoder = f.codec.newEncoder(f.codec.params(f.codecParams), small)) {
            return new byte[][] {encoder.encode(PlaneBuffer.wrap(small, SyntheticPlanes.plane(Fixtures.SEED, Fixtures.SIGMA, 64, 64, 0), 0))};
        }
    }

    static void run(Fixtures f, Plan plan, Report report) throws Exception {
        byte[][] tiny = tiny(f);
        List<Object[]> files = new ArrayList<>();
        files.add(new Object[] {"1,000 slices (64x64)", f.file("open-1k.jpkl", SHAPE_1K, tiny), tiny});
        files.add(new Object[] {"10,000 slices (512x512)", f.file("10k.jpkl", ReadPathSection.SHAPE_10K, f.encoded), f.encoded});
        if (plan.hugeIndex) {
            files.add(new Object[] {"100,000 slices (64x64)", f.file("open-100k.jpkl", SHAPE_100K, tiny), tiny});
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (Object[] entry : files) {
            String label = (String) entry[0];
            Path file = (Path) entry[1];
            byte[][] planes = (byte[][]) entry[2];
            List<Double> open = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            long[] bytesRead = new long[1];
            long[] distinct = new long[1];
            long[] reads = new long[1];
            long[] slices = new long[1];
            List<long[]> regions = new ArrayList<>();
            for (int rep = 0; rep < plan.opens; rep++) {
                CountingSource[] opened = new CountingSource[1];
                JpklArray[] array = new JpklArray[1];
                double openSeconds = Stopwatch.system().seconds(() -> {
                    opened[0] = new CountingSource(RandomAccessSource.open(file));
                    array[0] = f.jpkl1.open(opened[0]);
                });
                CountingSource source = opened[0];
                JpklArray a = array[0];
                slices[0] = a.sliceCount();
                bytesRead[0] = source.bytesRead();
                distinct[0] = distinctBytes(source.regions());
                reads[0] = source.reads();
                regions.clear();
                regions.addAll(source.regions());
                a.close();
                open.add(openSeconds);
                raw.add(Stopwatch.system().seconds(() -> Measure.consume(readRegions(file, regions))));
            }
            long dataBytes = 0;
            for (long n = 0; n < slices[0]; n++) {
                dataBytes += planes[(int) (n % planes.length)].length;
            }
            long fileBytes = Files.size(file);
            long metadata = fileBytes - dataBytes;
            if (!plan.measured) {
                continue;
            }
            String id = label.substring(0, label.indexOf(' ')).replace(",", "");
            report.add(Row.builder("open_bytes_" + id, "open " + label + ": bytes of the file read", Units.BYTES)
                    .figure("read at open", Samples.of(distinct[0])).baseline("header + index + footer", Samples.of(metadata))
                    .atMost(1.0).note("file " + Units.bytes(fileBytes) + "; distinct bytes read at open (" + bytesRead[0]
                            + " in " + reads[0] + " reads, counting bytes read twice)").build());
            report.add(Row.builder("open_time_" + id, "open " + label + ": time", Units.SECONDS)
                    .figure("Jpkl.open", Samples.of(open)).baseline("positional read + CRC32C of the same bytes", Samples.of(raw))
                    .build());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("file_bytes", fileBytes);
            d.put("slices", slices[0]);
            d.put("bytes_read_at_open", bytesRead[0]);
            d.put("distinct_bytes_read_at_open", distinct[0]);
            d.put("reads_at_open", reads[0]);
            d.put("header_index_footer_bytes", metadata);
            details.put(id, d);
        }
        report.detail("open", details);
    }

    /** Bytes covered by the union of the regions {position, length}. */
    static long distinctBytes(List<long[]> regions) {
        List<long[]> sorted = new ArrayList<>(regions);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        long total = 0;
        long end = Long.MIN_VALUE;
        for (long[] r : sorted) {
            long from = Math.max(r[0], end);
            long to = r[0] + r[1];
            if (to > from) {
                total += to - from;
            }
            end = Math.max(end, to);
        }
        return total;
    }

    /** Reads the regions with a fresh channel, as open does, and checksums them. */
    private static long readRegions(Path file, List<long[]> regions) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long[] r : regions) {
                ByteBuffer b = ByteBuffer.allocate((int) r[1]);
                long p = r[0];
                while (b.hasRemaining()) {
                    int n = ch.read(b, p);
                    if (n < 0) {
                        throw new EOFException(file + " at " + p);
                    }
                    p += n;
                }
                b.flip();
                crc.update(b);
            }
        }
        return crc.getValue();
    }
}
