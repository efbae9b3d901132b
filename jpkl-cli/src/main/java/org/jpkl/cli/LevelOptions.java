package org.jpkl.cli;

import org.jpkl.WriteOptions;
import picocli.CommandLine.Option;

/** {@code --levels N} and {@code --downsample mean|nearest}, shared by {@code encode} and {@code convert}. */
final class LevelOptions {
    @Option(names = "--levels", paramLabel = "N", description = "Also store N reduced resolution levels in the container (jpkl"
            + " serializer), each halving the plane's height and width of the one before (rounding up), built while writing;"
            + " read them with 'jpkl get --level K'. 0 for none. Default: none for encode; convert keeps the source's levels.")
    Integer levels;

    @Option(names = "--downsample", paramLabel = "MODE", description = "How levels are made: 'mean' of each 2x2 block (integers"
            + " rounded half to even; the default) or 'nearest' (its top-left pixel, for label images).")
    String downsample;

    /** Whether {@code --levels} was given. */
    boolean given() {
        return levels != null;
    }

    /** Applies the options to {@code b} (see {@link Containers#levels}); checks them when {@code b} is a scratch builder. */
    WriteOptions.Builder apply(WriteOptions.Builder b) {
        return Containers.levels(b, levels, downsample);
    }
}
