package org.jpkl.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.npy.NpyHeader;
import org.jpkl.npy.NpyWriter;
import org.jpkl.cli.output.ArrayOutputs;

/** Writes test inputs: .npy in either order and byte order, raw files, PNG and multi-page TIFF. */
final class TestFiles {
    private TestFiles() {
    }

    /** A deterministic array whose elements all differ (modulo the dtype's range). */
    static NdArray ramp(DType dtype, int... shape) {
        return NdArray.generate(dtype, shape, i -> {
            switch (dtype) {
                case UINT8:
                    return (i * 7 + 3) % 256;
                case UINT16:
                    return (i * 131 + 7) % 65536;
                case INT16:
                    return (i * 131 + 7) % 65536 - 32768;
                case INT32:
                    return i * 100_003L - 1_000_000_000L;
                default:
                    return i * 0.25 - 1000.5;
            }
        });
    }

    /** Writes {@code a} as .npy in C or Fortran order and the given byte order. */
    static Path npy(Path file, NdArray a, boolean fortran, ByteOrder order) throws IOException {
        NpyWriter.write(a, order, fortran, file);
        return file;
    }

    /** The elements of {@code a} in C or Fortran order and the given byte order (a .npy file's data). */
    static byte[] elements(NdArray a, boolean fortran, ByteOrder order) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyWriter.write(a, order, fortran, out);
        byte[] npy = out.toByteArray();
        return Arrays.copyOfRange(npy, (int) NpyHeader.of(a.dtype(), order, fortran, a.shape()).dataOffset(), npy.length);
    }

    /** A 2-D (h, w) or (h, w, 3) array as an image with the same samples. */
    static BufferedImage image(NdArray plane) {
        return ArrayOutputs.toImage(plane);
    }

    /** Writes a PNG. */
    static Path png(Path file, NdArray plane) throws IOException {
        if (!ImageIO.write(image(plane), "png", file.toFile())) {
            throw new IOException("no PNG writer for " + plane);
        }
        return file;
    }

    /** Writes a multi-page TIFF, one page per plane, with the first TIFF writer that takes the samples. */
    static Path tiff(Path file, List<NdArray> pages) throws IOException {
        java.util.Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("tiff");
        RuntimeException last = null;
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            Files.deleteIfExists(file);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (NdArray p : pages) {
                    writer.writeToSequence(new IIOImage(image(p), null, null), null);
                }
                writer.endWriteSequence();
                return file;
            } catch (RuntimeException e) {
                last = e;
            } finally {
                writer.dispose();
            }
        }
        throw new IOException("no TIFF writer takes " + pages.get(0), last);
    }
}
