package org.jpkl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.Downsampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl pyramid FILE}: adds (or replaces) the resolution levels of an existing container in
 * place. The new file is written by {@link Jpkl#convert} next to FILE and renamed onto it when
 * complete, so FILE is untouched on failure (and, through {@link AbortOnExit}, when the JVM is stopped); level 0's chunks are copied unchanged (same codec,
 * parameters and tiles), only the levels are built.
 */
@Command(name = "pyramid", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Add (or replace) the resolution levels of a container in place; level 0 is copied unchanged.",
            "FILE is replaced atomically: a failure leaves it as it was."},
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl pyramid slide.jpkl", "  jpkl pyramid labels.jpkl --levels 3 --downsample nearest", "  jpkl pyramid scan.zip --progress"})
final class PyramidCommand implements Callable<Integer> {
    /** An untiled plane's levels stop at this side with {@code --levels auto}. */
    static final int AUTO_UNTILED_SIDE = 512;

    @ParentCommand
    JpklCommand root;

    @Parameters(index = "0", paramLabel = "FILE", description = "The container to add levels to (replaced atomically).")
    String fileArgument;

    private Path file;

    @Option(names = "--levels", paramLabel = "N|auto", description = "Reduced levels to store, each halving the plane's height and"
            + " width; 0 removes them. 'auto' (the default): down to one tile, or to a side of at most " + AUTO_UNTILED_SIDE
            + " for untiled planes.")
    String levels = "auto";

    @Option(names = "--downsample", paramLabel = "MODE", description = "How levels are made: 'mean' of each 2x2 block, or"
            + " 'nearest' (the block's top-left sample) for label images. Default: the file's, else mean.")
    String downsample;

    @Option(names = "--progress", description = "Show progress even when stderr is not a terminal.")
    boolean progress;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() throws Exception {
        Jpkl jpkl = root.jpkl();
        Integer count = null;
        if (!levels.equals("auto")) {
            try {
                count = Integer.valueOf(levels);
            } catch (NumberFormatException e) {
                throw CliException.usage("--levels " + levels + ": expected a count from 0 to " + ContainerHeader.MAX_LEVELS + " or auto");
            }
        }
        if (ContainerLocation.looksRemote(fileArgument)) {
            throw CliException.usage("FILE " + fileArgument + ": pyramid replaces a local file in place; for an object, write the"
                    + " levels to a new one with convert (jpkl convert " + fileArgument + " NEW-URI --levels N)");
        }
        file = Path.of(fileArgument);
        // FILE is both input and output: checked as an output (regular, writable) with no other input.
        outputOptions.check("FILE", file, List.of());
        long t0 = System.nanoTime();
        long before = Files.size(file);
        try (JpklArray source = jpkl.open(file)) {
            ContainerHeader h = source.header();
            if (!jpkl.serializers().require(source.serializerId()).supportsLevels()) {
                throw CliException.usage("FILE " + file + ": serializer '" + source.serializerId() + "' holds one resolution and cannot"
                        + " store levels; convert it to a jpkl container first (jpkl convert " + file + " OUT.jpkl)");
            }
            int n = count != null ? count : autoLevels(h);
            if (count == null && n == 0) {
                root.note(String.format(Locale.ROOT, "%s: a %dx%d plane needs no levels (%s); unchanged", file,
                        h.shape()[h.layout().yAxis()], h.shape()[h.layout().xAxis()], h.tiling().map(t -> "it fits one "
                        + t.tileHeight() + "x" + t.tileWidth() + " tile").orElse("no side above " + AUTO_UNTILED_SIDE)));
                return 0;
            }
            WriteOptions.Builder b = WriteOptions.builder().serializer(source.serializerId());
            if (h.isTiled()) {
                b.storedTiles(h.tiling().get().tileHeight(), h.tiling().get().tileWidth());
            } else {
                b.noTiles();
            }
            h.levelDownsampling().ifPresent(b::downsampling);
            Containers.levels(b, n, downsample);
            WriteOptions options = b.build();
            boolean copied;
            Progress bar = new Progress(root.io().err(), (progress || root.io().terminal()) && !root.quiet(), "pyramid",
                    h.sliceCount(), Progress.planeBytes(h));
            try (AbortOnExit abort = new AbortOnExit()) {
                copied = jpkl.convert(source, file, options, abort::guard, done -> bar.step());
            } catch (IllegalArgumentException e) {
                throw CliException.usage("FILE " + file + ": " + e.getMessage(), e);
            }
            bar.finish();
            if (!copied) {
                throw new IllegalStateException("level 0 of " + file + " was re-encoded, not copied");
            }
            root.note(String.format(Locale.ROOT, "wrote %s: %s, %d reduced levels%s, level 0 copied unchanged; %s (was %s); %.1f s",
                    file, org.jpkl.api.Shapes.format(h.shape()), n, n == 0 ? "" : " (" + options.downsampling().id() + ")",
                    Sizes.compact(Files.size(file)), Sizes.compact(before), (System.nanoTime() - t0) / 1e9));
        }
        return 0;
    }

    /**
     * The levels {@code --levels auto} builds: halvings until the plane fits in one tile, or, untiled,
     * until neither side is above {@value #AUTO_UNTILED_SIDE}.
     */
    static int autoLevels(ContainerHeader h) {
        long height = h.shape()[h.layout().yAxis()];
        long width = h.shape()[h.layout().xAxis()];
        long maxH = h.tiling().map(t -> (long) t.tileHeight()).orElse((long) AUTO_UNTILED_SIDE);
        long maxW = h.tiling().map(t -> (long) t.tileWidth()).orElse((long) AUTO_UNTILED_SIDE);
        int n = 0;
        while ((height > maxH || width > maxW) && n < ContainerHeader.MAX_LEVELS) {
            height = (height + 1) / 2;
            width = (width + 1) / 2;
            n++;
        }
        return n;
    }
}
