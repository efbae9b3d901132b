package org.jpkl.jpeg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.TestPlanes;
import org.junit.jupiter.api.Test;

/**
 * Prints encode/decode throughput of the codec on 1024x1024 camera-like planes (grey and RGB uint8,
 * grey uint16 through the 8-bit mapping), next to plain JDK ImageIO (com.sun reader/writer on a
 * TYPE_BYTE_GRAY image, as in the project's baseline table) in the same JVM. MB/s = raw plane bytes /
 * 10^6 per second; median of 5 runs of at least 120 ms each, after a warm-up pass of every operation
 * (ImageIO needs one). Only prints: no timing assertions.
 */
class JpegThroughputTest {
    private static final int SIZE = 1024;
    private static final long WARM_UP_NANOS = 400_000_000L;
    private static final long RUN_NANOS = 120_000_000L;
    private static final int RUNS = 5;

    /** One measured operation. */
    private interface Op {
        void run() throws IOException;
    }

    private record Row(String name, long rawBytes, Op op) {
    }

    @Test
    void printsThroughputOfOneMegapixelPlanes() throws IOException {
        JpegCodec codec = new JpegCodec();
        PlaneBuffer grey = CameraPlanes.uint8(CameraPlanes.greyCounts(SIZE, SIZE, 12345), SIZE, SIZE, ChannelLayout.GREY);
        PlaneBuffer rgb = CameraPlanes.uint8(CameraPlanes.rgbCounts(SIZE, SIZE, 54321), SIZE, SIZE, ChannelLayout.RGB);
        PlaneBuffer u16 = CameraPlanes.as(DType.UINT16, CameraPlanes.greyCounts(SIZE, SIZE, 12345), SIZE, SIZE, ChannelLayout.GREY);
        List<Row> rows = new ArrayList<>();
        List<AutoCloseable> resources = new ArrayList<>();
        StringBuilder quality = new StringBuilder();
        for (PlaneBuffer plane : List.of(grey, rgb, u16)) {
            PlaneSpec spec = plane.spec();
            SliceEncoder encoder = codec.newEncoder(codec.params(Map.of()), spec);
            SliceDecoder decoder = codec.newDecoder(codec.params(Map.of()), spec);
            resources.add(encoder);
            resources.add(decoder);
            byte[] encoded = encoder.encode(plane);
            PlaneBuffer out = PlaneBuffer.allocate(spec);
            decoder.decode(ByteBuffer.wrap(encoded), out);
            double peak = spec.dtype() == DType.UINT8 ? 255 : LevelMapping.range(plane)[1] - LevelMapping.range(plane)[0];
            double psnr = TestPlanes.psnr(plane, out, peak);
            assertTrue(psnr >= 35, spec + ": PSNR " + psnr);
            quality.append(String.format(Locale.ROOT, "  %s: ratio %.2f, PSNR %.2f dB (peak %s)%n", spec,
                    spec.byteSize() / (double) encoded.length, psnr, spec.dtype() == DType.UINT8 ? "255" : "window"));
            rows.add(new Row("jpkl jpeg encode q90 " + spec, spec.byteSize(), () -> encoder.encode(plane)));
            rows.add(new Row("jpkl jpeg decode     " + spec, spec.byteSize(),
                    () -> decoder.decode(ByteBuffer.wrap(encoded), out)));
        }
        addPlainJdkRows(rows, resources, grey);
        try {
            for (Row row : rows) { // warm-up pass over every operation
                time(row.op(), WARM_UP_NANOS);
            }
            StringBuilder report = new StringBuilder("jpeg throughput, 1024x1024, " + codec.implementation() + ", Java "
                    + System.getProperty("java.version") + ":\n");
            for (Row row : rows) {
                double[] perOp = new double[RUNS];
                for (int r = 0; r < RUNS; r++) {
                    perOp[r] = time(row.op(), RUN_NANOS);
                }
                Arrays.sort(perOp);
                double median = perOp[RUNS / 2];
                report.append(String.format(Locale.ROOT, "  %-44s %7.1f MB/s  (median %.2f ms; range %.0f-%.0f MB/s)%n", row.name(),
                        row.rawBytes() / median * 1e3, median / 1e6, row.rawBytes() / perOp[RUNS - 1] * 1e3,
                        row.rawBytes() / perOp[0] * 1e3));
            }
            System.out.print(report.append(quality));
        } finally {
            for (AutoCloseable c : resources) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }

    /** Runs {@code op} repeatedly for at least {@code nanos}; returns nanoseconds per run. */
    private static double time(Op op, long nanos) throws IOException {
        long start = System.nanoTime();
        long runs = 0;
        long now;
        do {
            op.run();
            runs++;
            now = System.nanoTime();
        } while (now - start < nanos);
        return (now - start) / (double) runs;
    }

    /** The baseline's way: the JDK writer and reader on a TYPE_BYTE_GRAY image, memory-cached streams. */
    private static void addPlainJdkRows(List<Row> rows, List<AutoCloseable> resources, PlaneBuffer grey) throws IOException {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(grey.bytes(), 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0, SIZE * SIZE);
        ImageWriter writer = jdk(ImageIO.getImageWritersByFormatName("jpeg"));
        ImageReader reader = jdk(ImageIO.getImageReadersByFormatName("jpeg"));
        resources.add(writer::dispose);
        resources.add(reader::dispose);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        Op encode = () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
        };
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(encoded)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        byte[] jpeg = encoded.toByteArray();
        Op decode = () -> {
            try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
                reader.setInput(in, true, true);
                reader.read(0);
            }
        };
        rows.add(new Row("plain JDK ImageIO encode q0.90 grey", SIZE * SIZE, encode));
        rows.add(new Row("plain JDK ImageIO decode grey", SIZE * SIZE, decode));
    }

    private static <T> T jdk(Iterator<T> providers) {
        while (providers.hasNext()) {
            T p = providers.next();
            if (p.getClass().getName().startsWith("com.sun.imageio.")) {
                return p;
            }
        }
        throw new AssertionError("no JDK JPEG reader/writer");
    }
}
