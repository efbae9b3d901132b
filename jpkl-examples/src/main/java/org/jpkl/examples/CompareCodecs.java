package org.jpkl.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;
import org.jpkl.compare.CodecComparison;
import org.jpkl.compare.ComparisonReport;
import org.jpkl.compare.SampleStacks;

/**
 * Prints a codec comparison table (or JSON) for any input the library can open, so that users can
 * choose a codec for their own data: size and ratio, exactness, max abs error, PSNR, encode and
 * decode throughput, save and load throughput, random single-plane read latency. See
 * {@link CodecComparison} for what each figure measures.
 *
 * <p>Usage: {@code CompareCodecs INPUT [--codec ID[:KEY=VALUE,...]]... [options]}; run without
 * arguments for the options. Exit status: 0 on success (codecs that were skipped or failed are in
 * the table), 2 for bad arguments, 1 if the input cannot be read.
 */
public final class CompareCodecs {
    private static final String USAGE = String.join("\n",
            "Usage: CompareCodecs INPUT [--codec ID[:KEY=VALUE,...]]... [options]",
            "",
            "Compares codecs on one array and prints, per codec: lossless (declared) and exact (measured),",
            "file size and ratio, max abs error, PSNR, encode/decode MB/s (codec alone, 1 thread),",
            "save/get MB/s (end to end), and the median time to read one random plane from the saved file.",
            "",
            "  INPUT              a container any available format reads (e.g. stack.jpkl), or demo8 / demo16",
            "                     for a generated 8-bit / 16-bit microscopy-like stack (256 x 256 x 16)",
            "  --codec SPEC       a codec to compare, e.g. jpeg:quality=95 or deflate:level=6 (repeatable);",
            "                     default: every codec on the class path with its default parameters",
            "  --all              with --codec: also every codec with its default parameters",
            "  --select EXPR      compare on part of the input: a NumPy-style index that keeps every axis,",
            "                     e.g. ':, :, 0:10' (the input must fit in memory; this is how to make it fit)",
            "  --repeats N        timed runs per measurement, median reported (default 3)",
            "  --warmups N        untimed runs before them (default 1)",
            "  --slice-reads N    random single-plane reads timed per codec (default 20)",
            "  --threads N        threads for save and get (default: number of processors)",
            "  --format ID        container format of the saved files (default: jpkl)",
            "  --keep DIR         keep the saved files in DIR (default: a temporary folder, deleted)",
            "  --json             print JSON instead of the table");

    private CompareCodecs() {
    }

