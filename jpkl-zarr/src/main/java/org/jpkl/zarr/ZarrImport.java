package org.jpkl.zarr;

import java.util.List;
import org.jpkl.api.ContainerHeader;

/**
 * What {@link OmeZarr#importZarr} wrote: the container's header, how many of the dataset's
 * resolution levels became jpkl levels, and notes on what was not imported (e.g. levels whose
 * shapes do not halve).
 *
 * <p>Thread safety: immutable.
 */
public final class ZarrImport {
    private final ContainerHeader header;
    private final int levelsImported;
    private final int levelsInDataset;
    private final List<String> notes;

    ZarrImport(ContainerHeader header, int levelsImported, int levelsInDataset, List<String> notes) {
        this.header = header;
        this.levelsImported = levelsImported;
        this.levelsInDataset = levelsInDataset;
        this.notes = List.copyOf(notes);
    }

    /** The header of the written container. */
    public ContainerHeader header() {
        return header;
    }

    /** Levels imported, level 0 included (the container's {@code levelCount()}). */
    public int levelsImported() {
        return levelsImported;
    }

    /** Levels the dataset's multiscales list (1 for a plain array). */
    public int levelsInDataset() {
        return levelsInDataset;
    }

    /** One line per thing not imported as it was, e.g. levels left out; empty when everything was. */
    public List<String> notes() {
        return notes;
    }
}
