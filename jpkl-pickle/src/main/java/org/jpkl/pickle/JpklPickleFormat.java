package org.jpkl.pickle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import net.razorvine.pickle.Opcodes;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerWriter;

/**
 * The Python JPkl format: a pickled dict {@code {'header': ('JPkl', '1'), 'color': bool,
 * 'jpeg_quality': int, 'images': {key tuple: JPEG bytes}, 'dim_names': [str], 'dim_sizes': (int,),
 * 'metadata': dict}} holding an array {@code images[h, w, (rgb), d1, d2, ...]} of uint8 planes,
 * each a JPEG image. Files written by Python's JPkl open as ordinary jpkl arrays, and any uint8
 * JPEG-coded array in JPkl's layout is written as a pickle Python's {@code pickle.load} reads.
 *
 * <p><b>Safety.</b> A pickle is a program. Reading runs no part of it: {@link SafeUnpickler} builds
 * only {@code dict, tuple, list, str, bytes, int, float, bool, None} and refuses any global, call,
 * class instance, persistent id or extension with a {@link org.jpkl.api.JpklFormatException} naming
 * it, before any of the file is used.
 *
 * <p><b>Memory.</b> Opening parses the opcode stream once, skipping over each bytes payload and
 * recording its offset, so slices stay in the file and each is one positional read later. The
 * index costs 12 bytes per slice. (Pyrolite's stock unpickler, like Python's, would read every
 * slice into the heap.) Protocol 2 pickles spell bytes as latin-1 text; their slices are held in
 * memory, one copy each.
 *
 * <p>Python's JPkl saved with the extension {@code .jpkl}, the same as the default format; the two
 * are told apart by content (a pickle starts with the PROTO opcode {@code 0x80}).
 *
 * <p>Thread safety: stateless and thread-safe.
 */
public final class JpklPickleFormat implements ContainerSerializer {
    /** The serializer id. */
    public static final String ID = "jpkl-pickle";

    /** Public for {@link java.util.ServiceLoader}; does no work. */
    public JpklPickleFormat() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Python JPkl pickle: a pickled dict of JPEG slices (read without running the pickle)";
    }

    @Override
    public List<String> fileExtensions() {
        return List.of("pkl", "pickle");
    }

    /**
     * Whether the source starts like a pickled dict: PROTO 2..5, an optional FRAME, then EMPTY_DICT.
     * Reads at most 12 bytes.
     */
    @Override
    public boolean canRead(RandomAccessSource source) throws IOException {
        long size = source.size();
        if (size < 3) {
            return false;
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(12, size));
        source.readFully(0, head);
        byte[] b = head.array();
        if ((b[0] & 0xFF) != Opcodes.PROTO || b[1] < 2 || b[1] > 5) {
            return false;
        }
        int next = 2;
        if ((b[next] & 0xFF) == Opcodes.FRAME) {
            next += 9;
            if (next >= b.length) {
                return false;
            }
        }
        return (b[next] & 0xFF) == Opcodes.EMPTY_DICT;
    }

    @Override
    public ContainerReader openReader(RandomAccessSource source) throws IOException {
        return PickleReader.open(source);
    }

    /**
     * @throws IllegalArgumentException if the array is not uint8 JPEG in JPkl's layout (y, x, colour on
     *     axes 0, 1, 2), or has codec parameters or plane-axis names a pickle cannot record; the
     *     message lists everything that would be lost
     */
    @Override
    public ContainerWriter openWriter(Path target, ContainerHeader header) throws IOException {
        return new PickleWriter(target, header);
    }

    @Override
    public String toString() {
        return "JpklPickleFormat";
    }
}
