package org.jpkl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.Downsampling;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.TileGrid;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerWriter;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceEncoder;

/**
 * Writes a container plane by plane (from a loop, a file reader, a camera). Planes are encoded in
 * parallel on the {@link Jpkl}'s executor and written in the order they were given, with at most
 * {@code 2 x parallelism} planes in flight, so memory stays bounded whatever the array's size.
 * Planes may come in any order, each exactly once. {@link #commit()} writes the index and publishes
 * the file atomically; {@link #close()} without a commit discards everything.
 *
 * <p>{@link #write(long, PlaneBuffer)} copies the plane before returning, so the caller may reuse
 * its buffer at once.
 *
 * <p>Tiled containers ({@link ContainerHeader#isTiled()}): a whole plane given to {@code write} is
 * cut into its tiles, which are encoded in parallel; a plane too large to hold in memory is given
 * tile row by tile row ({@link #writeTileRow}) or tile by tile ({@link #writeTile}), so memory stays
 * bounded by the rows or tiles in flight. Each tile is written exactly once, in any order.
 *
 * <p>Thread safety: not thread-safe; write from one thread.
 */
public final class JpklWriter implements AutoCloseable {
    private final ContainerWriter container;
    private final SliceCodec codec;
    private final CodecParams params;
    private final ContainerHeader header;
    /** The spec of a whole plane; null for a tiled plane too large for one Java array. */
    private final PlaneSpec spec;
    /** Null when untiled. */
    private final TileGrid tiles;
    /** The codec's bound on one encoded chunk, per chunk spec; readers refuse longer chunks, so none is written. */
    private final Map<PlaneSpec, Long> maxChunkBytes = new ConcurrentHashMap<>();
    private final KeySpace keys;
    private final Executor executor;
    private final int maxInFlight;
    /** Idle encoders per chunk spec (an encoder is made for one spec). */
    private final Map<PlaneSpec, Queue<SliceEncoder>> idleEncoders = new ConcurrentHashMap<>();
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final Map<PlaneSpec, Deque<PlaneBuffer>> spareBuffers = new HashMap<>();
    /** The one plane buffer of serial (parallelism 1) writes from an array, allocated on first use. */
    private PlaneBuffer serialScratch;
    private boolean finished;
    /** The headers of levels 1.. (index k - 1), each alone; empty without levels. */
    private final ContainerHeader[] levelHeaders;
    private final Downsampling downsampling;
    /** Levels built from tile rows: per level 1.., the tile row being assembled (null before a plane's first row). */
    private final LevelRow[] levelRows;
    /** The slice whose tile rows are being written with levels, and the row expected next (-1: none under way). */
    private long rowsSlice = -1;
    private int nextRow;

    JpklWriter(ContainerWriter container, SliceCodec codec, CodecParams params, Executor executor, int parallelism)
            throws IOException {
        this(container, codec, params, executor, parallelism, Downsampling.MEAN);
    }

    JpklWriter(ContainerWriter container, SliceCodec codec, CodecParams params, Executor executor, int parallelism,
               Downsampling downsampling) throws IOException {
        this.container = container;
        this.codec = codec;
        this.params = params;
        ContainerHeader h = container.header();
        this.header = h;
        this.tiles = h.tiling().orElse(null);
        this.spec = h.planeFitsInOneArray() ? h.planeSpec() : null;
        this.keys = h.keySpace();
        this.executor = executor;
        this.maxInFlight = parallelism <= 1 ? 0 : 2 * parallelism;
        this.downsampling = downsampling;
        this.levelHeaders = new ContainerHeader[h.levelCount() - 1];
        this.levelRows = new LevelRow[h.levelCount() - 1];
        for (int k = 1; k < h.levelCount(); k++) {
            levelHeaders[k - 1] = h.level(k);
        }
        try {
            PlaneSpec first = tiles == null ? spec : h.tileSpec(0, 0);
            idleEncoders.computeIfAbsent(first, s -> new ConcurrentLinkedQueue<>()).add(codec.newEncoder(params, first));
        } catch (RuntimeException e) {
            container.close();
            throw e;
        }
    }

    /** The header being written (shape, dtype, layout, names, codec and parameters, metadata). */
    public ContainerHeader header() {
        return container.header();
    }

    /** The key axes and slice numbering of the array being written. */
    public KeySpace keySpace() {
        return keys;
    }