    /** Runs the command; exits with a non-zero status on error. */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command with the given streams (the table or JSON on {@code out}, progress and
     * errors on {@code err}).
     *
     * @return the exit status: 0 done, 1 the input could not be read, 2 bad arguments
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.println(USAGE);
            return 2;
        }
        if (a == null) {
            out.println(USAGE);
            return 0;
        }
        try {
            Jpkl.Builder jb = Jpkl.builder();
            if (a.threads > 0) {
                jb.parallelism(a.threads);
            }
            Jpkl jpkl = jb.build();
            err.println("codecs: " + jpkl.codecs().ids() + ", formats: " + jpkl.serializers().ids());
            CodecComparison.Builder cb = CodecComparison.builder(jpkl).warmups(a.warmups).repeats(a.repeats)
                    .sliceReads(a.sliceReads).keepFiles(a.keep != null).progress(err::println);
            a.codecs.forEach(cb::codec);
            if (a.all) {
                cb.allCodecs();
            }
            CodecComparison comparison = cb.build();
            WriteOptions.Builder base = WriteOptions.builder();
            if (a.format != null) {
                base.serializer(a.format);
            }
            NdArray array = load(jpkl, a, base, err);
            Path work = a.keep != null ? a.keep : Files.createTempDirectory("jpkl-compare");
            ComparisonReport report;
            try {
                report = comparison.run(array, base.build(), work);
            } finally {
                if (a.keep == null) {
                    deleteQuietly(work, err);
                }
            }
            out.print(a.json ? report.toJson() : report.toTable());
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Reads or generates the input and sets the base options' layout and axis names to match it. */
    private static NdArray load(Jpkl jpkl, Arguments a, WriteOptions.Builder base, PrintStream err) throws IOException {
        NdArray array;
        if (a.input.equals("demo8") || a.input.equals("demo16")) {
            DType dtype = a.input.equals("demo8") ? DType.UINT8 : DType.UINT16;
            array = SampleStacks.microscopy(dtype, 1, 256, 256, 16);
            base.axisNames("y", "x", "z");
            if (a.select != null) {
                array = selectKeepingAxes(array, a.select);
            }
            err.println("input: generated " + dtype + " stack " + Shapes.format(array.shape()));
            return array;
        }
        try (JpklArray stored = jpkl.open(Path.of(a.input))) {
            PlaneLayout layout = stored.layout();
            base.layout(layout).axisNames(stored.axisNames());
            err.println(String.format(Locale.ROOT, "input: %s, %,d bytes, codec %s %s, format %s", stored, stored.byteSize(),
                    stored.codecId(), stored.codecParams(), stored.serializerId()));
            if (a.select == null) {
                return stored.get("...");
            }
            array = stored.get(a.select);
            if (array.ndim() != stored.ndim()) {
                throw new IllegalArgumentException("--select '" + a.select + "' gives shape " + Shapes.format(array.shape())
                        + "; it must keep every axis of " + Shapes.format(stored.shape()) + " (use ranges like 0:1, not integers)");
            }
            return array;
        }
    }

    /** Deletes the (empty) work folder; a failure is only reported, so that it never hides the run's own error. */
    private static void deleteQuietly(Path folder, PrintStream err) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            err.println("note: could not delete " + folder + ": " + e);
        }
    }

    private static NdArray selectKeepingAxes(NdArray array, String expression) {
        NdArray part = array.get(expression);
        if (part.ndim() != array.ndim()) {
            throw new IllegalArgumentException("--select '" + expression + "' gives shape " + Shapes.format(part.shape())
                    + "; it must keep every axis of " + Shapes.format(array.shape()) + " (use ranges like 0:1, not integers)");
        }
        return part;
    }

    /** The parsed command line. */
    private static final class Arguments {
        String input;
        final List<String> codecs = new ArrayList<>();
        boolean all;
        boolean json;
        String select;
        String format;
        Path keep;
        int repeats = 3;
        int warmups = 1;
        int sliceReads = 20;
        int threads;

        /** The arguments, or null when help was asked for (or nothing given). */
        static Arguments parse(String[] args) {
            if (args.length == 0 || Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
                return null;
            }
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--codec":
                        a.codecs.add(value(args, ++i, arg));
                        break;
                    case "--all":
                        a.all = true;
                        break;
                    case "--json":
                        a.json = true;
                        break;
                    case "--select":
                        a.select = value(args, ++i, arg);
                        break;
                    case "--format":
                        a.format = value(args, ++i, arg);
                        break;
                    case "--keep":
                        a.keep = Path.of(value(args, ++i, arg));
                        break;
                    case "--repeats":
                        a.repeats = count(args, ++i, arg, 1);
                        break;
                    case "--warmups":
                        a.warmups = count(args, ++i, arg, 0);
                        break;
                    case "--slice-reads":
                        a.sliceReads = count(args, ++i, arg, 0);
                        break;
                    case "--threads":
                        a.threads = count(args, ++i, arg, 1);
                        break;
                    default:
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option '" + arg + "'");
                        }
                        if (a.input != null) {
                            throw new IllegalArgumentException("one INPUT only; got '" + a.input + "' and '" + arg + "'");
                        }
                        a.input = arg;
                }
            }
            if (a.input == null) {
                throw new IllegalArgumentException("INPUT is missing (a container file, demo8 or demo16)");
            }
            return a;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int count(String[] args, int i, String option, int min) {
            String text = value(args, i, option);
            try {
                int n = Integer.parseInt(text);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below with the allowed range
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s (%s) must be an integer >= %d", option, text, min));
        }
    }
}
