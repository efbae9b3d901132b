package org.jpkl.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.PlaneLayout;

/**
 * The {@code spark-submit} entry point of the shaded jar (docs/SPARK.md):
 *
 * <pre>
 * encode [--codec ID] [--param KEY=VALUE]... [--serializer ID] [--slices-per-task N] [--plane-axes Y,X]
 *        [--storage-option KEY=VALUE]... [--job-folder PATH] TARGET INPUT...
 * stats [--slices-per-partition N] [--storage-option KEY=VALUE]... CONTAINER
 * </pre>
 * {@code encode} writes one container from one {@code .npy} (its planes on the axes {@code --plane-axes},
 * by default its last two) or from many files and folders ({@link StackFiles}); inputs and target are
 * paths or URIs ({@code s3://bucket/key}, {@code https://...}; a URI ending with {@code /} is a
 * folder), read and written through the storage providers with the {@code --storage-option}s, on the
 * driver and on every executor ({@link JpklFactory#oneThreadPerTask(java.util.Map)}); a target URI
 * needs {@code --job-folder}, shared by the executors and the driver. {@code stats} prints
 * {@link PlaneStats} of every slice as CSV ({@code slice,count,nan_count,min,max,mean}). Exit status
 * 0, 1 for failures (bad data, a failed job), 2 for bad usage, with one line on stderr
 * {@code jpkl-spark COMMAND: ...}.
 *
 * <p>Thread safety: stateless.
 */
public final class SparkJobs {
    private static final String USAGE = "usage: encode [--codec ID] [--param KEY=VALUE]... [--serializer ID] [--slices-per-task N]"
            + " [--plane-axes Y,X] [--storage-option KEY=VALUE]... [--job-folder PATH] TARGET INPUT... | stats"
            + " [--slices-per-partition N] [--storage-option KEY=VALUE]... CONTAINER";

    private SparkJobs() {
    }

    /** Runs one command on the session {@code spark-submit} configured. */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("jpkl-spark " + String.join(" ", args)).getOrCreate();
        int status;
        try {
            status = run(args, spark, System.out, System.err);
        } finally {
            spark.stop();
        }
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, SparkSession spark, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0];
        try {
            List<String> rest = new ArrayList<>(Arrays.asList(args).subList(Math.min(1, args.length), args.length));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            switch (command) {
                case "encode":
                    encode(rest, sc, out);
                    return 0;
                case "stats":
                    stats(rest, sc, out);
                    return 0;
                default:
                    throw new UsageException(command.isEmpty() ? "no command; " + USAGE : "unknown command '" + command + "'; " + USAGE);
            }
        } catch (UsageException e) {
            err.println("jpkl-spark " + command + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            // Also Spark's SparkException (checked, but undeclared by Scala) when the job failed.
            err.println("jpkl-spark " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private static void encode(List<String> args, JavaSparkContext sc, PrintStream out) throws IOException {
        WriteOptions.Builder options = WriteOptions.builder();
        SparkEncoder.Builder encoder = SparkEncoder.builder();
        PlaneLayout layout = null;
        Map<String, String> storage = new TreeMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--codec" -> options.codec(value(args, ++i, a));
                case "--storage-option" -> storageOption(storage, value(args, ++i, a));
                case "--job-folder" -> encoder.jobFolder(Path.of(value(args, ++i, a)));
                case "--serializer" -> options.serializer(value(args, ++i, a));
                case "--param" -> {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new UsageException("--param takes KEY=VALUE, not '" + kv + "'");
                    }
                    options.param(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "--slices-per-task" -> encoder.slicesPerTask(number(value(args, ++i, a), a, 1));
                case "--plane-axes" -> {
                    String[] yx = value(args, ++i, a).split(",");
                    if (yx.length != 2) {
                        throw new UsageException("--plane-axes takes Y,X (two axis numbers), not '" + args.get(i) + "'");
                    }
                    layout = PlaneLayout.of((int) number(yx[0], a, 0), (int) number(yx[1], a, 0));
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("unknown option '" + a + "'; " + USAGE);
                    }
                    positional.add(a);
                }
            }
        }
        if (positional.size() < 2) {
            throw new UsageException("needs TARGET and at least one INPUT; " + USAGE);
        }
        JpklFactory factory = JpklFactory.oneThreadPerTask(storage);
        encoder.jpkl(factory);
        Jpkl driver = factory.create();
        String target = positional.get(0);
        List<URI> inputs = positional.subList(1, positional.size()).stream().map(SparkJobs::uri).toList();
        StackFiles input;
        if (inputs.size() == 1 && inputs.get(0).getPath() != null && inputs.get(0).getPath().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            input = layout != null ? StackFiles.npy(inputs.get(0), layout, driver) : StackFiles.npy(inputs.get(0), driver);
        } else {
            if (layout != null) {
                throw new UsageException("--plane-axes applies to one .npy input; several inputs are stacked as (z, y, x)");
            }
            input = StackFiles.probe(sc, inputs, factory);
        }
        EncodeReport r = target.contains("://") ? encoder.build().encode(sc, input, URI.create(target), options.build())
                : encoder.build().encode(sc, input, Path.of(target), options.build());
        out.println(target + ": " + r);
    }

    /** A path, or a URI when it has {@code ://}. */
    private static URI uri(String pathOrUri) {
        return pathOrUri.contains("://") ? URI.create(pathOrUri) : Path.of(pathOrUri).toAbsolutePath().toUri();
    }

    private static void storageOption(Map<String, String> options, String kv) {
        int eq = kv.indexOf('=');
        if (eq < 1) {
            throw new UsageException("--storage-option takes KEY=VALUE, e.g. s3.endpoint=http://127.0.0.1:9000, not '" + kv + "'");
        }
        options.put(kv.substring(0, eq), kv.substring(eq + 1));
    }

    private static void stats(List<String> args, JavaSparkContext sc, PrintStream out) throws IOException {
        long perPartition = 64;
        Map<String, String> storage = new TreeMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--slices-per-partition")) {
                perPartition = number(value(args, ++i, a), a, 1);
            } else if (a.equals("--storage-option")) {
                storageOption(storage, value(args, ++i, a));
            } else if (a.startsWith("--")) {
                throw new UsageException("unknown option '" + a + "'; " + USAGE);
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 1) {
            throw new UsageException("needs one CONTAINER (a path or URI); " + USAGE);
        }
        URI uri = uri(positional.get(0));
        out.println("slice,count,nan_count,min,max,mean");
        for (PlaneStats s : SparkSlices.map(sc, uri, perPartition, JpklFactory.oneThreadPerTask(storage), PlaneStats::of).collect()) {
            out.println(s.slice() + "," + s.count() + "," + s.nanCount() + "," + s.min() + "," + s.max() + "," + s.mean());
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static long number(String text, String option, long min) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < min) {
                throw new UsageException(option + " takes a number >= " + min + ", not '" + text + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a number, not '" + text + "'");
        }
    }

    /** Bad usage: exit status 2. */
    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
