package org.jpkl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jpkl.Jpkl;
import org.jpkl.api.spi.Availability;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.ParamSpec;
import org.jpkl.api.spi.SliceCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl codecs}: every codec and serializer found (built in and from plugin jars), with
 * what each codec takes, its parameters, and whether it can run here.
 */
@Command(name = "codecs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List every codec and serializer found: id, lossless or lossy, dtypes, channel layouts,"
            + " parameters with defaults and allowed values, and whether each codec is available here (and why not).",
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl codecs", "  jpkl codecs --json | python3 -c 'import json,sys; print([c[\"id\"] for c in json.load(sys.stdin)[\"codecs\"]])'",
            "  jpkl codecs --plugins ./my-codecs"})
final class CodecsCommand implements Callable<Integer> {
    /** The version of the --json layout. */
    static final int JSON_VERSION = 1;

    @ParentCommand
    JpklCommand root;

    @Option(names = "--json", description = "Print JSON (layout in docs/CLI.md).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Jpkl jpkl = root.jpkl();
        PrintStream out = root.io().out();
        if (json) {
            out.println(Json.gson().toJson(toJson(jpkl)));
            return 0;
        }
        List<SliceCodec> codecs = jpkl.codecs().all();
        out.println("Codecs (" + codecs.size() + "):");
        for (SliceCodec c : codecs) {
            CodecCapabilities caps = c.capabilities();
            Availability a = c.availability();
            out.printf(Locale.ROOT, "  %-10s %-8s dtypes %s; channels %s%s%n", c.id(), caps.lossless() ? "lossless" : "lossy",
                    join(caps.dtypes()), join(caps.channels()),
                    a.isAvailable() ? "" : "; NOT AVAILABLE here: " + a.reason().orElse(""));
            if (!caps.description().isEmpty()) {
                out.println("             " + caps.description());
            }
            for (ParamSpec p : caps.params()) {
                out.printf(Locale.ROOT, "             --param %s=%s  (%s) %s%n", p.name(), p.defaultValue(), p.allowed(), p.description());
            }
            if (caps.params().isEmpty()) {
                out.println("             no parameters");
            }
        }
        List<ContainerSerializer> serializers = jpkl.serializers().all();
        out.println("Serializers (" + serializers.size() + "):");
        for (ContainerSerializer s : serializers) {
            out.printf(Locale.ROOT, "  %-10s %-14s %s%n", s.id(),
                    s.fileExtensions().stream().map(e -> "." + e).collect(Collectors.joining(" ")), s.description());
        }
        for (String p : jpkl.codecs().problems()) {
            out.println("Problem loading a codec: " + p);
        }
        for (String p : jpkl.serializers().problems()) {
            out.println("Problem loading a serializer: " + p);
        }
        return 0;
    }

    private static String join(java.util.Collection<?> items) {
        return items.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static Map<String, Object> toJson(Jpkl jpkl) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", JSON_VERSION);
        List<Object> codecs = new ArrayList<>();
        for (SliceCodec c : jpkl.codecs().all()) {
            codecs.add(codecJson(c));
        }
        root.put("codecs", codecs);
        List<Object> serializers = new ArrayList<>();
        for (ContainerSerializer s : jpkl.serializers().all()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", s.id());
            f.put("description", s.description());
            f.put("extensions", s.fileExtensions());
            serializers.add(f);
        }
        root.put("serializers", serializers);
        root.put("formats", serializers); // the key of JSON version 1, kept beside "serializers" for scripts
        List<String> problems = new ArrayList<>(jpkl.codecs().problems());
        problems.addAll(jpkl.serializers().problems());
        root.put("problems", problems);
        return root;
    }

    static Map<String, Object> codecJson(SliceCodec c) {
        CodecCapabilities caps = c.capabilities();
        Availability a = c.availability();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("lossless", caps.lossless());
        m.put("dtypes", caps.dtypes().stream().map(String::valueOf).collect(Collectors.toList()));
        m.put("channels", caps.channels().stream().map(String::valueOf).collect(Collectors.toList()));
        m.put("description", caps.description());
        m.put("available", a.isAvailable());
        m.put("unavailableReason", a.reason().orElse(null));
        List<Object> params = new ArrayList<>();
        for (ParamSpec p : caps.params()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("default", p.defaultValue());
            pm.put("allowed", p.allowed());
            pm.put("type", p.type().describe());
            pm.put("changesBytes", p.changesBytes());
            pm.put("description", p.description());
            params.add(pm);
        }
        m.put("params", params);
        return m;
    }
}