    /**
     * Encodes and writes the plane with slice number {@code sliceNumber}; the plane is copied (or
     * encoded) before this returns.
     *
     * @throws IllegalArgumentException if the plane's spec differs from the array's
     * @throws IndexOutOfBoundsException if the slice number is out of range
     * @throws IllegalStateException if this slice was already written or the writer is finished
     * @throws IOException if encoding or writing this or an earlier plane failed
     */
    public void write(long sliceNumber, PlaneBuffer plane) throws IOException {
        requireWholePlane(sliceNumber, plane, "write them with writeTileRow or writeTile");
        writeLevel(header, 0, sliceNumber, plane);
        writeReducedLevels(sliceNumber, plane);
    }

    /** Checks that the writer is open, takes whole planes, {@code plane} has their spec and the slice number is in range. */
    private void requireWholePlane(long sliceNumber, PlaneBuffer plane, String otherwise) {
        ensureOpen();
        if (spec == null) {
            throw new IllegalStateException("the planes of " + header + " are larger than one Java array; " + otherwise);
        }
        if (!plane.spec().equals(spec)) {
            throw new IllegalArgumentException("plane is " + plane.spec() + "; this array's planes are " + spec);
        }
        keys.key(sliceNumber);
    }

    /**
     * Builds and writes only the reduced levels of slice {@code sliceNumber} from its level-0
     * {@code plane}; level 0's chunks are written otherwise, e.g. copied with {@link #writeEncoded}.
     * Adds levels to an existing container without re-encoding level 0.
     *
     * @throws IllegalArgumentException if the plane's spec differs from the array's
     * @throws IllegalStateException if the container has no reduced levels or its planes are larger
     *     than one Java array ({@link #writeLevelsOfTileRow} then)
     */
    public void writeLevelsOf(long sliceNumber, PlaneBuffer plane) throws IOException {
        requireLevels();
        requireWholePlane(sliceNumber, plane, "write their levels with writeLevelsOfTileRow");
        writeReducedLevels(sliceNumber, plane);
    }

    /**
     * Encodes and writes plane {@code sliceNumber} of resolution level {@code k} exactly as given,
     * building nothing from it: for levels made elsewhere, e.g. imported from an OME-Zarr pyramid.
     * Level 0 written this way builds no reduced levels, so each level's planes are then written
     * this way too (or copied with {@link #writeEncoded}).
     *
     * @throws IndexOutOfBoundsException if {@code k} or the slice number is out of range
     * @throws IllegalArgumentException if the plane's spec differs from level {@code k}'s planes
     * @throws IllegalStateException if level {@code k}'s planes are larger than one Java array
     */
    public void writeLevelPlane(int k, long sliceNumber, PlaneBuffer plane) throws IOException {
        ensureOpen();
        ContainerHeader h = header.level(k);
        if (!h.planeFitsInOneArray()) {
            throw new IllegalStateException("the planes of level " + k + " of " + header + " are larger than one Java array");
        }
        if (!plane.spec().equals(h.planeSpec())) {
            throw new IllegalArgumentException("plane is " + plane.spec() + "; level " + k + "'s planes are " + h.planeSpec());
        }
        keys.key(sliceNumber);
        writeLevel(h, header.levelChunkStart(k), sliceNumber, plane);
    }

    private void requireLevels() {
        if (levelHeaders.length == 0) {
            throw new IllegalStateException(header + " has no reduced levels to write");
        }
    }

    private void writeReducedLevels(long sliceNumber, PlaneBuffer plane) throws IOException {
        PlaneBuffer level = plane;
        for (int k = 1; k <= levelHeaders.length; k++) {
            level = downsampling.apply(level);
            writeLevel(levelHeaders[k - 1], header.levelChunkStart(k), sliceNumber, level);
        }
    }

    /** Writes one plane of the level whose header (alone) is {@code h} and whose chunks start at {@code firstChunk}. */
    private void writeLevel(ContainerHeader h, long firstChunk, long sliceNumber, PlaneBuffer plane) throws IOException {
        TileGrid grid = h.tiling().orElse(null);
        if (grid != null) {
            for (int r = 0; r < grid.rows(); r++) {
                cutTiles(h, grid, firstChunk, sliceNumber, r, plane, grid.y0(r));
            }
            return;
        }
        long chunk = firstChunk + sliceNumber;
        PlaneSpec planeSpec = plane.spec();
        if (maxInFlight == 0) {
            container.writeSlice(chunk, ByteBuffer.wrap(encode(chunk, plane)));
            return;
        }
        submit(chunk, planeSpec, copy -> System.arraycopy(plane.array(), plane.offset(), copy.array(), 0, planeSpec.sampleCount()));
    }

