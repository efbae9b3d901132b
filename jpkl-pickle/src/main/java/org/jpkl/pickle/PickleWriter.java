package org.jpkl.pickle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.razorvine.pickle.Opcodes;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.DType;
import org.jpkl.api.KeySpace;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.support.SliceSlots;

/**
 * Writes a Python JPkl pickle as a stream: the dict's first entries and an empty {@code images}
 * dict on open, one {@code key: bytes} item per slice as it comes (each payload written straight to
 * the file, nothing kept), the remaining entries on commit. Python sees the dict
 * {@code {'header', 'color', 'jpeg_quality', 'images', 'dim_names', 'dim_sizes', 'metadata'}}.
 *
 * <p>Thread safety: not thread-safe.
 */
final class PickleWriter implements ContainerWriter {
    private static final System.Logger LOG = System.getLogger(PickleWriter.class.getName());
    private final ContainerHeader header;
    private final KeySpace keys;
    private final AtomicFileOutput file;
    private final PickleOutput out;
    private final SliceSlots slots;

    /**
     * @param params the codec's parameters, asked which of them change the slices' bytes; null when
     *     unknown (then every parameter in the header counts)
     * @param codec the slices' codec, asked for its defaults (what a pickle reads back as); empty when not installed
     */
    PickleWriter(Path target, ContainerHeader header, CodecParams params, Optional<SliceCodec> codec) throws IOException {
        int quality = checkRepresentable(header, params, codec);
        String renamed = planeAxesRenamed(header);
        if (renamed != null) {
            LOG.log(System.Logger.Level.INFO, "{0}: {1}", target, renamed);
        }
        this.header = header;
        this.keys = header.keySpace();
        this.slots = new SliceSlots(keys, target);
        this.file = AtomicFileOutput.create(target);
        this.out = new PickleOutput(file);
        try {
            out.protocol(PickleLayout.WRITE_PROTOCOL);
            out.opcode(Opcodes.EMPTY_DICT);
            out.opcode(Opcodes.MARK);
            out.string(PickleLayout.HEADER);
            out.string(PickleLayout.MAGIC);
            out.string(PickleLayout.VERSION);
            out.opcode(Opcodes.TUPLE2);
            out.string(PickleLayout.COLOR);
            out.bool(header.layout().channels() == ChannelLayout.RGB);
            out.string(PickleLayout.JPEG_QUALITY);
            out.integer(quality);
            out.string(PickleLayout.IMAGES);
            out.opcode(Opcodes.EMPTY_DICT);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * What a pickle of this array will call its plane axes, if their names differ: a JPkl pickle
     * names only the axes after the plane ({@code dim_names}), so the plane axes read back with the
     * default names. Names are not data, so this is a notice (logged at INFO), not a refusal.
     *
     * @return e.g. {@code "the plane axes [y, x, rgb] read back from a JPkl pickle as [y, x, c]"}, or
     *     null when the names are the defaults or the layout is not JPkl's
     */
    static String planeAxesRenamed(ContainerHeader h) {
        boolean rgb = h.layout().channels() == ChannelLayout.RGB;
        int planeAxes = rgb ? 3 : 2;
        if (!h.layout().equals(PlaneLayout.jpkl(rgb)) || h.axisNames().size() < planeAxes) {
            return null;
        }
        List<String> names = h.axisNames().subList(0, planeAxes);
        List<String> defaults = ContainerHeader.defaultAxisNames(h.shape().length, PlaneLayout.jpkl(rgb)).subList(0, planeAxes);
        return names.equals(defaults) ? null : "the plane axes " + names + " read back from a JPkl pickle as " + defaults
                + " (a pickle names only the axes after the plane)";
    }

    /**
     * Checks that a JPkl pickle can hold the array without losing any data (axis names of the
     * plane are not data: see {@link #planeAxesRenamed}).
     *
     * <p>Which codec parameters matter is the codec's answer ({@link CodecParams#encodingParams}): a
     * parameter that cannot change these planes' bytes is not data; one that can is kept if the pickle
     * records it (quality; the subsampling is in the JPEG frames) or reads back as it is (the codec's
     * default).
     *
     * @return the JPEG quality to record
     * @throws IllegalArgumentException listing everything that would be lost
     */
    static int checkRepresentable(ContainerHeader h, CodecParams params, Optional<SliceCodec> codec) {
        List<String> lost = new ArrayList<>();
        if (!h.codecId().equals(PickleLayout.CODEC)) {
            lost.add("the slices' codec '" + h.codecId() + "' (JPkl pickles hold JPEG slices only: convert with codec 'jpeg',"
                    + " which re-encodes them lossily)");
        }
        if (h.dtype() != DType.UINT8) {
            lost.add("the " + h.dtype() + " values (JPkl pickles hold 8-bit samples only; "
                    + (h.dtype() == DType.UINT16 ? "16-bit data would lose its low bits" : "they would be mapped to 256 levels") + ")");
        }
        boolean rgb = h.layout().channels() == ChannelLayout.RGB;
        if (!h.layout().equals(PlaneLayout.jpkl(rgb))) {
            lost.add("the plane layout (" + h.layout() + "): JPkl pickles hold height, width" + (rgb ? ", colour" : "")
                    + " on axes 0, 1" + (rgb ? ", 2" : "") + "; save this array with serializer 'jpkl' (or 'zip'), which keep any layout");
        }
        if (h.levelCount() > 1) {
            lost.add("the " + (h.levelCount() - 1) + " resolution levels: JPkl pickles hold one resolution; save without levels,"
                    + " or with serializer 'jpkl' (or 'zip'), which keep them");
        }
        h.tiling().ifPresent(t -> lost.add("the tiles (" + t.tileHeight() + "x" + t.tileWidth() + "): JPkl pickles hold whole"
                + " planes only; save without tiles, or with serializer 'jpkl', which keeps them"));
        // What the codec says changes the bytes of these planes: the quality is recorded, the subsampling is in the
        // JPEG frames themselves, and the rest reads back as the codec's defaults (see PickleLayout.codecParams).
        Map<String, String> recorded = params != null && params.codecId().equals(h.codecId())
                ? params.encodingParams(h.dtype(), h.layout().channels()) : h.codecParams();
        Map<String, String> readBack = codec.map(c -> defaults(c, h)).orElse(Map.of());
        int quality = -1;
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            if (e.getKey().equals(PickleLayout.QUALITY)) {
                try {
                    quality = Integer.parseInt(e.getValue().trim());
                } catch (NumberFormatException ex) {
                    quality = -1;
                }
                if (quality < 0 || quality > 100) {
                    lost.add("codec parameter quality='" + e.getValue() + "' (jpeg_quality is an int in [0, 100])");
                }
            } else if (!e.getKey().equals(PickleLayout.SUBSAMPLING) && !e.getValue().equals(readBack.get(e.getKey()))) {
                lost.add("codec parameter " + e.getKey() + "='" + e.getValue() + "' (a JPkl pickle records only jpeg_quality)");
            }
        }
        if (!recorded.containsKey(PickleLayout.QUALITY)) {
            lost.add("the JPEG quality: codec parameter 'quality' is missing and jpeg_quality must be recorded");
        }
        if (!lost.isEmpty()) {
            throw new IllegalArgumentException("a JPkl pickle (format '" + PickleSerializer.ID + "') cannot hold this array ("
                    + h + ") without losing " + String.join("; ", lost));
        }
        return quality;
    }

    /** The codec's defaults for the parameters that change the bytes of {@code h}'s planes; empty if it refuses. */
    private static Map<String, String> defaults(SliceCodec codec, ContainerHeader h) {
        try {
            return codec.params(Map.of()).encodingParams(h.dtype(), h.layout().channels());
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    @Override
    public ContainerHeader header() {
        return header;
    }

    @Override
    public void writeSlice(long sliceNumber, ByteBuffer encoded) throws IOException {
        int n = slots.claim(sliceNumber);
        try {
            out.intTuple(keys.key(n));
            out.bytes(encoded);
            out.opcode(Opcodes.SETITEM);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        slots.markWritten(n);
    }

    @Override
    public void commit() throws IOException {
        slots.checkComplete();
        try {
            int planeAxes = header.layout().channels() == ChannelLayout.RGB ? 3 : 2;
            List<String> names = header.axisNames();
            out.string(PickleLayout.DIM_NAMES);
            out.value(names.subList(planeAxes, names.size()));
            out.string(PickleLayout.DIM_SIZES);
            out.intTuple(keys.keyDims());
            out.string(PickleLayout.METADATA);
            out.value(header.metadata());
            out.opcode(Opcodes.SETITEMS);
            out.opcode(Opcodes.STOP);
            out.flush();
            file.commit();
        } finally {
            slots.finish();
        }
    }

    @Override
    public void close() throws IOException {
        slots.finish();
        file.close();
    }

    @Override
    public String toString() {
        return "PickleWriter[" + file + "]";
    }
}
