package org.jpkl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jpkl.Jpkl;
import org.jpkl.JpklWriter;
import org.jpkl.WriteOptions;
import org.jpkl.api.Shapes;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.cli.input.StackInput;
import org.jpkl.cli.input.StackInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl encode INPUT... -o OUT}: reads a stack slice by slice and writes it as a container,
 * atomically (an interrupted encode leaves nothing under OUT).
 */
@Command(name = "encode", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Encode a stack into one container file, slice by slice (the input is never loaded whole).",
            "INPUT: a .npy file (C or Fortran order), raw binary with --shape and --dtype, a (multi-page) TIFF,"
                + " PNG or JPEG files, a folder of them or a quoted glob ('scans/img_*.png'; sorted naturally:"
                + " img_2 before img_10), - for .npy (or raw) bytes on standard input, or sample:H,W,N[:DTYPE]"
                + " for a generated stack."},
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl encode stack.npy --axes t,z,y,x -o stack.jpkl --codec png",
            "  jpkl encode scans/ -o scans.jpkl --codec jpeg --param quality=95",
            "  jpkl encode 'scans/img_*.tif' --axes z,y,x -o scans.jpkl --codec deflate",
            "  jpkl encode camera.raw --shape 100,2048,2048 --dtype uint16 --byte-order big --axes z,y,x -o camera.jpkl --codec zstd",
            "  jpkl encode sample:512,512,40 -o sample.jpkl --codec jpeg --meta experiment=demo"})
final class EncodeCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "What to encode (see above).")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The container file to write (replaced atomically).")
    Path output;

    @Option(names = "--codec", paramLabel = "ID", description = "Codec id (default: ${DEFAULT-VALUE}); see 'jpkl codecs'.")
    String codec = WriteOptions.DEFAULT_CODEC;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A codec parameter, e.g. quality=95 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin
    InputOptions input;

    @Option(names = "--format", paramLabel = "ID", description = "Container format id (default: by OUT's extension, else jpkl).")
    String format;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata to store (JSON values allowed; repeatable).")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--progress", description = "Show progress even when stderr is not a terminal.")
    boolean progress;

    @Mixin
    OutputOptions outputOptions;

    @Override
    public Integer call() throws Exception {
        Jpkl jpkl = root.jpkl();
        SliceCodec sliceCodec = Containers.codec(jpkl, codec);
        Containers.checkParams(sliceCodec, params);
        String formatId = Containers.formatFor(jpkl, format, output);
        outputOptions.check("-o", output, inputs);
        StackInputs.Options o = input.toOptions(root.io().in());
        try (StackInput stack = StackInputs.open(inputs, o)) {
            root.verbose("input: " + stack.description() + ", shape " + Shapes.format(stack.shape()) + " " + stack.dtype()
                    + ", axes " + stack.axisNames() + ", " + stack.sliceCount() + " slices of " + stack.planeSpec());
            root.verbose("reading: " + stack.readingStrategy() + "; input memory about " + Sizes.compact(stack.memoryBound()));
            Map<String, Object> metadata = new LinkedHashMap<>(stack.metadata());
            meta.forEach((k, v) -> metadata.put(k, Json.metaValue(k, v)));
            WriteOptions options;
            try {
                options = WriteOptions.builder().codec(sliceCodec.id()).params(params).layout(stack.layout())
                        .axisNames(stack.axisNames()).metadata(metadata).serializer(formatId).build();
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage(), e);
            }
            long rawBytes = Shapes.product(stack.shape()) * stack.dtype().byteSize();
            Progress bar = new Progress(root.io().err(), (progress || root.io().terminal()) && !root.quiet(), "encode",
                    stack.sliceCount(), stack.planeSpec().byteSize());
            try (AbortOnExit abort = new AbortOnExit()) {
                JpklWriter writer;
                try {
                    writer = jpkl.newWriter(output, stack.dtype(), stack.shape(), options);
                } catch (IllegalArgumentException e) {
                    throw CliException.usage(stack.description() + ": " + e.getMessage(), e);
                }
                abort.guard(writer);
                stack.warnings().forEach(w -> root.note("warning: " + w));
                try (writer) {
                    stack.readPlanes((n, plane) -> {
                        writer.write(n, plane);
                        bar.step();
                    });
                    writer.commit();
                } finally {
                    abort.release(writer);
                }
            }
            bar.finish();
            long size = Files.size(output);
            root.note(String.format(Locale.ROOT, "wrote %s: %s %s, %d slices, codec %s %s, format %s; %s, raw %s, ratio %.2f; %.1f s (%.1f MB/s)",
                    output, Shapes.format(stack.shape()), stack.dtype(), stack.sliceCount(), sliceCodec.id(),
                    sliceCodec.params(params).toMap(), formatId, Sizes.compact(size), Sizes.compact(rawBytes), Sizes.ratio(rawBytes, size),
                    bar.seconds(), bar.megabytesPerSecond()));
        }
        return 0;
    }
}
