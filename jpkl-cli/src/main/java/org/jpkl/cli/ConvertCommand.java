package org.jpkl.cli;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.Shapes;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.tiff.TiffStacks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl convert IN OUT}: another codec, other parameters or another serializer, slice
 * by slice (memory: a few planes). When the codec and its full parameter map equal the source's,
 * the encoded slices are copied unchanged (no re-encoding, no generation loss), as
 * {@link Jpkl#convert} does; this command runs the same loop itself so that it can show progress
 * and discard the output when interrupted.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Convert a container to another codec, codec parameters or serializer, slice by slice.",
            "Without --codec the source's codec and parameters are kept (--param changes single parameters);"
                + " when codec and parameters end up equal to the source's, encoded slices are copied unchanged."},
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl convert stack.jpkl stack-png.jpkl --codec png",
            "  jpkl convert stack.jpkl smaller.jpkl --param quality=80",
            "  jpkl convert stack.jpkl stack.dat --serializer zip",
            "  jpkl convert stack.jpkl stack.tif",
            "  jpkl convert stack.jpkl s3://lab/stack.jpkl"})
final class ConvertCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Parameters(index = "0", paramLabel = "IN", converter = ContainerLocation.Converter.class,
            description = "The container to read: a file, or a URI (https://..., s3://BUCKET/KEY).")
    ContainerLocation input;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write (replaced atomically): a container (.jpkl, .zip,"
            + " .pkl; other names need --serializer), or a multi-page TIFF (.tif, .tiff) that ImageJ/Fiji open as a hyperstack."
            + " Other file types are refused. A container may also go to a URI a storage provider writes, e.g."
            + " s3://BUCKET/KEY.jpkl (published when complete).", converter = ContainerLocation.Converter.class)
    ContainerLocation output;

    @Option(names = "--codec", paramLabel = "ID", description = "Codec id (default: the source's).")
    String codec;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A codec parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--serializer", paramLabel = "ID", description = "Serializer id, which decides the container's file layout"
            + " (default: by OUT's extension, else the source's).")
    String serializer;

    @Option(names = "--format", hidden = true, paramLabel = "ID", description = "Older name of --serializer, kept for scripts.")
    String format;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata to add or replace (JSON values allowed; repeatable).")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--tile", paramLabel = "HxW", description = "Store each plane as tiles of HxW (or N for NxN; sides multiples"
            + " of 16); 'none' for whole planes; 'auto' for 512x512 tiles when a plane side is above 4096. Default: the source's"
            + " tiles if it has them, else 'auto'.")
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
        Containers.OutputKind kind = Containers.outputKind(jpkl, serializerArg, output, "OUT");
        if (kind == Containers.OutputKind.TIFF && output.isRemote()) {
            throw CliException.usage("OUT " + output + ": a multi-page TIFF is written to a local file only; write a container"
                    + " (e.g. a .jpkl name) to the URI, or the TIFF to a local file");
        }
        if (kind == Containers.OutputKind.TIFF && (codec != null || !params.isEmpty() || !meta.isEmpty())) {
            throw CliException.usage("OUT " + output + ": a TIFF output holds the samples uncompressed and exactly, with the source's"
                    + " metadata; --codec, --param and --meta apply to containers");
        }
        if (kind == Containers.OutputKind.TIFF && tile != null) {
            throw CliException.usage("OUT " + output + ": a TIFF output holds whole planes; --tile applies to containers");
        }
        if (kind == Containers.OutputKind.TIFF && levelOptions.given()) {
            throw CliException.usage("OUT " + output + ": a TIFF output holds one resolution; --levels applies to containers");
        }
        Containers.tiles(WriteOptions.builder(), tile);
        levelOptions.apply(WriteOptions.builder());
        // The serializer, when OUT's name or --serializer gives it; else it is the source's, known once IN is open.
        String namedSerializer = serializerArg.given() || hasKnownExtension(jpkl, output)
                ? Containers.serializerFor(jpkl, serializerArg, output) : null;
        outputOptions.check(jpkl, "OUT", output, namedSerializer, List.of(input.isRemote() ? input.toString() : input.path().toString()));
        if (kind == Containers.OutputKind.TIFF) {
            long t0 = System.nanoTime();
            try (JpklArray source = input.open(jpkl)) {
                try {
                    TiffStacks.checkExportable(source.dtype(), source.layout().channels());
                } catch (IllegalArgumentException e) {
                    throw CliException.usage("OUT " + output + ": " + input + " holds " + source.dtype() + " " + source.layout().channels()
                            + " planes: " + e.getMessage(), e);
                }
            }
            EncodeCommand.exportTiff(jpkl, input, output.path());
            root.note(String.format(Locale.ROOT, "wrote %s: multi-page TIFF (uncompressed, exact) of %s; %s; %.1f s", output, input,
                    Sizes.compact(Files.size(output.path())), (System.nanoTime() - t0) / 1e9));
            return 0;
        }
        try (JpklArray source = input.open(jpkl)) {
            ContainerHeader h = source.header();
            SliceCodec target = Containers.codec(jpkl, codec == null ? h.codecId() : codec);
            Map<String, String> wanted = new LinkedHashMap<>();
            if (target.id().equals(h.codecId())) {
                wanted.putAll(h.codecParams());
            }
            wanted.putAll(params);
            Containers.checkParams(target, wanted);
            CodecParams targetParams = target.params(wanted);
            if (target.needsValueRange(targetParams, h.dtype())) {
                targetParams = bindToSourceRange(target, targetParams, source);
            }
            targetParams = bindToSamplePlanes(target, targetParams, source);
            if (!target.isLossless(targetParams) && h.dtype() != DType.UINT8 && !target.id().equals(h.codecId())) {
                root.note("warning: codec " + target.id() + " is LOSSY: the " + h.dtype() + " values read back will differ from the"
                        + " source's ('jpkl compare' measures by how much on your data); for exact storage name a lossless codec,"
                        + " e.g. --codec " + jpkl.defaultLosslessCodec(h.dtype(), h.layout().channels()).id());
            }
            Map<String, String> resolved = targetParams.toMap();
            // Same codec, and the codec says these parameters encode the planes to the same bytes: the encoded
            // slices may be copied (if the tiles match too).
            boolean sameCodec = target.id().equals(h.codecId()) && target.encodesAlike(resolved, h.codecParams(), h.dtype(),
                    h.layout().channels());
            String serializerId = namedSerializer != null ? namedSerializer : source.serializerId();
            if (namedSerializer == null) {
                OutputOptions.requireStreaming(jpkl, "OUT", output, serializerId);
            }
            Map<String, Object> metadata = new LinkedHashMap<>(h.metadata());
            meta.forEach((k, v) -> metadata.put(k, Json.metaValue(k, v)));
            WriteOptions.Builder b = WriteOptions.builder().codec(target.id()).params(resolved).layout(h.layout())
                    .axisNames(h.axisNames()).metadata(metadata).serializer(serializerId);
            if (tile == null && h.isTiled()) {
                b.storedTiles(h.tiling().get().tileHeight(), h.tiling().get().tileWidth());
            } else {
                Containers.tiles(b, tile);
            }
            // The source's levels are kept by default where the target can hold them (the pickle container holds one resolution).
            if (!levelOptions.given() && h.levelCount() > 1 && jpkl.serializers().require(serializerId).supportsLevels()) {
                b.levels(h.levelCount() - 1);
                h.levelDownsampling().ifPresent(b::downsampling);
            }
            levelOptions.apply(b);
            WriteOptions options = b.build();
            boolean copy;
            boolean copyLevels;
            String tilesNote;
            Progress bar = new Progress(root.io().err(), (progress || root.io().terminal()) && !root.quiet(), "convert",
                    h.sliceCount(), Progress.planeBytes(h));
            try (AbortOnExit abort = new AbortOnExit()) {
                JpklWriter writer;
                try {
                    writer = output.newWriter(jpkl, h.dtype(), h.shape(), options);
                } catch (IllegalArgumentException e) {
                    throw CliException.usage(input + " holds " + h.dtype() + " " + h.layout().channels() + " planes: " + e.getMessage(), e);
                }
                abort.guard(writer);
                // Levels are numbered after level 0 alike in both, so the source's first levels can be copied too
                // when the source records that they were made the same way.
                copy = sameCodec && sameTiles(writer.header(), h);
                copyLevels = copy && writer.header().levelsCopyableFrom(h);
                boolean buildLevels = !copyLevels && writer.header().levelCount() > 1;
                tilesNote = Containers.tilesNote(writer.header(), options);
                try (writer) {
                    boolean byRows = !h.planeFitsInOneArray();
                    PlaneBuffer plane = (copy && !buildLevels) || byRows ? null : PlaneBuffer.allocate(h.planeSpec());
                    long perSlice = h.chunksPerSlice();
                    for (long n = 0; n < h.sliceCount(); n++) {
                        if (copy) {
                            for (long chunk = n * perSlice; chunk < (n + 1) * perSlice; chunk++) {
                                writer.writeEncoded(chunk, source.readEncodedSlice(chunk));
                            }
                            if (buildLevels && byRows) {
                                writer.writeLevelsFrom(source, n);
                            } else if (buildLevels) {
                                source.decodeSlice(n, plane);
                                writer.writeLevelsOf(n, plane);
                            }
                        } else if (byRows) {
                            writer.writeTileRowsFrom(source, n);
                        } else {
                            source.decodeSlice(n, plane);
                            writer.write(n, plane);
                        }
                        bar.step();
                    }
                    if (copyLevels && writer.header().levelCount() > 1) {
                        for (long chunk = h.levelChunkStart(1); chunk < writer.header().chunkCount(); chunk++) {
                            writer.writeEncoded(chunk, source.readEncodedSlice(chunk));
                        }
                    }
                    writer.commit();
                } finally {
                    abort.release(writer);
                }
            }
            bar.finish();
            long size = output.size(jpkl);
            root.note(String.format(Locale.ROOT, "wrote %s: %s %s, %d slices%s %s, codec %s %s%s, serializer %s; %s (was %s); %.1f s",
                    output, Shapes.format(h.shape()), h.dtype(), h.sliceCount(), tilesNote,
                    copy ? (copyLevels ? "copied unchanged" : "level 0 copied unchanged, levels built") : "re-encoded", target.id(),
                    resolved, target.isLossless(targetParams) ? " (lossless)" : " (LOSSY)", serializerId, Sizes.compact(size), Sizes.compact(source.byteSize()), bar.seconds()));
        }
        return 0;
    }

    /** Whether two headers cut their planes the same way (both whole, or the same tile size), so encoded chunks can be copied. */
    private static boolean sameTiles(ContainerHeader a, ContainerHeader b) {
        return a.tiling().map(t -> t.tileHeight() + "x" + t.tileWidth()).equals(b.tiling().map(t -> t.tileHeight() + "x" + t.tileWidth()));
    }

    /** Binds parameters that need the whole array's value range from a first pass decoding the source. */
    private CodecParams bindToSourceRange(SliceCodec target, CodecParams params, JpklArray source) throws java.io.IOException {
        ValueRange range = new ValueRange();
        PlaneBuffer plane = PlaneBuffer.allocate(source.header().planeSpec());
        for (long n = 0; n < source.sliceCount(); n++) {
            source.decodeSlice(n, plane);
            if (!range.add(plane)) {
                throw CliException.data(input + ": slice " + n + " holds NaN or an infinity; codec '" + target.id()
                        + "' maps values to 8-bit levels and cannot store them (use a lossless codec)");
            }
        }
        CodecParams bound = target.bindToRange(params, source.dtype(), range.min, range.max);
        root.verbose("first pass for the value range: min " + range.min + ", max " + range.max + "; params " + bound.toMap());
        return bound;
    }

    /**
     * Binds parameters chosen from sample planes (e.g. {@code huffman=optimized}) with the planes the
     * codec names, decoded from the source, as {@code Jpkl.save} of the decoded array would.
     */
    private CodecParams bindToSamplePlanes(SliceCodec target, CodecParams params, JpklArray source) throws java.io.IOException {
        ContainerHeader h = source.header();
        SamplePlanes samples = new SamplePlanes(target, params, h.sliceCount(), h.dtype(), h.shape()[h.layout().yAxis()],
                h.shape()[h.layout().xAxis()], h.layout().channels(), input.toString());
        if (!samples.needed()) {
            return params;
        }
        PlaneBuffer plane = PlaneBuffer.allocate(h.planeSpec());
        for (long n : samples.numbers()) {
            source.decodeSlice(n, plane);
            samples.offer(n, plane);
        }
        CodecParams bound = samples.bind(target, params);
        root.verbose("sample planes " + java.util.Arrays.toString(samples.numbers()) + " read to bind the parameters: " + bound.toMap());
        return bound;
    }

    private static boolean hasKnownExtension(Jpkl jpkl, ContainerLocation output) {
        String name = output.fileName().toLowerCase(Locale.ROOT);
        return jpkl.serializers().all().stream().anyMatch(s -> s.fileExtensions().stream().anyMatch(e -> name.endsWith("." + e)));
    }
}
