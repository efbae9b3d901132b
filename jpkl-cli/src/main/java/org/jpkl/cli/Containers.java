package org.jpkl.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.spi.ContainerSerializer;
import org.jpkl.api.spi.SliceCodec;

/** Choices shared by the commands that write containers (encode, convert). Stateless. */
final class Containers {
    private Containers() {
    }

    /**
     * The container format: {@code --format ID}, else the one whose file extension the output has,
     * else the default single-file format.
     *
     * @throws CliException (usage) for an unknown id
     */
    static String formatFor(Jpkl jpkl, String formatId, Path output) {
        if (formatId != null) {
            if (jpkl.serializers().find(formatId).isEmpty()) {
                throw CliException.usage("--format " + formatId + ": unknown container format; available: " + jpkl.serializers().ids()
                        + " (see 'jpkl codecs'; add plugin jars with --plugins DIR)");
            }
            return formatId;
        }
        String name = String.valueOf(output.getFileName()).toLowerCase(Locale.ROOT);
        for (ContainerSerializer s : jpkl.serializers().all()) {
            for (String ext : s.fileExtensions()) {
                if (name.endsWith("." + ext.toLowerCase(Locale.ROOT))) {
                    return s.id();
                }
            }
        }
        return WriteOptions.defaults().serializerId();
    }

    /**
     * The codec with this id.
     *
     * @throws CliException (usage, exit 2) naming the available ids: a codec id given on the command
     *     line is part of the usage, even when it is merely not installed
     */
    static SliceCodec codec(Jpkl jpkl, String id) {
        return jpkl.codecs().find(id).orElseThrow(() -> CliException.usage("--codec " + id + ": unknown codec; available: "
                + jpkl.codecs().ids() + " (see 'jpkl codecs'; add plugin jars with --plugins DIR or JPKL_PLUGINS)"));
    }

    /**
     * Checks parameters with the codec before any work starts.
     *
     * @throws CliException (usage) with the codec's message (key, value, allowed values)
     */
    static void checkParams(SliceCodec codec, Map<String, String> params) {
        try {
            codec.params(params);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--param for codec '" + codec.id() + "': " + e.getMessage(), e);
        }
    }
}