    /** Refuses tile-wise writing when levels are to be built: they need whole planes. */
    private void requireNoLevels(String method) {
        if (levelHeaders.length > 0) {
            throw new IllegalStateException(method + " cannot build the " + levelHeaders.length + " resolution levels of "
                    + header + ", which are computed from whole planes or tile rows: write whole planes with write(sliceNumber, plane)"
                    + " or tile rows in order with writeTileRow");
        }
    }

    /**
     * Encodes and writes one row of tiles of a tiled plane: {@code rows} holds the plane's rows
     * {@code [y0(row), y0(row) + heightOf(row))} at full width (spec: dtype, that height x the plane's
     * width, channels), cut into its tiles here. A plane too large for memory is written this way,
     * one tile row at a time; the rows are copied before this returns.
     *
     * <p>With resolution levels, each level is built from these rows as they come (memory: about
     * one tile row per level, each half as wide as the one below): the tile rows of a plane must
     * then be written in order, from row 0, one plane at a time, and the tile height must be even
     * (a level's tile row is made of two tile rows of the level below).
     *
     * @throws IllegalStateException if the container is not tiled, a tile of this row was already
     *     written, the writer is finished, or with levels a row out of order or an odd tile height
     * @throws IllegalArgumentException if {@code rows} has another spec
     * @throws IndexOutOfBoundsException if the slice number or tile row is out of range
     */
    public void writeTileRow(long sliceNumber, int row, PlaneBuffer rows) throws IOException {
        tileRow(sliceNumber, row, rows, true);
    }

    /**
     * As {@link #writeTileRow}, but writes only the reduced levels built from the row; level 0's
     * tiles are written otherwise (e.g. copied with {@link #writeEncoded}). The rows of a plane come
     * in order, as for {@code writeTileRow}.
     *
     * @throws IllegalStateException if the container has no reduced levels, or as for {@code writeTileRow}
     */
    public void writeLevelsOfTileRow(long sliceNumber, int row, PlaneBuffer rows) throws IOException {
        requireLevels();
        tileRow(sliceNumber, row, rows, false);
    }

    private void tileRow(long sliceNumber, int row, PlaneBuffer rows, boolean base) throws IOException {
        ensureOpen();
        TileGrid grid = requireTiles();
        keys.key(sliceNumber);
        PlaneSpec expected = new PlaneSpec(header.dtype(), grid.heightOf(row), grid.planeWidth(), header.layout().channels());
        if (!rows.spec().equals(expected)) {
            throw new IllegalArgumentException("tile row " + row + " is " + rows.spec() + "; expected " + expected);
        }
        if (levelHeaders.length > 0) {
            startLevelRow(sliceNumber, row, grid);
        }
        if (base) {
            cutTiles(header, grid, 0, sliceNumber, row, rows, 0);
        }
        if (levelHeaders.length > 0) {
            feedLevel(1, sliceNumber, rows);
        }
    }

    /** Checks that tile rows come in order, one plane at a time, and starts a plane's level rows at row 0. */
    private void startLevelRow(long sliceNumber, int row, TileGrid grid) {
        if (grid.tileHeight() % 2 != 0) {
            throw new IllegalStateException("writeTileRow cannot build the resolution levels of " + header + " from tiles of odd"
                    + " height " + grid.tileHeight() + ": write whole planes with write(sliceNumber, plane)");
        }
        if (row == 0) {
            rowsSlice = sliceNumber;
            nextRow = 0;
            java.util.Arrays.fill(levelRows, null);
        }
        if (sliceNumber != rowsSlice || row != nextRow) {
            throw new IllegalStateException("with resolution levels, write the tile rows of a plane in order, one plane at a"
                    + " time: expected " + (rowsSlice < 0 ? "row 0 of a plane" : "row " + nextRow + " of slice " + keys.describe(rowsSlice)
                    + " (or row 0 of another)") + ", got row " + row + " of slice " + keys.describe(sliceNumber));
        }
        nextRow = row + 1 == grid.rows() ? 0 : row + 1;
        if (row + 1 == grid.rows()) {
            rowsSlice = -1;
        }
    }

