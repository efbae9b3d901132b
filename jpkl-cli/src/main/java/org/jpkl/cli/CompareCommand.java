package org.jpkl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Selection;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.io.TempFolder;
import org.jpkl.cli.input.StackInput;
import org.jpkl.cli.input.StackInputs;
import org.jpkl.compare.CodecComparison;
import org.jpkl.compare.ComparisonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl compare INPUT}: the codec comparison harness ({@link CodecComparison}) on the user's
 * own data: any input {@code encode} accepts, or a container. The harness works on an in-memory
 * array, so a sample of {@code --slices} planes, evenly spaced through the stack, is read (streamed
 * from the input; only the chosen planes are kept) and compared as a {@code (slice, y, x[, rgb])}
 * array.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Compare codecs on your own data: size, ratio, exactness, max abs error, PSNR, encode/decode"
            + " throughput and slice-read latency per codec, as a table or JSON.",
            "INPUT: anything 'jpkl encode' reads, or a container file. Without --codec every installed codec is tried"
                + " with its defaults; codecs that cannot take the data are listed as skipped."},
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl compare stack.jpkl",
            "  jpkl compare stack.npy --axes z,y,x --codec jpeg:quality=95 --codec jpeg:quality=80 --codec png --codec zstd",
            "  jpkl compare scans/ --slices 8 --json > comparison.json"})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "What to compare on (see above).")
    List<String> inputs;

    @Option(names = "--codec", paramLabel = "ID[:K=V,...]", description = "A codec with parameters, e.g. jpeg:quality=95 (repeatable;"
            + " default: every codec).")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--all", description = "Also every installed codec with its defaults, after the --codec ones.")
    boolean all;

    @Option(names = "--lossless-only", description = "Only codecs exact at the settings used: those of --all (or the default"
            + " list) lossy with their defaults are left out, and a --codec with lossy settings is refused (jpegls counts at near=0,"
            + " not at near=2).")
    boolean losslessOnly;

    @Option(names = "--json", description = "Print the harness's JSON instead of the table.")
    boolean json;

    @Option(names = "--slices", paramLabel = "N", description = "Compare on N planes evenly spaced through the stack (0: all;"
            + " default ${DEFAULT-VALUE}).")
    int slices = 16;

    @Option(names = "--repeats", paramLabel = "N", description = "Timed passes per measurement (median; default ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--warmups", paramLabel = "N", description = "Untimed passes first (default ${DEFAULT-VALUE}).")
    int warmups = 1;

    @Option(names = "--slice-reads", paramLabel = "N", description = "Random single-plane reads timed (default ${DEFAULT-VALUE}).")
    int sliceReads = 20;

    @Option(names = "--serializer", paramLabel = "ID", description = "Serializer of the trial files (default jpkl).")
    String serializer;

    @Option(names = "--format", hidden = true, paramLabel = "ID", description = "Older name of --serializer, kept for scripts.")
    String format;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Folder for the trial files (default: a temporary folder, deleted after).")
    Path workDir;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() throws Exception {
        Jpkl jpkl = root.jpkl();
        if (slices < 0) {
            throw CliException.usage("--slices " + slices + ": must be 0 (all) or more");
        }
        CodecComparison comparison;
        try {
            CodecComparison.Builder b = CodecComparison.builder(jpkl).warmups(warmups).repeats(repeats).sliceReads(sliceReads)
                    .progress(line -> {
                        if (root.io().terminal() || root.verbose()) {
                            root.note(line);
                        }
                    });
            for (String c : codecs) {
                b.codec(c);
            }
            if (all) {
                b.allCodecs();
            }
            if (losslessOnly) {
                b.losslessOnly();
            }
            comparison = b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage(), e);
        }
        Containers.SerializerArg serializerArg = Containers.SerializerArg.of(serializer, format);
        String serializerId = serializerArg.given() ? Containers.serializerFor(jpkl, serializerArg, ContainerLocation.local(Path.of("x")))
                : WriteOptions.defaults().serializerId();
        Sample sample = isContainer(jpkl) ? fromContainer(jpkl) : fromInput();
        root.note("comparing " + comparison.codecs().size() + " codec(s) on " + sample.description);
        WriteOptions base = WriteOptions.builder().layout(sample.layout).axisNames(sample.axisNames).serializer(serializerId).build();
        ComparisonReport report;
        if (workDir != null) {
            report = comparison.run(sample.array, base, workDir);
        } else {
            // Deleted afterwards, and by a shutdown hook if the JVM is stopped (Ctrl-C, SIGTERM) first.
            try (TempFolder dir = TempFolder.create("jpkl-compare")) {
                report = comparison.run(sample.array, base, dir.path());
            }
        }
        root.io().out().print(json ? report.toJson() : report.toTable());
        return 0;
    }

    /** The planes compared, as one array. */
    private static final class Sample {
        final NdArray array;
        final PlaneLayout layout;
        final List<String> axisNames;
        final String description;

        Sample(NdArray array, PlaneLayout layout, List<String> axisNames, String description) {
            this.array = array;
            this.layout = layout;
            this.axisNames = axisNames;
            this.description = description;
        }
    }

    /** Collects chosen planes into a {@code (k, h, w[, 3])} array. */
    private final class Collector {
        final PlaneSpec spec;
        final Map<Long, Integer> positionOf = new HashMap<>();
        final PlaneBuffer all;
        final int k;
        final long total;

        Collector(PlaneSpec spec, long total) {
            this.spec = spec;
            this.total = total;
            long wanted = slices == 0 ? total : Math.min(slices, total);
            if (wanted == 0) {
                throw CliException.data("the input has no planes to compare");
            }
            if (wanted > Selection.MAX_RESULT_ELEMENTS / Math.max(1, spec.sampleCount())) {
                throw CliException.usage("--slices " + slices + ": " + wanted + " planes of " + spec + " do not fit in one array;"
                        + " choose fewer, e.g. --slices " + Math.max(1, Selection.MAX_RESULT_ELEMENTS / spec.sampleCount()));
            }
            this.k = Math.toIntExact(wanted);
            // floor(i * total / k) without overflowing i * total: total = q * k + r, and i * r < k * k < 2^62.
            long q = total / k;
            long r = total % k;
            for (int i = 0; i < k; i++) {
                positionOf.put(i * q + i * r / k, i);
            }
            this.all = PlaneBuffer.allocate(new PlaneSpec(spec.dtype(), k * spec.height(), spec.width(), spec.channels()));
        }

        PlaneBuffer slot(long sliceNumber) {
            Integer i = positionOf.get(sliceNumber);
            return i == null ? null : PlaneBuffer.wrap(spec, all.array(), i * spec.sampleCount());
        }

        Sample sample(String what) {
            boolean rgb = spec.channels() == ChannelLayout.RGB;
            int[] shape = rgb ? new int[] {k, spec.height(), spec.width(), 3} : new int[] {k, spec.height(), spec.width()};
            List<String> names = rgb ? List.of("slice", "y", "x", "rgb") : List.of("slice", "y", "x");
            PlaneLayout layout = rgb ? PlaneLayout.of(1, 2, 3) : PlaneLayout.of(1, 2);
            return new Sample(NdArray.wrap(all.array(), spec.dtype(), shape), layout, names,
                    k + " of " + total + " planes (" + spec + ") of " + what);
        }
    }

    private boolean isContainer(Jpkl jpkl) throws IOException {
        if (inputs.size() != 1 || !Files.isRegularFile(Path.of(inputs.get(0)))) {
            return false;
        }
        try (RandomAccessSource source = RandomAccessSource.open(Path.of(inputs.get(0)))) {
            return jpkl.serializers().detect(source).isPresent();
        }
    }

    private Sample fromContainer(Jpkl jpkl) throws IOException {
        try (JpklArray array = jpkl.open(Path.of(inputs.get(0)))) {
            Collector c = new Collector(array.header().planeSpec(), array.sliceCount());
            for (long n = 0; n < array.sliceCount(); n++) {
                PlaneBuffer slot = c.slot(n);
                if (slot != null) {
                    array.decodeSlice(n, slot);
                }
            }
            return c.sample(array.name() + " (codec " + array.codecId() + " " + array.codecParams() + ")");
        }
    }

    private Sample fromInput() throws IOException {
        try (StackInput stack = StackInputs.open(inputs, input.toOptions(root.io().in()))) {
            stack.warnings().forEach(w -> root.note("warning: " + w));
            Collector c = new Collector(stack.planeSpec(), stack.sliceCount());
            stack.readPlanes((n, plane) -> {
                PlaneBuffer slot = c.slot(n);
                if (slot != null) {
                    System.arraycopy(plane.array(), plane.offset(), slot.array(), slot.offset(), c.spec.sampleCount());
                }
            });
            return c.sample(stack.description());
        }
    }
}
