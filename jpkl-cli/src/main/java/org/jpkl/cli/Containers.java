package org.jpkl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.SliceCodec;

/** Choices shared by the commands that write containers (encode, convert, compare). Stateless. */
final class Containers {
    private Containers() {
    }

    /**
     * The serializer named on the command line: {@code --serializer ID}, or its older spelling
     * {@code --format ID} (kept, hidden from the help, so that scripts keep working), with the
     * option as the user typed it so that messages can quote it back.
     *
     * @param option {@code "--serializer"} or {@code "--format"}; null when {@code id} is null
     * @param id the serializer id given, or null when neither option was given
     */
    record SerializerArg(String option, String id) {
        /** Neither option given: the serializer follows from the output's name. */
        static final SerializerArg NONE = new SerializerArg(null, null);

        /**
         * The one of the two spellings that was given.
         *
         * @throws CliException (usage) when both are given
         */
        static SerializerArg of(String serializer, String format) {
            if (serializer != null && format != null) {
                throw CliException.usage("--serializer " + serializer + " and --format " + format + ": --format is the older name of"
                        + " --serializer; give one of them");
            }
            return serializer != null ? new SerializerArg("--serializer", serializer)
                    : format != null ? new SerializerArg("--format", format) : NONE;
        }

        boolean given() {
            return id != null;
        }

        @Override
        public String toString() {
            return option + " " + id;
        }
    }

    /**
     * The serializer id: the one given with {@code --serializer ID}, else the one whose file
     * extension the output has, else the default single-file serializer.
     *
     * @throws CliException (usage) for an unknown id
     */
    static String serializerFor(Jpkl jpkl, SerializerArg arg, ContainerLocation output) {
        if (arg.given()) {
            if (jpkl.serializers().find(arg.id()).isEmpty()) {
                throw CliException.usage(arg + ": unknown serializer; available: " + jpkl.serializers().ids()
                        + " (see 'jpkl codecs'; add plugin jars with --plugins DIR)");
            }
            return arg.id();
        }
        String name = output.fileName().toLowerCase(Locale.ROOT);
        for (ContainerSerializer s : jpkl.serializers().all()) {
            for (String ext : s.fileExtensions()) {
                if (name.endsWith("." + ext.toLowerCase(Locale.ROOT))) {
                    return s.id();
                }
            }
        }
        return WriteOptions.defaults().serializerId();
    }

    /** What an {@code encode} or {@code convert} output is, by its name. */
    enum OutputKind {
        /** A container written by the serializer the name's extension (or --serializer) says. */
        CONTAINER,
        /** A multi-page TIFF ({@code .tif}, {@code .tiff}). */
        TIFF
    }

    /** Extensions of file types these commands do not write, with what writes them. */
    private static final Map<String, String> OTHER_TYPES = Map.ofEntries(
            Map.entry("npy", "'jpkl get FILE ... -o x.npy' writes a container's data as .npy"),
            Map.entry("npz", "'jpkl get FILE ... -o x.npy' writes a container's data as .npy"),
            Map.entry("raw", "'jpkl get FILE ... -o x.raw' writes a container's data as raw elements"),
            Map.entry("bin", "'jpkl get FILE ... -o x.raw' writes a container's data as raw elements"),
            Map.entry("png", "'jpkl get FILE EXPR -o x.png' writes one plane as PNG"),
            Map.entry("jpg", "'jpkl get FILE EXPR -o x.png' writes one plane as PNG"),
            Map.entry("jpeg", "'jpkl get FILE EXPR -o x.png' writes one plane as PNG"),
            Map.entry("zarr", "'jpkl zarr export FILE x.zarr' writes a container as an OME-Zarr directory"));

