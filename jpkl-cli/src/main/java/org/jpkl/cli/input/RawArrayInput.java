package org.jpkl.cli.input;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.Shapes;
import org.jpkl.api.TileGrid;
import org.jpkl.cli.CliException;
import org.jpkl.npy.NpyPlanes;
import org.jpkl.npy.NpyReader;

/**
 * A dense array stored element by element in a file or stream ({@code .npy} data, raw binary), read
 * plane by plane with bounded memory through the library's {@link NpyReader} and {@link NpyPlanes}
 * (which say how: one pass, blocks, or several passes of row chunks). This class adds what the
 * command line decides: the axes, the description and metadata, and what may follow the data.
 *
 * <p>Thread safety: not thread-safe.
 */
final class RawArrayInput extends ArrayInput {
    /** What may follow the data in the file or stream. */
    enum Tail {
        /**
         * Nothing (raw input without {@code --offset}): a file larger than the data, or a stream that
         * goes on after it, is refused naming both byte counts.
         */
        NONE,
        /**
         * Anything, not read ({@code .npy}, as {@code numpy.load} does, and raw input with
         * {@code --offset}); for a file, a warning says how many bytes are ignored.
         */
        IGNORED
    }

    private final NpyReader reader;
    private final Closeable source;
    private final NpyPlanes planes;
    private final Tail tail;
    private final long budgetBytes;
    private final List<String> warnings;

    /**
     * @param reader the array's elements
     * @param source what {@link #close()} closes: the file, stream or source the reader reads
     * @param budgetBytes the most bytes of input to hold at once (at most 1 GiB)
     * @param tail what may follow the data
     * @param warnings warnings about the input so far; this input adds its own
     * @throws CliException (usage) if the planes cannot be read within the budget (a stream in a layout
     *     that needs several passes); (data) if a file is longer than the data with {@link Tail#NONE}
     */
    RawArrayInput(NpyReader reader, Closeable source, Axes.Resolved axes, long budgetBytes, String description,
                  Map<String, Object> metadata, Tail tail, List<String> warnings) throws IOException {
        super(axes, description, metadata);
        this.reader = reader;
        this.source = source;
        this.tail = tail;
        this.budgetBytes = budgetBytes;
        try {
            this.planes = reader.planes(axes.layout(), budgetBytes);
        } catch (IllegalArgumentException e) {
            // The library speaks of a buffer; on the command line that is --buffer.
            throw CliException.usage(e.getMessage() + (e.getMessage().endsWith(" of buffer") ? " (--buffer)" : ""), e);
        }
        List<String> notes = new ArrayList<>(warnings);
        long after = reader.trailingBytes();
        if (after > 0 && tail == Tail.NONE) {
            throw CliException.data(reader.name() + ": has " + reader.size() + " bytes; " + needs() + "; if the data starts after a "
                    + after + "-byte header give --offset " + after + ", else check --shape and --dtype");
        }
        if (after > 0) {
            notes.add(reader.name() + ": the " + after + " bytes after the data (which ends at byte " + reader.dataEnd() + " of "
                    + reader.size() + ") are ignored");
        }
        this.warnings = List.copyOf(notes);
    }

    private String needs() {
        return "shape " + Shapes.format(reader.header().shape()) + " of " + reader.header().dtype() + " needs " + reader.dataEnd();
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public int[] shape() {
        return reader.header().shape();
    }

    @Override
    public DType dtype() {
        return reader.header().dtype();
    }

    @Override
    public long memoryBound() {
        return planes.memoryBound();
    }

    @Override
    public String readingStrategy() {
        return planes.strategy();
    }

    @Override
    public void readPlanes(PlaneSink sink) throws IOException {
        planes.readAll(sink::accept);
        checkTail();
    }

    /**
     * Reads bands of rows ({@link NpyPlanes#readAllRows}) when a plane's rows are contiguous in the
     * input (one pass, in order) or a plane is larger than the buffer; otherwise whole planes,
     * which then cost fewer passes, cut into rows.
     */
    @Override
    public void readTileRows(TileGrid grid, RowSink sink) throws IOException {
        long planeBytes = (long) grid.planeHeight() * grid.planeWidth() * layout().channels().samplesPerPixel() * dtype().byteSize();
        if (!planes.rowsContiguous() && planeBytes <= budgetBytes) {
            super.readTileRows(grid, sink);
            return;
        }
        try {
            planes.readAllRows(grid.tileHeight(), sink::accept);
        } catch (IllegalStateException e) {
            throw CliException.usage(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage() + " (a plane is read one tile row at a time: give --tile a lower height)", e);
        }
        checkTail();
    }

    private void checkTail() throws IOException {
        if (tail == Tail.NONE && !reader.seekable() && !reader.endsAfterData()) {
            throw CliException.data(reader.name() + ": goes on after the " + reader.dataEnd() + " bytes that shape "
                    + Shapes.format(reader.header().shape()) + " of " + reader.header().dtype() + " needs; if the data starts after a header give"
                    + " --offset BYTES (what follows the data is then ignored), else check --shape and --dtype");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            source.close();
        }
    }
}
