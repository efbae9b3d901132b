package org.jpkl.api.spi.support;

import java.nio.file.Path;
import java.util.BitSet;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.KeySpace;
import org.jpkl.api.Shapes;

/**
 * The bookkeeping every container writer shares: which slices have been written, that each is
 * written once and in range, that all are written before commit, and that nothing is written after
 * commit or close. It produces the messages the {@link org.jpkl.api.spi.ContainerWriter} contract
 * promises, so every format words them the same way.
 *
 * <p>Typical use: {@link #claim} before writing a slice, {@link #markWritten} once its bytes are
 * stored, {@link #checkComplete} at the start of commit, {@link #finish} when committed or closed.
 *
 * <p>Thread safety: not thread-safe, like the writers that use it.
 */
public final class SliceSlots {
    /**
     * The most slices a writer can track: one bit (and, in every writer, one index entry) per slice
     * is kept in Java arrays, whose indexes are ints.
     */
    public static final long MAX_SLICES = Integer.MAX_VALUE - 8;

    private final java.util.function.LongFunction<String> describe;
    private final long count;
    private final String target;
    private final BitSet written = new BitSet();
    private boolean finished;

    /**
     * @param keys the key space of the container's header; its slice count is the number of slots
     * @param target the container's final path, named when the writer is used after commit or close
     * @throws IllegalArgumentException if the key space has more than {@link #MAX_SLICES} slices
     */
    public SliceSlots(KeySpace keys, Path target) {
        this(keys, target.toString());
    }

    /**
     * As {@link #SliceSlots(KeySpace, Path)}, for a target named by a string (e.g. a URI).
     *
     * @param target the container's name, named when the writer is used after commit or close
     */
    public SliceSlots(KeySpace keys, String target) {
        if (keys.sliceCount() > MAX_SLICES) {
            throw new IllegalArgumentException("writing " + target + ": the key axes " + Shapes.format(keys.keyDims())
                    + " make " + keys.sliceCount() + " slices; a writer takes at most " + MAX_SLICES);
        }
        this.describe = keys::describe;
        this.count = keys.sliceCount();
        this.target = target;
    }

    /**
     * Slots for every chunk of a header: its slices, or its tiles when tiled
     * ({@link ContainerHeader#chunkCount()}); messages name a tile's slice key and tile.
     *
     * @param target the container's final path, named when the writer is used after commit or close
     * @throws IllegalArgumentException if the header has more than {@link #MAX_SLICES} chunks
     */
    public SliceSlots(ContainerHeader header, Path target) {
        this(header, target.toString());
    }

    /**
     * As {@link #SliceSlots(ContainerHeader, Path)}, for a target named by a string (e.g. a URI or
     * {@link org.jpkl.api.io.SequentialOutput#name()}).
     *
     * @param target the container's name, named when the writer is used after commit or close
     */
    public SliceSlots(ContainerHeader header, String target) {
        if (header.chunkCount() > MAX_SLICES) {
            throw new IllegalArgumentException("writing " + target + ": shape " + Shapes.format(header.shape())
                    + (header.isTiled() ? " with " + header.tiling().get() : "") + " makes " + header.chunkCount()
                    + (header.isTiled() ? " tiles" : " slices") + "; a writer takes at most " + MAX_SLICES);
        }
        this.describe = header::describeChunk;
        this.count = header.chunkCount();
        this.target = target;
    }

    /**
     * Checks that slice {@code sliceNumber} may be written now; it is not marked written yet.
     *
     * @return the slice number as an int (exact: the constructor bounds the count by {@link #MAX_SLICES})
     * @throws IllegalStateException if the writer is finished or the slice was already written
     * @throws IndexOutOfBoundsException if {@code sliceNumber} is not in {@code [0, slice count)}
     */
    public int claim(long sliceNumber) {
        checkOpen();
        if (sliceNumber < 0 || sliceNumber >= count) {
            throw new IndexOutOfBoundsException("slice number " + sliceNumber + " is out of range [0, " + count + ")");
        }
        int n = Math.toIntExact(sliceNumber);
        if (written.get(n)) {
            throw new IllegalStateException("slice " + describe.apply(n) + " was already written");
        }
        return n;
    }

    /** Records that slice {@code n} (from {@link #claim}) is stored. */
    public void markWritten(int n) {
        written.set(n);
    }

    /**
     * Checks, before commit, that the writer is open and every slice was written.
     *
     * @throws IllegalStateException naming the first missing slice (key and number), or if the writer is finished
     */
    public void checkComplete() {
        checkOpen();
        int missing = written.nextClearBit(0);
        if (missing < count) {
            throw new IllegalStateException("slice " + describe.apply(missing) + " (number " + missing + ") was never written;"
                    + " every one of the " + count + " slices must be written before commit");
        }
    }

    /**
     * Checks that the writer is neither committed nor closed.
     *
     * @throws IllegalStateException naming the target if it is
     */
    public void checkOpen() {
        if (finished) {
            throw new IllegalStateException("writer for " + target + " is already committed or closed");
        }
    }

    /** Marks the writer committed or closed: every later claim, check or commit throws. Idempotent. */
    public void finish() {
        finished = true;
    }
}