    /**
     * Adds the reduction of {@code band} (a whole tile row of level {@code k - 1}) to the tile row of
     * level {@code k} being assembled; a complete row is written and fed to level {@code k + 1}.
     */
    private void feedLevel(int k, long sliceNumber, PlaneBuffer band) throws IOException {
        ContainerHeader h = levelHeaders[k - 1];
        TileGrid grid = h.tiling().orElseThrow();
        PlaneBuffer half = downsampling.apply(band);
        LevelRow state = levelRows[k - 1];
        if (state == null) {
            state = new LevelRow();
            levelRows[k - 1] = state;
        }
        if (state.band == null) {
            state.band = PlaneBuffer.allocate(new PlaneSpec(h.dtype(), grid.heightOf(state.row), grid.planeWidth(),
                    h.layout().channels()));
        }
        int rowSamples = grid.planeWidth() * h.layout().channels().samplesPerPixel();
        System.arraycopy(half.array(), half.offset(), state.band.array(), state.band.offset() + state.filled * rowSamples,
                half.spec().sampleCount());
        state.filled += half.spec().height();
        if (state.filled == state.band.spec().height()) {
            PlaneBuffer full = state.band;
            cutTiles(h, grid, header.levelChunkStart(k), sliceNumber, state.row, full, 0);
            state.row++;
            state.filled = 0;
            state.band = null;
            if (k < levelHeaders.length) {
                feedLevel(k + 1, sliceNumber, full);
            }
        }
    }

    /** A tile row of one level being assembled from the rows of the level below. */
    private static final class LevelRow {
        PlaneBuffer band;
        int row;
        int filled;
    }

    /**
     * Encodes and writes one tile of a tiled plane (spec: {@code header().tileSpec(row, column)});
     * the tile is copied before this returns.
     *
     * @throws IllegalStateException if the container is not tiled, the tile was already written, or
     *     the writer is finished
     * @throws IllegalArgumentException if {@code tile} has another spec
     * @throws IndexOutOfBoundsException if the slice number, row or column is out of range
     */
    public void writeTile(long sliceNumber, int row, int column, PlaneBuffer tile) throws IOException {
        ensureOpen();
        TileGrid grid = requireTiles();
        requireNoLevels("writeTile");
        keys.key(sliceNumber);
        PlaneSpec expected = header.tileSpec(row, column);
        if (!tile.spec().equals(expected)) {
            throw new IllegalArgumentException("tile (" + row + ", " + column + ") is " + tile.spec() + "; expected " + expected);
        }
        long chunk = sliceNumber * grid.tilesPerPlane() + (long) row * grid.columns() + column;
        submitOrEncode(chunk, expected, copy -> System.arraycopy(tile.array(), tile.offset(), copy.array(), 0, expected.sampleCount()));
    }

    /**
     * Re-encodes plane {@code sliceNumber} of {@code source} (same plane size, dtype and channels)
     * into this tiled container one tile row at a time ({@link JpklArray#decodeRows}, then
     * {@link #writeTileRow}): memory is one row of tiles at full width, so planes too large for one
     * Java array can be converted.
     *
     * @throws IllegalStateException if this container is not tiled
     * @throws IllegalArgumentException if the source's planes differ in size, dtype or channels
     */
    public void writeTileRowsFrom(JpklArray source, long sliceNumber) throws IOException {
        tileRowsFrom(source, sliceNumber, true);
    }

    /**
     * Builds and writes only the reduced levels of plane {@code sliceNumber} from {@code source}'s
     * plane, decoded one tile row at a time; level 0 is written otherwise (e.g. copied).
     *
     * @throws IllegalStateException if this container is not tiled or has no reduced levels
     */
    public void writeLevelsFrom(JpklArray source, long sliceNumber) throws IOException {
        requireLevels();
        tileRowsFrom(source, sliceNumber, false);
    }

    private void tileRowsFrom(JpklArray source, long sliceNumber, boolean base) throws IOException {
        ensureOpen();
        TileGrid grid = requireTiles();
        for (int r = 0; r < grid.rows(); r++) {
            PlaneBuffer rows = PlaneBuffer.allocate(new PlaneSpec(header.dtype(), grid.heightOf(r), grid.planeWidth(),
                    header.layout().channels()));
            source.decodeRows(sliceNumber, grid.y0(r), rows);
            tileRow(sliceNumber, r, rows, base);
        }
    }