    /**
     * What {@code output} is to be, by its extension: a container (a serializer's extension, no
     * extension, or any other extension with {@code --serializer}) or a multi-page TIFF. Refuses,
     * before any work, every name that would lie about the file: the extension of another file
     * type, {@code .tif} with {@code --serializer}, or an unknown extension without {@code --serializer}.
     *
     * @param arg the {@code --serializer} (or {@code --format}) value given, if any
     * @throws CliException (usage) naming the option, the file, what is written and what to do instead
     */
    static OutputKind outputKind(Jpkl jpkl, SerializerArg arg, ContainerLocation output, String option) {
        String name = output.fileName().toLowerCase(Locale.ROOT);
        List<String> containerExtensions = new ArrayList<>();
        for (ContainerSerializer s : jpkl.serializers().all()) {
            for (String ext : s.fileExtensions()) {
                if (name.endsWith("." + ext.toLowerCase(Locale.ROOT))) {
                    return OutputKind.CONTAINER;
                }
                containerExtensions.add("." + ext);
            }
        }
        if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            if (arg.given()) {
                throw CliException.usage(option + " " + output + ": " + arg + " writes a container, which a .tif name"
                        + " would misname; name it with the serializer's extension, or drop " + arg.option()
                        + " to write a multi-page TIFF");
            }
            return OutputKind.TIFF;
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return OutputKind.CONTAINER;
        }
        String ext = name.substring(dot + 1);
        String other = OTHER_TYPES.get(ext);
        if (other == null && arg.given()) {
            return OutputKind.CONTAINER;
        }
        throw CliException.usage(option + " " + output + ": ." + ext + " is not a container or TIFF extension; this command writes"
                + " containers (" + String.join(", ", containerExtensions) + ") or a multi-page TIFF (.tif, .tiff)"
                + (other != null ? "; " + other : "; to write a container under another name give --serializer ID"));
    }

    /**
     * The codec with this id.
     *
     * @throws CliException (usage, exit 2) naming the available ids: a codec id given on the command
     *     line is part of the usage, even when it is merely not installed
     */
    static SliceCodec codec(Jpkl jpkl, String id) {
        return jpkl.codecs().find(id).orElseThrow(() -> CliException.usage("--codec " + id + ": unknown codec; available: "
                + jpkl.codecs().ids() + " (see 'jpkl codecs'; add plugin jars with --plugins DIR or JPKL_PLUGINS)"));
    }

    /**
     * Checks parameters with the codec before any work starts.
     *
     * @throws CliException (usage) with the codec's message (key, value, allowed values)
     */
    static void checkParams(SliceCodec codec, Map<String, String> params) {
        try {
            codec.params(params);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--param for codec '" + codec.id() + "': " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code --tile}: {@code HxW} or {@code N} (square) tiles, {@code none} for whole planes,
     * {@code auto} (the default: tiles of {@value WriteOptions#DEFAULT_TILE_SIDE} for planes with a side
     * above {@value WriteOptions#AUTO_TILE_ABOVE}).
     *
     * @throws CliException (usage) naming the option, the value and what is allowed
     */
    static WriteOptions.Builder tiles(WriteOptions.Builder b, String arg) {
        if (arg == null || arg.equals("auto")) {
            return b.autoTiles();
        }
        if (arg.equals("none")) {
            return b.noTiles();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(?:[xX]([0-9]{1,9}))?").matcher(arg);
        if (!m.matches()) {
            throw CliException.usage("--tile " + arg + ": expected HxW (e.g. 512x512), N (square tiles), none or auto");
        }
        int h = Integer.parseInt(m.group(1));
        int w = m.group(2) == null ? h : Integer.parseInt(m.group(2));
        try {
            return b.tiles(h, w);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--tile " + arg + ": " + e.getMessage(), e);
        }
    }

    /** For summary lines: {@code ", 512x512 tiles (auto: a side above 4096)"}, or nothing for whole planes. */
    static String tilesNote(org.jpkl.api.ContainerHeader written, WriteOptions options) {
        return written.tiling().map(t -> ", " + t.tileHeight() + "x" + t.tileWidth() + " tiles"
                + (options.tiling() == WriteOptions.Tiling.AUTO ? " (auto: a plane side above " + WriteOptions.AUTO_TILE_ABOVE + ")" : ""))
                .orElse("") + (written.levelCount() > 1 ? ", " + (written.levelCount() - 1) + " reduced levels ("
                + options.downsampling().id() + ")" : "");
    }

    /**
     * Applies {@code --levels N} and {@code --downsample mean|nearest} to {@code b}; {@code levels}
     * null leaves the builder's levels (none unless set).
     *
     * @throws CliException a usage error for a count outside [0, 31], an unknown downsampling, or
     *     {@code --downsample} without {@code --levels}
     */
    static WriteOptions.Builder levels(WriteOptions.Builder b, Integer levels, String downsample) {
        if (levels == null) {
            if (downsample != null) {
                throw CliException.usage("--downsample " + downsample + " needs --levels N (the reduced levels to build)");
            }
            return b;
        }
        if (levels < 0 || levels > org.jpkl.api.ContainerHeader.MAX_LEVELS) {
            throw CliException.usage("--levels " + levels + ": expected 0 to " + org.jpkl.api.ContainerHeader.MAX_LEVELS
                    + " (reduced levels, each halving the plane's height and width; 0 for none)");
        }
        b.levels(levels);
        if (downsample != null) {
            try {
                b.downsampling(org.jpkl.api.Downsampling.parse(downsample));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--downsample: " + e.getMessage(), e);
            }
        }
        return b;
    }
}
