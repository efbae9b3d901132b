package org.jpkl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jpkl.Jpkl;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.JpklArray;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.Shapes;
import org.jpkl.api.TileGrid;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.cli.input.StackInput;
import org.jpkl.cli.input.StackInputs;
import org.jpkl.tiff.TiffStacks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl encode INPUT... -o OUT}: reads a stack slice by slice and writes it as a container,
 * atomically (an interrupted encode leaves nothing under OUT), or as a multi-page TIFF (through a
 * lossless scratch container beside OUT, then {@link TiffStacks#exportSelection}). The codec is
 * {@link Jpkl#defaultCodec} by dtype unless named; parameters that need the whole input's value
 * range ({@link SliceCodec#needsValueRange}) or sample planes ({@link SliceCodec#samplePlanes}) are bound from a first
 * pass over re-readable inputs.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Encode a stack into one container file, slice by slice (the input is never loaded whole; tiled planes,"
                + " e.g. those with a side above 4096, tile row by tile row, so a plane larger than memory is encoded too).",
            "INPUT: a .npy file (C or Fortran order), raw binary with --shape and --dtype, a (multi-page) TIFF,"
                + " PNG or JPEG files, a folder of them or a quoted glob ('scans/img_*.png'; sorted naturally:"
                + " img_2 before img_10), - for .npy (or raw) bytes on standard input, or sample:H,W,N[:DTYPE]"
                + " for a generated stack."},
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl encode stack.npy --axes t,z,y,x -o stack.jpkl --codec png",
            "  jpkl encode scans/ -o scans.jpkl --codec jpeg --param quality=95",
            "  jpkl encode 'scans/img_*.tif' --axes z,y,x -o scans.jpkl --codec deflate",
            "  jpkl encode camera.raw --shape 100,2048,2048 --dtype uint16 --byte-order big --axes z,y,x -o camera.jpkl --codec zstd",
            "  jpkl encode sample:512,512,40 -o sample.jpkl --codec jpeg --meta experiment=demo",
            "  jpkl encode stack.npy -o s3://lab/stack.jpkl --codec zstd --storage-option s3.region=eu-west-1",
            "  jpkl encode scans/ -o scans.jpkl --codec jpeg --param tables=header --param huffman=optimized",
            "  jpkl encode stack.npy --axes t,z,y,x -o stack.tif --meta 'spacing={\"x\": 0.65, \"y\": 0.65, \"z\": 2}' --meta unit=micron"})
final class EncodeCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "What to encode (see above).")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", converter = ContainerLocation.Converter.class,
            description = "The file to write (replaced atomically): a container (.jpkl, .zip, .pkl; other names need --serializer),"
                + " or a multi-page TIFF (.tif, .tiff) that ImageJ/Fiji open as a hyperstack. Other file types are refused."
                + " A container may also go to a URI a storage provider writes, e.g. s3://BUCKET/KEY.jpkl (published when complete).")
    ContainerLocation output;

    @Option(names = "--codec", paramLabel = "ID",
            description = "Codec id; see 'jpkl codecs'. Default by dtype: jpeg for uint8 (as JPkl), lossless zstd (else deflate)"
                + " for every other dtype.")
    String codec;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A codec parameter, e.g. quality=95 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin
    InputOptions input;

    @Option(names = "--serializer", paramLabel = "ID", description = "Serializer id, which decides the container's file layout"
            + " (default: by OUT's extension, else jpkl; see 'jpkl codecs').")
    String serializer;

    @Option(names = "--format", hidden = true, paramLabel = "ID", description = "Older name of --serializer, kept for scripts.")
    String format;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata to store (JSON values allowed; repeatable).")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--tile", paramLabel = "HxW", description = "Store each plane as tiles of HxW (or N for NxN; sides multiples"
            + " of 16), each encoded on its own so reads decode only the tiles they touch; 'none' for whole planes; default 'auto':"
            + " 512x512 tiles for planes with a side above 4096 (JPEG cannot encode a side above 65,535), whole planes otherwise.")
    String tile;


    @Mixin
    LevelOptions levelOptions;

    @Option(names = "--progress", description = "Show progress even when stderr is not a terminal.")
    boolean progress;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() throws Exception {
        Jpkl jpkl = root.jpkl();
        Containers.SerializerArg serializerArg = Containers.SerializerArg.of(serializer, format);
        Containers.OutputKind kind = Containers.outputKind(jpkl, serializerArg, output, "-o");
        boolean tiff = kind == Containers.OutputKind.TIFF;
        if (tiff && output.isRemote()) {
            throw CliException.usage("-o " + output + ": a multi-page TIFF is written to a local file only; write a container"
                    + " (e.g. a .jpkl name) to the URI, or the TIFF to a local file");
        }
        if (tiff && (codec != null || !params.isEmpty())) {
            throw CliException.usage("-o " + output + ": a TIFF output holds the samples uncompressed and exactly; --codec and --param"
                    + " apply to containers (write a .jpkl to choose a codec)");
        }
        if (tiff && tile != null) {
            throw CliException.usage("-o " + output + ": a TIFF output holds whole planes; --tile applies to containers");
        }
        if (tiff && levelOptions.given()) {
            throw CliException.usage("-o " + output + ": a TIFF output holds one resolution; --levels applies to containers");
        }
        Containers.tiles(WriteOptions.builder(), tile);
        levelOptions.apply(WriteOptions.builder());
        SliceCodec named = codec == null ? null : Containers.codec(jpkl, codec);
        if (named != null) {
            Containers.checkParams(named, params);
        }
        String serializerId = tiff ? WriteOptions.defaults().serializerId() : Containers.serializerFor(jpkl, serializerArg, output);
        outputOptions.check(jpkl, "-o", output, serializerId, inputs);
        StackInputs.Options o = input.toOptions(root.io().in());
        try (StackInput stack = StackInputs.open(inputs, o)) {
            root.verbose("input: " + stack.description() + ", shape " + Shapes.format(stack.shape()) + " " + stack.dtype()
                    + ", axes " + stack.axisNames() + ", " + stack.sliceCount() + " slices of " + stack.dtype() + " " + planeHeight(stack) + "x"
                    + planeWidth(stack) + " " + stack.layout().channels());
            root.verbose("reading: " + stack.readingStrategy() + "; input memory about " + Sizes.compact(stack.memoryBound()));
            DType dtype = stack.dtype();
            ChannelLayout channels = stack.layout().channels();
            SliceCodec sliceCodec;
            try {
                if (tiff) {
                    TiffStacks.checkExportable(dtype, channels);
                }
                sliceCodec = named != null ? named : tiff ? jpkl.defaultLosslessCodec(dtype, channels) : jpkl.defaultCodec(dtype, channels);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("-o " + output + ": " + stack.description() + ": " + e.getMessage(), e);
            }
            if (named == null) {
                Containers.checkParams(sliceCodec, params);
            }
            CodecParams codecParams = sliceCodec.params(params);
            SamplePlanes samples = new SamplePlanes(sliceCodec, codecParams, stack.sliceCount(), dtype, planeHeight(stack),
                    planeWidth(stack), channels, stack.description());
            if (sliceCodec.needsValueRange(codecParams, dtype) || samples.needed()) {
                codecParams = bindFromFirstPass(sliceCodec, codecParams, samples, stack, o);
            }
            if (!sliceCodec.isLossless(codecParams) && dtype != DType.UINT8) {
                root.note("warning: codec " + sliceCodec.id() + " is LOSSY: the " + dtype + " values read back will differ from the"
                        + " input ('jpkl compare' measures by how much on your data); for exact storage name a lossless codec,"
                        + " e.g. --codec " + jpkl.defaultLosslessCodec(dtype, channels).id());
            }
            Map<String, Object> metadata = new LinkedHashMap<>(stack.metadata());
            meta.forEach((k, v) -> metadata.put(k, Json.metaValue(k, v)));
            WriteOptions options;
            try {
                WriteOptions.Builder b = WriteOptions.builder().codec(sliceCodec.id()).params(codecParams.toMap()).layout(stack.layout())
                        .axisNames(stack.axisNames()).metadata(metadata).serializer(serializerId);
                options = (tiff ? b.noTiles() : levelOptions.apply(Containers.tiles(b, tile))).build();
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage(), e);
            }
            long rawBytes = Shapes.product(stack.shape()) * dtype.byteSize();
            String tilesNote = "";
            Progress bar = new Progress(root.io().err(), (progress || root.io().terminal()) && !root.quiet(), "encode",
                    stack.sliceCount(), (long) planeHeight(stack) * planeWidth(stack) * channels.samplesPerPixel() * dtype.byteSize());
            try (AbortOnExit abort = new AbortOnExit(); ScratchFile scratch = tiff ? ScratchFile.beside(output.path()) : null) {
                if (scratch != null) {
                    abort.guard(scratch);
                }
                JpklWriter writer;
                try {
                    writer = tiff ? jpkl.newWriter(scratch.path(), dtype, stack.shape(), options)
                            : output.newWriter(jpkl, dtype, stack.shape(), options);
                } catch (IllegalArgumentException e) {
                    throw CliException.usage(stack.description() + ": " + e.getMessage(), e);
                }
                abort.guard(writer);
                tilesNote = Containers.tilesNote(writer.header(), options);
                stack.warnings().forEach(w -> root.note("warning: " + w));
                try (writer) {
                    TileGrid grid = writer.header().tiling().orElse(null);
                    if (grid != null) {
                        // Tile row by tile row: memory is a tile row, whatever the plane's size.
                        stack.readTileRows(grid, (n, row, rows) -> {
                            writer.writeTileRow(n, row, rows);
                            if (row + 1 == grid.rows()) {
                                bar.step();
                            }
                        });
                    } else {
                        stack.readPlanes((n, plane) -> {
                            writer.write(n, plane);
                            bar.step();
                        });
                    }
                    writer.commit();
                } finally {
                    abort.release(writer);
                }
                if (tiff) {
                    exportTiff(jpkl, ContainerLocation.local(scratch.path()), output.path());
                }
            }
            bar.finish();
            long size = output.size(jpkl);
            if (tiff) {
                root.note(String.format(Locale.ROOT, "wrote %s: %s %s, %d pages, multi-page TIFF (uncompressed, exact); %s, raw %s;"
                        + " %.1f s", output, Shapes.format(stack.shape()), dtype, stack.sliceCount(), Sizes.compact(size),
                        Sizes.compact(rawBytes), bar.seconds()));
                return 0;
            }
            root.note(String.format(Locale.ROOT, "wrote %s: %s %s, %d slices%s, codec %s %s%s, serializer %s; %s, raw %s, ratio %.2f;"
                    + " %.1f s (%.1f MB/s)", output, Shapes.format(stack.shape()), dtype, stack.sliceCount(), tilesNote, sliceCodec.id(),
                    codecParams.toMap(), sliceCodec.isLossless(codecParams) ? " (lossless)" : " (LOSSY)", serializerId, Sizes.compact(size),
                    Sizes.compact(rawBytes), Sizes.ratio(rawBytes, size), bar.seconds(), bar.megabytesPerSecond()));
        }
        return 0;
    }

    /**
     * Binds the parameters that depend on the data from a first pass over the input, which is read
     * again for encoding: those that need the whole input's value range (e.g. {@code window=global},
     * {@link SliceCodec#bindToRange}), then those chosen from sample planes (e.g.
     * {@code huffman=optimized}, {@link SamplePlanes}), so the result equals what {@code Jpkl.save}
     * binds for the same array.
     *
     * @throws CliException (usage) for standard input, which cannot be read twice, saying what to do
     */
    private CodecParams bindFromFirstPass(SliceCodec codec, CodecParams params, SamplePlanes samples, StackInput stack,
            StackInputs.Options o) throws IOException {
        boolean range = codec.needsValueRange(params, stack.dtype());
        if (inputs.contains("-")) {
            throw CliException.usage("--param " + params.toMap() + " for codec '" + codec.id() + "' needs "
                    + (range ? "the whole input's min and max" : samples.numbers().length + " sample planes of the input")
                    + " before the first slice is encoded, and standard input cannot be read twice for that first pass:"
                    + " save the input to a file and encode the file, or "
                    + (range ? "give the range yourself (e.g. --param window=LO:HI), or use --param window=slice"
                            : "give the parameter's value yourself (e.g. huffman=TABLES, taken from another container's"
                                    + " 'jpkl info'), or use --param huffman=standard"));
        }
        ValueRange values = new ValueRange();
        long t0 = System.nanoTime();
        try (StackInput first = StackInputs.open(inputs, o)) {
            StackInput.PlaneSink measure = (n, plane) -> {
                if (range && !values.add(plane)) {
                    throw CliException.data(stack.description() + ": slice " + n + " holds NaN or an infinity; codec '" + codec.id()
                            + "' maps values to 8-bit levels and cannot store them (replace them, or use a lossless codec)");
                }
                samples.offer(n, plane);
            };
            int h = planeHeight(first);
            int w = planeWidth(first);
            if (h == 0 || w == 0 || samples.needed()) {
                first.readPlanes(measure);
            } else {
                // In bands of rows, so that planes larger than memory are measured too.
                first.readTileRows(new TileGrid(h, w, Math.min(h, 512), w), (n, row, rows) -> measure.accept(n, rows));
            }
        }
        CodecParams bound = params;
        try {
            if (range) {
                bound = codec.bindToRange(bound, stack.dtype(), values.min, values.max);
            }
            bound = samples.bind(codec, bound);
        } catch (IllegalArgumentException e) {
            throw CliException.data(stack.description() + ": " + e.getMessage(), e);
        }
        root.verbose(String.format(Locale.ROOT, "first pass for the parameters that depend on the data%s%s (%.1f s); params %s",
                range ? ": min " + values.min + ", max " + values.max : "", samples.needed() ? (range ? "," : ":") + " "
                        + samples.numbers().length + " sample planes" : "", (System.nanoTime() - t0) / 1e9, bound.toMap()));
        return bound;
    }

    private static int planeHeight(StackInput stack) {
        return stack.shape()[stack.layout().yAxis()];
    }

    private static int planeWidth(StackInput stack) {
        return stack.shape()[stack.layout().xAxis()];
    }

    /** Exports the scratch container as a multi-page TIFF under {@code output}. */
    static void exportTiff(Jpkl jpkl, ContainerLocation container, Path output) throws IOException {
        try (JpklArray array = container.open(jpkl)) {
            TiffStacks.exportSelection(array, "...", output);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("-o " + output + ": " + e.getMessage(), e);
        }
    }
}