    private TileGrid requireTiles() {
        if (tiles == null) {
            throw new IllegalStateException("the planes of " + header + " are not tiled; write whole planes");
        }
        return tiles;
    }

    /**
     * Cuts tile row {@code row} out of {@code source}, whose row {@code sourceY0} is the tile row's
     * first (a whole plane, or just the tile row), and queues each tile.
     */
    private void cutTiles(ContainerHeader h, TileGrid grid, long firstChunk, long sliceNumber, int row, PlaneBuffer source,
                          int sourceY0) throws IOException {
        int samples = h.layout().channels().samplesPerPixel();
        int sourceRow = source.spec().width() * samples;
        for (int c = 0; c < grid.columns(); c++) {
            PlaneSpec tileSpec = h.tileSpec(row, c);
            int rowSamples = tileSpec.width() * samples;
            int x0 = grid.x0(c);
            long chunk = firstChunk + sliceNumber * grid.tilesPerPlane() + (long) row * grid.columns() + c;
            submitOrEncode(chunk, tileSpec, copy -> {
                for (int y = 0; y < tileSpec.height(); y++) {
                    System.arraycopy(source.array(), source.offset() + (sourceY0 + y) * sourceRow + x0 * samples,
                            copy.array(), y * rowSamples, rowSamples);
                }
            });
        }
    }

    /** Fills a buffer of {@code chunkSpec} on this thread and encodes it: now (serial writes) or queued. */
    private void submitOrEncode(long chunk, PlaneSpec chunkSpec, java.util.function.Consumer<PlaneBuffer> fill) throws IOException {
        if (maxInFlight == 0) {
            PlaneBuffer buffer = spareBuffer(chunkSpec);
            fill.accept(buffer);
            try {
                container.writeSlice(chunk, ByteBuffer.wrap(encode(chunk, buffer)));
            } finally {
                spareBuffers.get(chunkSpec).push(buffer);
            }
            return;
        }
        submit(chunk, chunkSpec, fill);
    }

    private PlaneBuffer spareBuffer(PlaneSpec chunkSpec) {
        Deque<PlaneBuffer> spare = spareBuffers.computeIfAbsent(chunkSpec, s -> new ArrayDeque<>());
        return spare.isEmpty() ? PlaneBuffer.allocate(chunkSpec) : spare.pop();
    }

    /**
     * Encodes and writes planes {@code first .. first + count - 1} of a whole array held in memory
     * ({@code Jpkl.save} uses this, in groups of {@link ParallelSlices#gatherGroup}). The group is
     * gathered out of the array together ({@link NdArray#copyPlanes}: one pass over its part of the
     * array instead of one per plane); with parallel encoding the gather runs inside the first of the
     * group's encoding tasks to start, so that it runs in parallel with other groups' encoding too:
     * up to a whole group more than the usual {@code 2 x parallelism} planes stay in flight, so the
     * previous group's planes are still there to encode while one thread gathers this one.
     */
    void writeFrom(NdArray array, PlaneLayout layout, long first, int count) throws IOException {
        ensureOpen();
        keys.key(first);
        keys.key(first + count - 1);
        if (tiles != null || levelHeaders.length > 0) {
            if (serialScratch == null) {
                serialScratch = PlaneBuffer.allocate(spec);
            }
            for (long n = first; n < first + count; n++) {
                array.copyPlane(layout, n, serialScratch);
                write(n, serialScratch);
            }
            return;
        }
        PlaneBuffer[] planes = new PlaneBuffer[count];
        for (int j = 0; j < count; j++) {
            planes[j] = spareBuffer(spec);
        }
        if (maxInFlight == 0) {
            try {
                array.copyPlanes(layout, first, planes);
                for (int j = 0; j < count; j++) {
                    container.writeSlice(first + j, ByteBuffer.wrap(encode(first + j, planes[j])));
                }
            } finally {
                for (PlaneBuffer p : planes) {
                    spareBuffers.get(spec).push(p);
                }
            }
            return;
        }
        GroupGather gather = new GroupGather(array, layout, first, planes);
        for (int j = 0; j < count; j++) {
            enqueue(new Pending(first + j, planes[j], buffer -> gather.run()), maxInFlight + count);
        }
    }

