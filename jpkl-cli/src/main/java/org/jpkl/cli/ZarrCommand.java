package org.jpkl.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.Shapes;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.zarr.OmeZarr;
import org.jpkl.zarr.ZarrExportOptions;
import org.jpkl.zarr.ZarrImport;
import org.jpkl.zarr.ZarrImportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl zarr export IN OUT.zarr} and {@code jpkl zarr import IN.zarr OUT}: OME-Zarr 0.4
 * (Zarr v2) directories in and out, with all resolution levels ({@link OmeZarr}).
 */
@Command(name = "zarr", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"OME-Zarr 0.4 (Zarr v2) in and out, with the resolution levels: 'export' a container as an OME-Zarr"
            + " directory, 'import' an OME-Zarr image or Zarr array into a container."},
        subcommands = {ZarrCommand.Export.class, ZarrCommand.Import.class},
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl zarr export slide.jpkl slide.zarr", "  jpkl zarr export stack.jpkl stack.zarr --compressor blosc-lz4",
            "  jpkl zarr import image.zarr image.jpkl", "  jpkl zarr import image.zarr image.jpkl --codec deflate --tile 256"})
final class ZarrCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Override
    public Integer call() {
        throw CliException.usage("expected a subcommand: export or import (see 'jpkl zarr --help')");
    }

    /** {@code jpkl zarr export}. */
    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
            description = {"Write a container, with all its resolution levels, as an OME-Zarr 0.4 directory (Zarr v2) that"
                + " zarr-python, dask, napari and Fiji read: one Zarr array per level, chunked per plane or per tile, axes"
                + " ordered key axes, colour, y, x.",
                "OUT is written as a temporary directory beside it and renamed into place when complete."},
            footerHeading = "%nExamples:%n",
            footer = {"  jpkl zarr export slide.jpkl slide.zarr", "  jpkl zarr export stack.jpkl stack.zarr --compressor zlib --clevel 9",
                "  jpkl zarr export stack.jpkl stack.zarr --overwrite"})
    static final class Export implements Callable<Integer> {
        @ParentCommand
        ZarrCommand parent;

        @Parameters(index = "0", paramLabel = "IN", description = "The container to export.")
        Path input;

        @Parameters(index = "1", paramLabel = "OUT", description = "The directory to write (e.g. x.zarr): must not exist, or be"
                + " empty, or with --overwrite be a Zarr store. A file is never replaced.")
        Path output;

        @Option(names = "--compressor", paramLabel = "NAME", description = "Chunk compressor: zstd (default), zlib, blosc-lz4"
                + " (zarr-python's default) or none.")
        String compressor = "zstd";

        @Option(names = "--clevel", paramLabel = "N", description = "The compressor's level (zstd 1-22, default 5; zlib 0-9, default"
                + " 6; blosc-lz4 1-9, default 5; 9 uses LZ4 HC).")
        Integer clevel;

        @Option(names = "--overwrite", description = "Replace OUT when it is an existing Zarr store (a directory with .zgroup or"
                + " .zarray).")
        boolean overwrite;

        @Override
        public Integer call() throws Exception {
            JpklCommand root = parent.root;
            Jpkl jpkl = root.jpkl();
            ZarrExportOptions options;
            try {
                options = ZarrExportOptions.defaults().compressor(ZarrExportOptions.Compressor.parse(compressor)).overwrite(overwrite);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--compressor " + compressor + ": " + e.getMessage(), e);
            }
            if (clevel != null) {
                try {
                    options = options.level(clevel);
                } catch (IllegalArgumentException e) {
                    throw CliException.usage("--clevel " + clevel + ": " + e.getMessage(), e);
                }
            }
            try {
                OmeZarr.checkExportTarget(output, overwrite);
            } catch (FileSystemException e) {
                throw CliException.usage("OUT " + output + ": " + (e.getReason() != null ? e.getReason() : e.getMessage()), e);
            }
            long t0 = System.nanoTime();
            try (JpklArray source = jpkl.open(input); AbortOnExit abort = new AbortOnExit()) {
                List<String> problems = OmeZarr.omeProblems(source.header());
                if (!problems.isEmpty()) {
                    root.note("warning: " + output + " will not be a valid OME-Zarr " + OmeZarr.VERSION + " image (" + String.join("; ", problems)
                            + "): Zarr readers read its arrays, strict OME-Zarr validators and viewers refuse it; name the axes"
                            + " x, y, z, t, c when encoding (jpkl encode --axes)");
                }
                long chunks;
                try {
                    chunks = OmeZarr.exportArray(source, output, options, abort::guard);
                } catch (IllegalArgumentException e) {
                    throw CliException.usage("IN " + input + ": " + e.getMessage(), e);
                }
                root.note(String.format(Locale.ROOT, "wrote %s: OME-Zarr %s of %s, %s %s, %d level%s, %d chunks, compressor %s; %s; %.1f s",
                        output, OmeZarr.VERSION, input, Shapes.format(source.shape()), source.dtype(), source.levelCount(),
                        source.levelCount() == 1 ? "" : "s", chunks, options, Sizes.compact(treeSize(output)),
                        (System.nanoTime() - t0) / 1e9));
            }
            return 0;
        }

        private static long treeSize(Path dir) throws IOException {
            try (Stream<Path> s = Files.walk(dir)) {
                long total = 0;
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (Files.isRegularFile(p)) {
                        total += Files.size(p);
                    }
                }
                return total;
            }
        }
    }

    /** {@code jpkl zarr import}. */
    @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
            description = {"Import an OME-Zarr image (its first multiscale) or a Zarr v2 array into a container: axis names from"
                + " the axes, the last two axes as the plane, scales as the metadata spacing/unit/pixel_size_um, and every level"
                + " that halves the one before as a jpkl level, exactly as stored.",
                "Reads chunks compressed with zlib, gzip, zstd or Blosc (lz4, lz4hc, zstd, zlib; byte shuffle or none), or"
                    + " uncompressed; uint8, uint16, int16, int32, float32, float64 in either byte order, C or F order."},
            footerHeading = "%nExamples:%n",
            footer = {"  jpkl zarr import image.zarr image.jpkl", "  jpkl zarr import image.zarr image.jpkl --codec jpeg --param quality=95"})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        ZarrCommand parent;

        @Parameters(index = "0", paramLabel = "IN", description = "The Zarr directory to read (e.g. x.zarr).")
        Path input;

        @Parameters(index = "1", paramLabel = "OUT", description = "The container to write (replaced atomically; .jpkl, .zip, .pkl),"
                + " or a URI a storage provider writes, e.g. s3://BUCKET/KEY.jpkl (published when complete).",
                converter = ContainerLocation.Converter.class)
        ContainerLocation output;

        @Option(names = "--codec", paramLabel = "ID", description = "Codec id (default: lossless, zstd else deflate: Zarr holds"
                + " exact values).")
        String codec;

        @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A codec parameter (repeatable).")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata to add or replace (JSON values allowed;"
                + " repeatable).")
        Map<String, String> meta = new LinkedHashMap<>();

        @Option(names = "--tile", paramLabel = "HxW", description = "Tiles of HxW (or N), 'none' or 'auto' (the default: 512x512"
                + " tiles when a plane side is above 4096).")
        String tile;

        @Mixin
        OutputOptions outputOptions;

        @Override
        public Integer call() throws Exception {
            JpklCommand root = parent.root;
            Jpkl jpkl = root.jpkl();
            Containers.SerializerArg none = Containers.SerializerArg.of(null, null);
            if (Containers.outputKind(jpkl, none, output, "OUT") != Containers.OutputKind.CONTAINER) {
                throw CliException.usage("OUT " + output + ": zarr import writes a container (.jpkl, .zip, .pkl)");
            }
            String serializerId = Containers.serializerFor(jpkl, none, output);
            WriteOptions.Builder b = WriteOptions.builder().serializer(serializerId);
            if (codec != null) {
                SliceCodec named = Containers.codec(jpkl, codec);
                Containers.checkParams(named, params);
                b.codec(named.id()).params(params);
            } else if (!params.isEmpty()) {
                throw CliException.usage("--param " + params + " needs --codec ID (the default codec depends on the dataset's dtype)");
            }
            Containers.tiles(b, tile);
            meta.forEach((k, v) -> b.metadata(k, Json.metaValue(k, v)));
            outputOptions.check(jpkl, "OUT", output, serializerId, List.of(input.toString()));
            boolean levels = jpkl.serializers().require(serializerId).supportsLevels();
            long t0 = System.nanoTime();
            ZarrImport result;
            try (AbortOnExit abort = new AbortOnExit()) {
                ZarrImportOptions options = ZarrImportOptions.defaults().writeOptions(b.build()).levels(levels);
                result = output.isRemote() ? OmeZarr.importZarr(jpkl, input, output.uri(), options, abort::guard)
                        : OmeZarr.importZarr(jpkl, input, output.path(), options, abort::guard);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("IN " + input + ": " + e.getMessage(), e);
            }
            for (String note : result.notes()) {
                root.note("note: " + note + (levels ? "" : " (serializer '" + serializerId + "' holds one resolution)"));
            }
            ContainerHeader h = result.header();
            root.note(String.format(Locale.ROOT, "wrote %s: %s %s, axes %s, %d of %d level%s imported, codec %s %s, serializer %s; %s;"
                    + " %.1f s", output, Shapes.format(h.shape()), h.dtype(), h.axisNames(), result.levelsImported(),
                    result.levelsInDataset(), result.levelsInDataset() == 1 ? "" : "s", h.codecId(), h.codecParams(), serializerId,
                    Sizes.compact(output.size(jpkl)), (System.nanoTime() - t0) / 1e9));
            return 0;
        }
    }
}
