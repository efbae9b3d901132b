package org.jpkl.cli;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jpkl.JpklArray;
import org.jpkl.api.NdArray;
import org.jpkl.api.Selection;
import org.jpkl.api.Shapes;
import org.jpkl.npy.NpyWriter;
import org.jpkl.cli.output.ArrayOutputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl get FILE EXPR -o OUT [EXPR -o OUT]...}: NumPy selections out of a container, each
 * written to a file by extension (or .npy bytes to standard output for {@code -o -}). The i-th
 * {@code -o} belongs to the i-th expression.
 */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Read NumPy-style selections (exactly the library's get semantics: integers drop their axis,"
            + " slices keep it, ..., None) and write each to a file of the type its extension names:"
            + " .npy any shape (numpy.load reads it); .raw the elements in C order; .png / .tif one grey or RGB image,"
            + " 16-bit kept as 16-bit; - .npy bytes on standard output.",
            "Images: a selection that keeps the stored y and x axes (and all three colour samples, for RGB) and drops"
                + " every other axis is written as an image whatever the stored axis order: the colour axis goes last"
                + " (c, y, x becomes y, x, c) and y becomes the rows. Other 2-D (h, w) or (h, w, 3) results are written as they are.",
            "Give several EXPR -o OUT pairs to pull many selections with one start of the JVM."},
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl get stack.jpkl ':, :, 5' -o plane5.png",
            "  jpkl get stack.jpkl '100:200, ::2, ...' -o crop.npy '-1, ...' -o last.tif",
            "  jpkl get stack.jpkl '..., 0' -o - | python3 -c 'import numpy, sys, io; print(numpy.load(io.BytesIO(sys.stdin.buffer.read())).shape)'"})
final class GetCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Parameters(index = "0", paramLabel = "FILE", converter = ContainerLocation.Converter.class,
            description = "A container file, or a URI such as https://host/stack.jpkl.")
    ContainerLocation file;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "EXPR", description = "An index expression, e.g. '0, 10:20, ...'.")
    List<String> expressions;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where the preceding EXPR goes.")
    List<String> outputs;

    @Option(names = "--byte-order", paramLabel = "ORDER", description = ".raw outputs: little (default) or big.")
    String byteOrder = "little";

    @Option(names = "--level", paramLabel = "K", description = "Read resolution level K of a container that stores levels"
            + " (0, the default, is the array itself; 'jpkl info' lists them); EXPR then indexes that level's shape.")
    int level;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() throws Exception {
        if (expressions.size() != outputs.size()) {
            throw CliException.usage("give one -o OUT after each EXPR; got " + expressions.size() + " expression(s) and "
                    + outputs.size() + " output(s)");
        }
        ByteOrder rawOrder;
        switch (byteOrder.toLowerCase(Locale.ROOT)) {
            case "little":
                rawOrder = ByteOrder.LITTLE_ENDIAN;
                break;
            case "big":
                rawOrder = ByteOrder.BIG_ENDIAN;
                break;
            default:
                throw CliException.usage("--byte-order " + byteOrder + ": use little or big");
        }
        List<ArrayOutputs.Kind> kinds = new ArrayList<>();
        for (String o : outputs) {
            kinds.add(ArrayOutputs.kindOf(o));
            if (!o.equals("-")) {
                outputOptions.check("-o", Path.of(o), file.isRemote() ? List.of() : List.of(file.path().toString()));
            }
        }
        try (JpklArray container = file.open(root.jpkl()); AbortOnExit abort = new AbortOnExit()) {
            if (level < 0 || level >= container.levelCount()) {
                throw CliException.usage("--level " + level + ": " + file + " has " + container.levelCount() + " level"
                        + (container.levelCount() == 1 ? " (0: no reduced levels)" : "s (0 to " + (container.levelCount() - 1) + ")"));
            }
            JpklArray array = container.level(level);
            for (int i = 0; i < expressions.size(); i++) {
                String expr = expressions.get(i);
                String target = outputs.get(i);
                long t0 = System.nanoTime();
                NdArray result;
                try {
                    result = array.get(expr);
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    throw CliException.usage("expression '" + expr + "' on shape " + Shapes.format(array.shape()) + ": "
                            + e.getMessage(), e);
                }
                long t1 = System.nanoTime();
                if (target.equals("-")) {
                    OutputStream out = new BufferedOutputStream(root.io().out(), 1 << 16);
                    NpyWriter.write(result, out);
                    out.flush();
                } else {
                    if (kinds.get(i) == ArrayOutputs.Kind.PNG || kinds.get(i) == ArrayOutputs.Kind.TIFF) {
                        result = ArrayOutputs.imageAxesOrdered(result, Selection.resolve(expr, array.shape()), array.layout());
                    }
                    ArrayOutputs.write(result, kinds.get(i), Path.of(target), rawOrder, f -> abort.guard(f));
                }
                root.verbose(String.format(Locale.ROOT, "%s -> %s: shape %s %s, read %.1f ms, written %.1f ms", expr, target,
                        Shapes.format(result.shape()), result.dtype(), (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6));
            }
        }
        return 0;
    }
}