    /**
     * Gathers a group of planes once, band of rows by band of rows, for whichever of the group's
     * tasks run first: every thread that needs the group before it is complete copies bands that no
     * thread has claimed yet (instead of waiting while one thread gathers the whole group), then
     * waits for the bands still being copied by others.
     */
    private static final class GroupGather {
        /** Rows per band: 16 rows of a 512-wide plane of the peer stack span 3.3 MB of the interleaved array. */
        private static final int BAND_ROWS = 16;
        private final NdArray array;
        private final PlaneLayout layout;
        private final long first;
        private final PlaneBuffer[] planes;
        private final int height;
        private final int bands;
        private final java.util.concurrent.atomic.AtomicInteger nextBand = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.CountDownLatch bandsDone;
        private volatile RuntimeException failure;

        GroupGather(NdArray array, PlaneLayout layout, long first, PlaneBuffer[] planes) {
            this.array = array;
            this.layout = layout;
            this.first = first;
            this.planes = planes;
            this.height = planes[0].spec().height();
            this.bands = (height + BAND_ROWS - 1) / BAND_ROWS;
            this.bandsDone = new java.util.concurrent.CountDownLatch(bands);
        }

        void run() {
            int b;
            while ((b = nextBand.getAndIncrement()) < bands) {
                try {
                    array.copyPlaneRows(layout, first, planes, b * BAND_ROWS, Math.min(height, (b + 1) * BAND_ROWS));
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    bandsDone.countDown();
                }
            }
            ParallelSlices.awaitUninterruptibly(bandsDone);
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }
    }

    /** Queues one chunk: {@code fill} puts its samples into a spare buffer, on the caller's thread. */
    private void submit(long sliceNumber, PlaneSpec chunkSpec, java.util.function.Consumer<PlaneBuffer> fill) throws IOException {
        PlaneBuffer buffer = spareBuffer(chunkSpec);
        fill.accept(buffer);
        enqueue(new Pending(sliceNumber, buffer, null), maxInFlight);
    }

    /** Starts a pending chunk's encoding on the executor, then writes finished chunks until at most {@code limit} are pending. */
    private void enqueue(Pending p, int limit) throws IOException {
        inFlight.add(p);
        try {
            executor.execute(p::runIfUnclaimed);
        } catch (RejectedExecutionException e) {
            p.runIfUnclaimed();
        }
        while (inFlight.size() > limit) {
            drainOne();
        }
    }

    /**
     * Encodes and writes the plane at a key tuple; {@code plane} has shape {@code [h, w]} or
     * {@code [h, w, 3]} and the array's dtype.
     */
    public void write(int[] key, NdArray plane) throws IOException {
        long n = keys.sliceNumber(key);
        if (spec == null) {
            throw new IllegalStateException("the planes of " + header + " are larger than one Java array;"
                    + " write them with writeTileRow or writeTile");
        }
        if (plane.dtype() != spec.dtype() || !Arrays.equals(plane.shape(), spec.shape())) {
            throw new IllegalArgumentException("plane is " + plane + "; this array's planes are " + spec.dtype()
                    + " of shape " + Arrays.toString(spec.shape()));
        }
        PlaneBuffer buffer = PlaneBuffer.allocate(spec);
        plane.copyPlane(PlaneLayout.jpkl(spec.channels() != ChannelLayout.GREY), 0, buffer);
        write(n, buffer);
    }

    /**
     * Writes already-encoded bytes of one slice as they are, e.g. copied from another container
     * written with the same codec and parameters. The caller vouches that they decode to a plane of
     * this array's spec with this writer's codec parameters. For a tiled container the number is a
     * chunk number (one tile; see {@link ContainerHeader}) and the bytes one encoded tile.
     */
    public void writeEncoded(long sliceNumber, ByteBuffer encoded) throws IOException {
        ensureOpen();
        PlaneSpec chunkSpec = header.chunkSpec(sliceNumber);
        long max = maxBytes(chunkSpec);
        if (encoded.remaining() > max) {
            throw new IllegalArgumentException("encoded slice " + header.describeChunk(sliceNumber) + " is " + encoded.remaining()
                    + " bytes; codec '" + codec.id() + "' produces at most " + max + " for a " + chunkSpec
                    + (tiles == null ? " plane" : " tile") + ", and readers refuse longer slices");
        }
        drainAll();
        container.writeSlice(sliceNumber, encoded);
    }

