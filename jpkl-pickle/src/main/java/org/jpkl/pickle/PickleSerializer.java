package org.jpkl.pickle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.razorvine.pickle.Opcodes;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;

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
 * it, before any of the file is used. The work of a parse is bounded by the file's size, so shared
 * references cannot make a small file expand (see {@link PickleBudget} for the limits): at most
 * 100,000 + 4 per file byte objects created or visited (50 million in all), and 1 MiB + 3 per
 * file byte of strings and bytes materialised (2 GiB in all); dict keys must be hashable values
 * (lists and dicts are refused, as Python refuses them). A pickle over a limit is refused with a
 * {@link org.jpkl.api.JpklFormatException}.
 *
 * <p><b>Memory.</b> Opening parses the opcode stream once, skipping over each bytes payload and
 * recording its offset, so slices stay in the file and each is one positional read later. The
 * index costs 12 bytes per slice. (Pyrolite's stock unpickler, like Python's, would read every
 * slice into the heap.) Protocols 0 to 2 spell bytes as text ({@code _codecs.encode(str,
 * 'latin1')}, or a Python 2 {@code str}); such slices are held in memory, one copy each.
 *
 * <p>Python's JPkl saved with the extension {@code .jpkl}, the same as the default format; the two
 * are told apart by content: a pickle of protocol 2 to 5 starts with the PROTO opcode {@code 0x80},
 * one of protocol 1 with {@code EMPTY_DICT}, one of protocol 0 (Python 2's default) with
 * {@code MARK DICT} ({@code "(d"}); pickles of every protocol, 0 to 5, are read.
 *
 * <p>Thread safety: thread-safe (the codecs are loaded at most once per instance, on first need).
 */
public final class PickleSerializer implements ContainerSerializer {
    /** Opcodes that may follow the opening of the top-level dict: memo writes, MARK, keys, STOP. */
    private static final String AFTER_DICT = new String(new char[] {(char) Opcodes.PUT, (char) Opcodes.BINPUT,
        (char) Opcodes.LONG_BINPUT, (char) Opcodes.MEMOIZE, (char) Opcodes.MARK, (char) Opcodes.STOP, (char) Opcodes.STRING,
        (char) Opcodes.UNICODE, (char) Opcodes.SHORT_BINSTRING, (char) Opcodes.BINSTRING, (char) Opcodes.SHORT_BINUNICODE,
        (char) Opcodes.BINUNICODE, (char) Opcodes.INT, (char) Opcodes.BININT1, (char) Opcodes.NONE});

    /** The serializer id. */
    public static final String ID = "jpkl-pickle";

    /** The codecs asked about the {@code jpeg} parameters, or null to load them when first needed. */
    private final SliceCodecs codecs;
    /** The codecs loaded from this class's class loader, when {@link #codecs} is null. */
    private volatile SliceCodecs loaded;

    /**
     * Public for {@link java.util.ServiceLoader}; does no work. The codecs it asks about JPEG's
     * parameters are loaded with {@link SliceCodecs#load(ClassLoader)} when first needed.
     */
    public PickleSerializer() {
        this.codecs = null;
    }

    /**
     * A serializer that asks these codecs about the parameters of the slices' codec: which change
     * the encoded bytes (what a pickle must be able to record) and their defaults (the parameters a
     * pickle read back stands for).
     */
    public PickleSerializer(SliceCodecs codecs) {
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    /** The codec {@code id} of {@link #codecs}, or of the codecs on this class's class loader. */
    Optional<SliceCodec> codec(String id) {
        SliceCodecs c = codecs;
        if (c == null) {
            c = loaded;
            if (c == null) {
                c = SliceCodecs.load(PickleSerializer.class.getClassLoader());
                loaded = c;
            }
        }
        return c.find(id);
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
     * Whether the source starts like a pickled dict of any protocol: {@code EMPTY_DICT} (protocols
     * 1 to 5), or {@code MARK DICT} (protocol 0, Python 2's default), after an optional
     * {@code PROTO 2..5} and {@code FRAME}, followed by an opcode that can come next in a dict (a
     * memo write, a MARK, a string or int key, STOP). Reads at most 16 bytes.
     */
    @Override
    public boolean canRead(RandomAccessSource source) throws IOException {
        long size = source.size();
        if (size < 3) {
            return false;
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(16, size));
        source.readFully(0, head);
        byte[] b = head.array();
        int next = 0;
        if ((b[0] & 0xFF) == Opcodes.PROTO) {
            if (b[1] < 2 || b[1] > SafeUnpickler.HIGHEST_PROTOCOL) {
                return false;
            }
            next = 2;
            if ((b[next] & 0xFF) == Opcodes.FRAME) {
                next += 9;
            }
        }
        if (next < b.length && (b[next] & 0xFF) == Opcodes.EMPTY_DICT) {
            next += 1;
        } else if (next + 1 < b.length && (b[next] & 0xFF) == Opcodes.MARK && (b[next + 1] & 0xFF) == Opcodes.DICT) {
            next += 2;
        } else {
            return false;
        }
        return next < b.length && AFTER_DICT.indexOf(b[next] & 0xFF) >= 0;
    }

    @Override
    public ContainerReader openReader(RandomAccessSource source) throws IOException {
        return PickleReader.open(source, codec(PickleLayout.CODEC));
    }

    /**
     * Plane axes named otherwise than the defaults (e.g. {@code y, x, rgb}) are written anyway: a
     * pickle names only the axes after the plane, so they read back as {@code y, x, c}; the renaming
     * is logged at INFO (logger {@code org.jpkl.pickle.PickleWriter}).
     *
     * @throws IllegalArgumentException if the array is not uint8 JPEG in JPkl's layout (y, x, colour on
     *     axes 0, 1, 2), or has codec parameters a pickle cannot record; the message lists everything
     *     that would be lost
     */
    @Override
    public ContainerWriter openWriter(Path target, ContainerHeader header, CodecParams params) throws IOException {
        return new PickleWriter(target, header, params, codec(header.codecId()));
    }

    /** As {@link #openWriter(Path, ContainerHeader, CodecParams)}, with the header's parameters parsed by the codec (when found). */
    @Override
    public ContainerWriter openWriter(Path target, ContainerHeader header) throws IOException {
        CodecParams params = codec(header.codecId()).map(c -> {
            try {
                return c.params(header.codecParams());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).orElse(null);
        return new PickleWriter(target, header, params, codec(header.codecId()));
    }

    @Override
    public String toString() {
        return "PickleSerializer";
    }
}