    /** Finishes pending encodes, writes the index and footer and publishes the file atomically. */
    public void commit() throws IOException {
        ensureOpen();
        drainAll();
        container.commit();
        finished = true;
    }

    private void drainAll() throws IOException {
        while (!inFlight.isEmpty()) {
            drainOne();
        }
    }

    private void drainOne() throws IOException {
        Pending p = inFlight.peek();
        if (!p.runIfUnclaimed()) {
            // The head is being encoded elsewhere: encode later planes meanwhile instead of idling, oldest
            // first (the newest may wait for its group's gather, which another thread may be running).
            for (java.util.Iterator<Pending> later = inFlight.iterator(); later.hasNext() && !p.isDone(); ) {
                later.next().runIfUnclaimed();
            }
        }
        byte[] bytes = p.await();
        inFlight.poll();
        spareBuffers.get(p.plane.spec()).push(p.plane);
        container.writeSlice(p.sliceNumber, ByteBuffer.wrap(bytes));
    }

    private long maxBytes(PlaneSpec chunkSpec) {
        return maxChunkBytes.computeIfAbsent(chunkSpec, s -> codec.maxEncodedBytes(params, s));
    }

    private byte[] encode(long sliceNumber, PlaneBuffer plane) throws IOException {
        PlaneSpec chunkSpec = plane.spec();
        Queue<SliceEncoder> idle = idleEncoders.computeIfAbsent(chunkSpec, s -> new ConcurrentLinkedQueue<>());
        SliceEncoder encoder = idle.poll();
        if (encoder == null) {
            encoder = codec.newEncoder(params, chunkSpec);
        }
        byte[] encoded;
        try {
            encoded = encoder.encode(plane);
        } catch (IOException e) {
            throw new IOException("codec '" + codec.id() + "' failed to encode slice " + header.describeChunk(sliceNumber)
                    + ": " + e.getMessage(), e);
        } finally {
            idle.add(encoder);
        }
        long max = maxBytes(chunkSpec);
        if (encoded.length > max) {
            throw new IllegalStateException("codec '" + codec.id() + "' encoded slice " + header.describeChunk(sliceNumber) + " as "
                    + encoded.length + " bytes, more than the " + max + " its maxEncodedBytes promises for a "
                    + chunkSpec + (tiles == null ? " plane" : " tile") + " (readers would refuse it)");
        }
        return encoded;
    }

    private void ensureOpen() {
        if (finished) {
            throw new IllegalStateException("writer for " + container.header() + " is already committed or closed");
        }
    }

    /** Waits for pending encodes, releases encoders; without a prior commit, discards the partial file. Idempotent. */
    @Override
    public void close() throws IOException {
        finished = true;
        try {
            for (Pending p : inFlight) {
                p.runIfUnclaimed();
                p.awaitQuietly();
            }
            inFlight.clear();
            for (Queue<SliceEncoder> idle : idleEncoders.values()) {
                SliceEncoder e;
                while ((e = idle.poll()) != null) {
                    e.close();
                }
            }
        } finally {
            container.close();
        }
    }

    /** One plane being encoded: claimed by exactly one thread (a pool thread or the writer's own). */
    private final class Pending {
        final long sliceNumber;
        final PlaneBuffer plane;
        private final java.util.function.Consumer<PlaneBuffer> fill;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private byte[] result;
        private Throwable failure;
        private boolean done;

        Pending(long sliceNumber, PlaneBuffer plane, java.util.function.Consumer<PlaneBuffer> fill) {
            this.sliceNumber = sliceNumber;
            this.plane = plane;
            this.fill = fill;
        }

        /** Encodes this plane unless another thread claimed it; returns whether this call did. */
        boolean runIfUnclaimed() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            byte[] r = null;
            Throwable f = null;
            try {
                if (fill != null) {
                    fill.accept(plane);
                }
                r = encode(sliceNumber, plane);
            } catch (IOException | RuntimeException | Error e) {
                f = e;
            }
            synchronized (this) {
                result = r;
                failure = f;
                done = true;
                notifyAll();
            }
            return true;
        }

        synchronized boolean isDone() {
            return done;
        }

        synchronized byte[] await() throws IOException {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            return result;
        }

        void awaitQuietly() {
            try {
                await();
            } catch (IOException | RuntimeException e) {
                // closing: the failure was or will be reported by write/commit; nothing to publish
            }
        }
    }
}
