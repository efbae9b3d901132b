package org.jpkl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jpkl.api.DType;
import org.jpkl.api.Index;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneAssembly;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.Selection;
import org.jpkl.api.Shapes;
import org.jpkl.api.TileGrid;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceDecoder;

/**
 * An open container seen as an immutable N-D array whose planes are decoded on demand. Indexing
 * ({@link #get(String)}, {@link #get(Index...)}) follows NumPy's basic indexing exactly, reads and
 * decodes only the planes the index touches, and copies only the selected rows and columns.
 *
 * <p>Opening read only the header and index; memory held is the index plus idle decoders.
 *
 * <p>A {@code get} touching several planes decodes them in parallel on the {@link Jpkl}'s executor
 * (the calling thread works too), each straight into its region of the result. When the planes are
 * stored as tiles ({@link #tiling()}), a {@code get} decodes only the tiles its selection touches,
 * in parallel (so one large plane decodes on every core), and copies only the selected rows and
 * columns of each; a shared {@link SliceCache} then holds tiles.
 *
 * <p>Thread safety: thread-safe; concurrent {@code get}s are allowed (each uses its own decoders).
 * After {@link #close()}, every method that reads throws {@link IllegalStateException}.
 */
public final class JpklArray implements AutoCloseable {
    /** Tiled results of at least this size are allocated while the helper threads decode (see {@link #readTiles}). */
    private static final long DEFERRED_RESULT_BYTES = 32L << 20;
    /**
     * The most decoded tile bytes a helper keeps while the result is being allocated (and no more
     * than a quarter of the result), before it waits: about 250 JPEG tiles of 512 x 512 uint8,
     * 0.2 s of decoding, enough to cover the allocation even where its memory was never touched.
     */
    private static final long MAX_PENDING_TILE_BYTES = 64L << 20;

    private final ContainerReader reader;
    private final ContainerHeader header;
    private final SliceCodec codec;
    private final CodecParams params;
    /** The spec of a whole plane; null for a tiled plane too large for one Java array. */
    private final PlaneSpec planeSpec;
    /** Null when untiled. */
    private final TileGrid tiles;
    /**
     * The codec's bound on one encoded chunk, per chunk spec (one spec untiled, up to four tiled):
     * a chunk whose stored length exceeds it is refused unread.
     */
    private final Map<PlaneSpec, Long> maxChunkBytes = new ConcurrentHashMap<>();
    /** Idle decoders per chunk spec (a decoder is made for one spec). */
    private final Map<PlaneSpec, Queue<SliceDecoder>> idleDecoders = new ConcurrentHashMap<>();
    /**
     * Plane buffers for gets whose planes are strided in the result (decode, then scatter): kept
     * between gets, at most {@link ParallelSlices#planeGroup} per thread that ever decoded concurrently, so
     * repeated gets allocate only their result.
     */
    private final Queue<PlaneBuffer> idleScratch = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Executor executor;
    private final int parallelism;
    private final SliceCache cache;
    /** This container's identity in a shared cache. */
    private final SliceCache.Owner cacheOwner;
    /** The arrays of reduced levels 1.. (index k - 1), made on first use and closed with this one. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<JpklArray> levels;
    private final SliceCodec levelCodec;

    JpklArray(ContainerReader reader, SliceCodec codec, Executor executor, int parallelism, SliceCache cache) throws IOException {
        this.reader = reader;
        this.header = reader.header();
        this.codec = codec;
        this.executor = executor;
        this.parallelism = parallelism;
        this.cache = cache;
        this.cacheOwner = new SliceCache.Owner(reader.name());
        this.levels = new java.util.concurrent.atomic.AtomicReferenceArray<>(header.levelCount() - 1);
        this.levelCodec = codec;
        try {
            this.params = codec.params(header.codecParams());
        } catch (IllegalArgumentException e) {
            throw new JpklFormatException(reader.name(), "header", "stored parameters of codec '" + codec.id()
                    + "' are not valid: " + e.getMessage(), e);
        }
        this.tiles = header.tiling().orElse(null);
        this.planeSpec = header.planeFitsInOneArray() ? header.planeSpec() : null;
        if (!codec.capabilities().supports(header.dtype(), header.layout().channels())) {
            throw new JpklFormatException(reader.name(), "header", "codec '" + codec.id() + "' cannot hold "
                    + header.dtype() + " " + header.layout().channels() + " planes, yet the file says it does");
        }
    }

    /** The shape (a copy). */
    public int[] shape() {
        return header.shape();
    }

    /** Number of axes. */
    public int ndim() {
        return header.shape().length;
    }

    /** Number of elements (product of the shape); may exceed what one Java array holds. */
    public long size() {
        return Shapes.product(header.shape());
    }

    /** Element type. */
    public DType dtype() {
        return header.dtype();
    }

    /** Which axes form each encoded plane. */
    public PlaneLayout layout() {
        return header.layout();
    }

    /** One name per axis. */
    public List<String> axisNames() {
        return header.axisNames();
    }

    /** User metadata (unmodifiable). */
    public Map<String, Object> metadata() {
        return header.metadata();
    }

    /** The codec id. */
    public String codecId() {
        return codec.id();
    }

    /** The codec parameters as stored in the file. */
    public Map<String, String> codecParams() {
        return header.codecParams();
    }

    /** The id of the serializer that wrote the container (e.g. {@code "jpkl"}). */
    public String serializerId() {
        return reader.serializerId();
    }

    /** Everything the container records besides the slices. */
    public ContainerHeader header() {
        return header;
    }

    /** Number of planes. */
    public long sliceCount() {
        return header.sliceCount();
    }

    /** The tile grid of every plane, or empty when planes are stored whole. */
    public Optional<TileGrid> tiling() {
        return header.tiling();
    }

    /**
     * Resolution levels stored, this array (level 0) included: 1 when the container has no reduced
     * levels. Level {@code k} halves the height and width of level {@code k - 1}, rounding up.
     */
    public int levelCount() {
        return header.levelCount();
    }

    /**
     * How the reduced levels were made from level 0; empty without levels or when the file does not
     * record it (see {@link ContainerHeader#levelDownsampling()}).
     */
    public Optional<org.jpkl.api.Downsampling> levelDownsampling() {
        return header.levelDownsampling();
    }

    /**
     * The shape of level {@code k} (a copy): this shape with the plane's height and width halved
     * {@code k} times, rounding up.
     *
     * @throws IndexOutOfBoundsException if {@code k} is not in {@code [0, levelCount())}, e.g.
     *     {@code level 3 is out of range [0, 3)}
     */
    public int[] levelShape(int k) {
        return header.level(k).shape();
    }

    /**
     * Level {@code k} as an array of its own, lazy like this one: every {@code get} works on it and
     * decodes only the level's chunks (tiles) it touches; same key axes, dtype, codec and metadata.
     * Level 0 is this array. The level arrays are made once and closed with this array (closing one
     * alone releases only its decoders).
     *
     * @throws IndexOutOfBoundsException if {@code k} is not in {@code [0, levelCount())}, e.g.
     *     {@code level 3 is out of range [0, 3)}
     */
    public JpklArray level(int k) throws IOException {
        ensureOpen();
        header.levelChunkStart(k);
        if (k == 0) {
            return this;
        }
        JpklArray existing = levels.get(k - 1);
        if (existing != null) {
            return existing;
        }
        JpklArray made = new JpklArray(new LevelReader(reader, k), levelCodec, executor, parallelism, cache);
        if (levels.compareAndSet(k - 1, null, made)) {
            return made;
        }
        made.close();
        return levels.get(k - 1);
    }

    /**
     * Number of encoded chunks: the planes, or their tiles when tiled (see {@link ContainerHeader}),
     * plus those of the reduced levels.
     */
    public long chunkCount() {
        return header.chunkCount();
    }

    /** The file or stream name. */
    public String name() {
        return reader.name();
    }

    /** The container's size in bytes. */
    public long byteSize() throws IOException {
        ensureOpen();
        return reader.byteSize();
    }

    /**
     * Selects with NumPy syntax, e.g. {@code get("128:256:2, :, 4, ...")}.
     *
     * @throws IllegalArgumentException for bad syntax, two ellipses, too many indices, or a result too
     *     large for one array (naming its size)
     * @throws IndexOutOfBoundsException for an integer index outside its axis
     * @throws JpklFormatException if a touched slice is damaged (naming the file and the slice's key)
     */
    public NdArray get(String expression) throws IOException {
        return read(Selection.resolve(expression, header.shape()));
    }

    /** Selects with typed index items; see {@link Index}. */
    public NdArray get(Index... items) throws IOException {
        return get(List.of(items));
    }

    /** Selects with typed index items; see {@link Index}. */
    public NdArray get(List<? extends Index> items) throws IOException {
        return read(Selection.resolve(items, header.shape()));
    }

    /**
     * The encoded bytes of one slice exactly as stored (checksum verified), e.g. to copy them into
     * another container without re-encoding. For a tiled container the number is a chunk number
     * (one tile, see {@link ContainerHeader}), in {@code [0, chunkCount())}.
     *
     * @return a new buffer owned by the caller
     * @throws IndexOutOfBoundsException if {@code sliceNumber} is out of range
     */
    public ByteBuffer readEncodedSlice(long sliceNumber) throws IOException {
        ensureOpen();
        return readSlice(sliceNumber, false);
    }

    /** The codec parameters as the codec's validated object. */
    public CodecParams codecParamsValue() {
        return params;
    }

    private NdArray read(Selection selection) throws IOException {
        ensureOpen();
        // several threads: the result is allocated (and zeroed) by the calling thread while the helpers already decode
        boolean deferred = parallelism > 1 && selection.resultSize() > 0 && (tiles != null
                ? selection.resultSize() * header.dtype().byteSize() >= DEFERRED_RESULT_BYTES : cache == null);
        PlaneAssembly assembly = deferred ? PlaneAssembly.withDeferredResult(selection, header.dtype(), header.layout())
                : new PlaneAssembly(selection, header.dtype(), header.layout());
        long touched = assembly.touchedCount();
        if (touched == 0) {
            assembly.allocateResult();
            return assembly.result();
        }
        if (tiles != null) {
            return readTiles(assembly);
        }
        announce(touched, assembly::sliceNumber);
        boolean direct = cache == null && assembly.planesAreContiguousInResult();
        int group = direct || cache != null ? 1 : ParallelSlices.planeGroup(planeSpec);
        if (direct || touched == 1) {
            assembly.allocateResult();
        }
        if (!direct && cache == null && parallelism > 1 && touched > 1 && touched <= group) {
            return readFewInterleaved(assembly);
        }
        CountDownLatch allocated = new CountDownLatch(assembly.hasResult() ? 0 : 1);
        Runnable allocate = assembly.hasResult() ? null : () -> {
            try {
                assembly.allocateResult();
            } finally {
                allocated.countDown();
            }
        };
        ParallelSlices.run(touched, group, parallelism, executor, allocate, () -> new ParallelSlices.Worker() {
            private final SliceDecoder decoder = cache == null ? borrowDecoder(planeSpec) : null;
            /** Decoded planes not yet scattered: touched planes {@code first .. first + held - 1}. */
            private final PlaneBuffer[] scratch = new PlaneBuffer[group];
            private long first;
            private int held;

            @Override
            public void process(long i) throws IOException {
                long n = assembly.sliceNumber(i);
                if (direct) {
                    readAndDecode(decoder, n, false, assembly.directTarget(i));
                } else if (cache != null) {
                    assembly.scatter(i, cachedChunk(n, planeSpec));
                } else {
                    if (held > 0 && i != first + held) {
                        finish();
                    }
                    if (held == 0) {
                        first = i;
                    }
                    if (scratch[held] == null) {
                        PlaneBuffer idle = idleScratch.poll();
                        scratch[held] = idle != null ? idle : PlaneBuffer.allocate(planeSpec);
                    }
                    readAndDecode(decoder, n, false, scratch[held]);
                    if (++held == group) {
                        finish();
                    }
                }
            }

            /**
             * Scatters the held planes together (band by band: one pass over their part of the
             * result), once the calling thread has allocated it; drops them when the allocation
             * failed (the run fails with that error).
             */
            @Override
            public void finish() {
                ParallelSlices.awaitUninterruptibly(allocated);
                if (!assembly.hasResult()) {
                    held = 0;
                } else if (held == 1) {
                    assembly.scatter(first, scratch[0]);
                } else if (held > 1) {
                    assembly.scatter(first, held == group ? scratch : java.util.Arrays.copyOf(scratch, held));
                }
                held = 0;
            }

            @Override
            public void close() {
                if (decoder != null) {
                    returnDecoder(planeSpec, decoder);
                }
                for (PlaneBuffer p : scratch) {
                    if (p != null && !closed.get()) {
                        idleScratch.add(p);
                    }
                }
            }
        });
        return assembly.result();
    }

    /** Most slices announced to the reader per get ({@link ContainerReader#willRead}); the rest are read as usual. */
    private static final int MAX_ANNOUNCED = 1 << 16;

    /**
     * {@link #announceReads} for reads through the slice cache: nothing when there is one (only its
     * misses are read, in no foreseeable order).
     */
    private void announce(long items, java.util.function.LongUnaryOperator chunkOf) throws IOException {
        if (cache == null) {
            announceReads(items, chunkOf);
        }
    }

    /**
     * Tells the reader which chunks (slices, or tiles when tiled) are about to be read, so that a
     * remote source can fetch neighbours together: {@code chunkOf} maps work items
     * {@code 0 .. items - 1} to chunk numbers, the first {@link #MAX_ANNOUNCED} are announced (none
     * for a single chunk).
     */
    private void announceReads(long items, java.util.function.LongUnaryOperator chunkOf) throws IOException {
        if (items < 2) {
            return;
        }
        long[] chunks = new long[Math.toIntExact(Math.min(items, MAX_ANNOUNCED))];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = chunkOf.applyAsLong(i);
        }
        reader.willRead(chunks);
    }

    /**
     * A selection of a few planes (one group, e.g. the 4 planes of {@code x[:, :, k, m]}) strided in
     * the result, on several threads: the threads first decode the planes, each into a buffer of its
     * own, then scatter them band of rows by band of rows (each band of all planes at once). Scattered
     * plane by plane, two threads would write neighbouring bytes of the same cache lines at the same
     * time (the planes' samples are interleaved in the result) and the cache lines would travel
     * between the cores for every write. The result ({@linkplain PlaneAssembly#withDeferredResult
     * deferred}) is allocated by the calling thread while the helpers start decoding: 1 MB to zero
     * for {@code x[:, :, k, m]} of the peer stack, otherwise on the critical path before any decode.
     */
    private NdArray readFewInterleaved(PlaneAssembly assembly) throws IOException {
        int touched = (int) assembly.touchedCount();
        PlaneBuffer[] planes = new PlaneBuffer[touched];
        for (int j = 0; j < touched; j++) {
            PlaneBuffer idle = idleScratch.poll();
            planes[j] = idle != null ? idle : PlaneBuffer.allocate(planeSpec);
        }
        int rows = assembly.selectedRows();
        int bandRows = Math.max(1, (rows + 4 * parallelism - 1) / (4 * parallelism));
        int bands = (rows + bandRows - 1) / bandRows;
        // counted down once per decode and once the result exists (allocated by the calling thread while the
        // helpers decode), and to zero at once when a decode fails (its items may never be claimed)
        CountDownLatch decoded = new CountDownLatch(touched + 1);
        AtomicBoolean failed = new AtomicBoolean();
        Runnable allocate = () -> {
            try {
                assembly.allocateResult();
            } finally {
                decoded.countDown();
            }
        };
        try {
            ParallelSlices.runEach(touched + bands, parallelism, executor, allocate, () -> new ChunkWorker() {
                @Override
                public void process(long item) throws IOException {
                    if (item < touched) {
                        boolean ok = false;
                        try {
                            long n = assembly.sliceNumber(item);
                            readAndDecode(decoder(planeSpec), n, false, planes[(int) item]);
                            ok = true;
                        } finally {
                            if (!ok) {
                                failed.set(true);
                                while (decoded.getCount() > 0) {
                                    decoded.countDown();
                                }
                            }
                            decoded.countDown();
                        }
                    } else {
                        ParallelSlices.awaitUninterruptibly(decoded);
                        if (!failed.get() && assembly.hasResult()) { // else the run reports the failure
                            int from = (int) (item - touched) * bandRows;
                            assembly.scatterRows(0, planes, from, Math.min(rows, from + bandRows));
                        }
                    }
                }
            });
        } finally {
            if (!closed.get()) {
                idleScratch.addAll(java.util.Arrays.asList(planes));
            }
        }
        return assembly.result();
    }

    /**
     * A selection over tiled planes: the touched planes times the touched tile rows and columns are
     * the work items, decoded in parallel (one tile per claim, so the threads end within one tile
     * of each other), each tile's selected part copied into the result. A large result made
     * {@linkplain PlaneAssembly#withDeferredResult deferred} is allocated by the calling thread
     * while the helpers already decode: a helper keeps its tiles (each decoded into a buffer of its
     * own, up to {@link #MAX_PENDING_TILE_BYTES} or a quarter of the result) until the result exists, then copies them in. So
     * the allocation and zeroing of the result (256 MiB for a 16,384 x 16,384 uint8 plane) no longer
     * keeps the other threads waiting.
     */
    private NdArray readTiles(PlaneAssembly assembly) throws IOException {
        int[] rows = assembly.touchedTileRows(tiles);
        int[] cols = assembly.touchedTileColumns(tiles);
        long perPlane = (long) rows.length * cols.length;
        long count = Math.multiplyExact(assembly.touchedCount(), perPlane);
        // work item -> chunk: touched plane, then tile row, then tile column
        java.util.function.LongUnaryOperator chunkOf = item -> {
            int t = Math.toIntExact(item % perPlane);
            return assembly.sliceNumber(item / perPlane) * tiles.tilesPerPlane() + (long) rows[t / cols.length] * tiles.columns()
                    + cols[t % cols.length];
        };
        announce(count, chunkOf);
        CountDownLatch allocated = new CountDownLatch(assembly.hasResult() ? 0 : 1);
        long maxPending = Math.min(MAX_PENDING_TILE_BYTES, assembly.selection().resultSize() * header.dtype().byteSize() / 4);
        Runnable allocate = () -> {
            try {
                assembly.allocateResult();
            } finally {
                allocated.countDown();
            }
        };
        ParallelSlices.runEach(count, parallelism, executor, allocate, () -> new ChunkWorker() {
            /** Tiles decoded before the result existed: item numbers and their buffers. */
            private final List<Long> pendingItems = new ArrayList<>();
            private final List<PlaneBuffer> pendingTiles = new ArrayList<>();
            private long pendingBytes;

            @Override
            public void process(long item) throws IOException {
                long chunk = chunkOf.applyAsLong(item);
                if (allocated.getCount() > 0) {
                    PlaneBuffer own = decodedOwn(chunk);
                    pendingItems.add(item);
                    pendingTiles.add(own);
                    pendingBytes += own.spec().byteSize();
                    if (pendingBytes < maxPending) {
                        return;
                    }
                    awaitResult();
                }
                scatterPending();
                if (assembly.hasResult()) {
                    scatter(item, decoded(chunk));
                }
            }

            private void scatter(long item, PlaneBuffer tile) {
                int t = Math.toIntExact(item % perPlane);
                assembly.scatterTile(item / perPlane, tiles, rows[t / cols.length], cols[t % cols.length], tile);
            }

            /** Copies the kept tiles into the result; drops them when its allocation failed (the run fails with that error). */
            private void scatterPending() {
                if (pendingItems.isEmpty()) {
                    return;
                }
                if (assembly.hasResult()) {
                    for (int k = 0; k < pendingItems.size(); k++) {
                        scatter(pendingItems.get(k), pendingTiles.get(k));
                    }
                }
                pendingItems.clear();
                pendingTiles.clear();
                pendingBytes = 0;
            }

            /** Waits for the calling thread's allocation (it counts down even when the allocation fails). */
            private void awaitResult() {
                ParallelSlices.awaitUninterruptibly(allocated);
            }

            @Override
            public void close() {
                try {
                    if (!pendingItems.isEmpty()) {
                        awaitResult();
                        scatterPending();
                    }
                } finally {
                    super.close();
                }
            }
        });
        return assembly.result();
    }

    /**
     * Per-thread decoding of chunks of any spec: a decoder and a scratch buffer per spec, or the
     * shared cache when there is one; decoders go back to the pool on close.
     */
    private abstract class ChunkWorker implements ParallelSlices.Worker {
        private final Map<PlaneSpec, SliceDecoder> decoders = new HashMap<>();
        private final Map<PlaneSpec, PlaneBuffer> scratch = new HashMap<>();

        /** The decoded chunk; valid until this worker's next call (or shared and read-only from the cache). */
        PlaneBuffer decoded(long chunk) throws IOException {
            PlaneSpec spec = header.chunkSpec(chunk);
            if (cache != null) {
                return cachedChunk(chunk, spec);
            }
            PlaneBuffer buffer = scratch.computeIfAbsent(spec, PlaneBuffer::allocate);
            readAndDecode(decoder(spec), chunk, false, buffer);
            return buffer;
        }

        /** The decoded chunk in a buffer of its own, valid as long as it is kept (or shared and read-only from the cache). */
        PlaneBuffer decodedOwn(long chunk) throws IOException {
            PlaneSpec spec = header.chunkSpec(chunk);
            if (cache != null) {
                return cachedChunk(chunk, spec);
            }
            PlaneBuffer buffer = PlaneBuffer.allocate(spec);
            readAndDecode(decoder(spec), chunk, false, buffer);
            return buffer;
        }

        SliceDecoder decoder(PlaneSpec spec) {
            return decoders.computeIfAbsent(spec, JpklArray.this::borrowDecoder);
        }

        @Override
        public void close() {
            decoders.forEach(JpklArray.this::returnDecoder);
        }
    }

    /** The decoded chunk (plane or tile) from the cache (decoded once on a miss); its array is shared and read-only. */
    private PlaneBuffer cachedChunk(long chunk, PlaneSpec spec) throws IOException {
        Object samples = cache.get(cacheOwner, chunk, () -> {
            PlaneBuffer fresh = PlaneBuffer.allocate(spec);
            SliceDecoder decoder = borrowDecoder(spec);
            try {
                readAndDecode(decoder, chunk, false, fresh);
            } finally {
                returnDecoder(spec, decoder);
            }
            return fresh.array();
        });
        return PlaneBuffer.wrap(spec, samples, 0);
    }

    /**
     * Checks every slice: its checksum (whatever the open options; formats without slice checksums
     * can only be checked for decoding, see {@link VerificationReport#checksumsChecked()}) and that
     * the codec decodes it; first, what opening left unchecked in the container's structure (such as
     * the checksum of an index too large to read at open, see {@link ContainerReader#verifyStructure()}).
     *
     * <p>Tiled containers are checked tile by tile: the report counts chunks (tiles) and each
     * problem's number is a chunk number (its key is the tile's plane; the message names the tile).
     *
     * @return the problems found in slices, empty when the container is intact
     * @throws JpklFormatException if the container's structure is damaged (then no slice is checked)
     */
    public VerificationReport verify() throws IOException {
        ensureOpen();
        reader.verifyStructure();
        java.util.List<VerificationReport.Problem> problems = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        long count = header.chunkCount();
        announceReads(count, n -> n); // verify reads every chunk, cache or not
        ParallelSlices.run(count, parallelism, executor, () -> new ChunkWorker() {
            private final Map<PlaneSpec, PlaneBuffer> planes = new HashMap<>();

            @Override
            public void process(long n) throws IOException {
                try {
                    PlaneSpec spec = header.chunkSpec(n);
                    readAndDecode(decoder(spec), n, true, planes.computeIfAbsent(spec, PlaneBuffer::allocate));
                } catch (JpklFormatException e) {
                    problems.add(new VerificationReport.Problem(n, header.keySpace().key(header.sliceOfChunk(n)),
                            e.getMessage()));
                }
            }
        });
        return new VerificationReport(reader.name(), count, reader.hasSliceChecksums(), problems);
    }

    /**
     * Decodes one whole plane into {@code destination} (spec must equal this array's plane spec).
     *
     * @throws JpklFormatException if the slice is damaged
     */
    public void decodeSlice(long sliceNumber, PlaneBuffer destination) throws IOException {
        ensureOpen();
        if (planeSpec == null) {
            throw new IllegalStateException("the planes of " + this + " are larger than one Java array; read regions with get");
        }
        if (!destination.spec().equals(planeSpec)) {
            throw new IllegalArgumentException("destination is " + destination.spec() + "; this array's planes are " + planeSpec);
        }
        header.keySpace().key(sliceNumber);
        if (tiles != null) {
            decodeTiledPlane(sliceNumber, destination);
            return;
        }
        SliceDecoder decoder = borrowDecoder(planeSpec);
        try {
            readAndDecode(decoder, sliceNumber, false, destination);
        } finally {
            returnDecoder(planeSpec, decoder);
        }
    }

    /**
     * Decodes rows {@code [y0, y0 + rows.spec().height())} of one plane at full width into
     * {@code rows} (spec: this array's dtype and channels, that many rows x the plane's width), for
     * streaming a plane too large for one Java array band by band. Tiled, only the tiles those rows
     * touch are decoded, in parallel; untiled, the whole plane is decoded once and the rows copied.
     *
     * @throws IllegalArgumentException if {@code rows} has another dtype, channel layout or width,
     *     or the rows are not inside the plane
     * @throws IndexOutOfBoundsException if the slice number is out of range
     */
    public void decodeRows(long sliceNumber, int y0, PlaneBuffer rows) throws IOException {
        ensureOpen();
        int[] shape = header.shape();
        int height = shape[header.layout().yAxis()];
        int width = shape[header.layout().xAxis()];
        PlaneSpec spec = rows.spec();
        if (spec.dtype() != header.dtype() || spec.channels() != header.layout().channels() || spec.width() != width
                || y0 < 0 || y0 > height - spec.height()) {
            throw new IllegalArgumentException("rows " + y0 + " to " + ((long) y0 + spec.height()) + " as " + spec + " do not fit this"
                    + " array's " + height + "x" + width + " " + header.dtype() + " " + header.layout().channels() + " planes");
        }
        header.keySpace().key(sliceNumber);
        int samples = spec.channels().samplesPerPixel();
        if (tiles == null) {
            PlaneBuffer plane = PlaneBuffer.allocate(planeSpec);
            decodeSlice(sliceNumber, plane);
            System.arraycopy(plane.array(), y0 * width * samples, rows.array(), rows.offset(), spec.sampleCount());
            return;
        }
        int firstRow = y0 / tiles.tileHeight();
        int lastRow = (y0 + spec.height() - 1) / tiles.tileHeight();
        long count = (long) (lastRow - firstRow + 1) * tiles.columns();
        long first = sliceNumber * tiles.tilesPerPlane();
        announce(count, item -> first + (long) (firstRow + Math.toIntExact(item / tiles.columns())) * tiles.columns() + item % tiles.columns());
        ParallelSlices.runEach(count, parallelism, executor, () -> new ChunkWorker() {
            @Override
            public void process(long item) throws IOException {
                int r = firstRow + (int) (item / tiles.columns());
                int c = (int) (item % tiles.columns());
                PlaneBuffer tile = decoded(first + (long) r * tiles.columns() + c);
                int rowSamples = tiles.widthOf(c) * samples;
                int from = Math.max(y0, tiles.y0(r));
                int to = Math.min(y0 + spec.height(), tiles.y0(r) + tiles.heightOf(r));
                for (int y = from; y < to; y++) {
                    System.arraycopy(tile.array(), tile.offset() + (y - tiles.y0(r)) * rowSamples, rows.array(),
                            rows.offset() + ((y - y0) * width + tiles.x0(c)) * samples, rowSamples);
                }
            }
        });
    }

    /** Decodes every tile of one plane in parallel, each copied to its place in {@code destination}. */
    private void decodeTiledPlane(long sliceNumber, PlaneBuffer destination) throws IOException {
        int samples = planeSpec.channels().samplesPerPixel();
        long first = sliceNumber * tiles.tilesPerPlane();
        announce(tiles.tilesPerPlane(), t -> first + t);
        ParallelSlices.runEach(tiles.tilesPerPlane(), parallelism, executor, () -> new ChunkWorker() {
            @Override
            public void process(long t) throws IOException {
                int r = (int) (t / tiles.columns());
                int c = (int) (t % tiles.columns());
                PlaneBuffer tile = decoded(first + t);
                int rowSamples = tiles.widthOf(c) * samples;
                for (int y = 0, h = tiles.heightOf(r); y < h; y++) {
                    System.arraycopy(tile.array(), tile.offset() + y * rowSamples, destination.array(), destination.offset()
                            + ((tiles.y0(r) + y) * planeSpec.width() + tiles.x0(c)) * samples, rowSamples);
                }
            }
        });
    }

    /**
     * Reads a slice's encoded bytes after checking its stored length against the codec's bound, so
     * a damaged or hostile index entry that claims gigabytes is refused before anything is allocated.
     *
     * @param verified whether to check the stored checksum whatever the open options
     */
    private ByteBuffer readSlice(long sliceNumber, boolean verified) throws IOException {
        checkStoredLength(sliceNumber);
        return verified ? reader.readVerifiedSlice(sliceNumber) : reader.readSlice(sliceNumber);
    }

    /** Checks a slice's stored length against the codec's bound ({@link #readSlice}). */
    private void checkStoredLength(long sliceNumber) throws IOException {
        long length = reader.sliceLength(sliceNumber);
        PlaneSpec spec = header.chunkSpec(sliceNumber);
        long max = maxChunkBytes.computeIfAbsent(spec, s -> codec.maxEncodedBytes(params, s));
        if (length > max) {
            throw new JpklFormatException(reader.name(), "slice " + header.describeChunk(sliceNumber), "stored length "
                    + length + " bytes exceeds the " + max + " bytes codec '" + codec.id() + "' can produce for a "
                    + spec + (tiles == null ? " plane" : " tile"));
        }
    }

    /**
     * Reads a slice into the buffer its decoder reads from ({@link SliceDecoder#inputBuffer}) and
     * decodes it into {@code plane}.
     *
     * @param verified whether to check the stored checksum whatever the open options
     */
    private void readAndDecode(SliceDecoder decoder, long sliceNumber, boolean verified, PlaneBuffer plane) throws IOException {
        checkStoredLength(sliceNumber);
        decodeBytes(decoder, sliceNumber, reader.readSlice(sliceNumber, verified, decoder::inputBuffer), plane);
    }

    private void decodeBytes(SliceDecoder decoder, long sliceNumber, ByteBuffer bytes, PlaneBuffer plane) throws IOException {
        try {
            decoder.decode(bytes, plane);
        } catch (IOException | RuntimeException e) {
            throw new JpklFormatException(reader.name(), "slice " + header.describeChunk(sliceNumber),
                    "codec '" + codec.id() + "' cannot decode it: " + e.getMessage(), e);
        }
    }

    private SliceDecoder borrowDecoder(PlaneSpec spec) {
        SliceDecoder d = idleDecoders.computeIfAbsent(spec, s -> new ConcurrentLinkedQueue<>()).poll();
        return d != null ? d : codec.newDecoder(params, spec);
    }

    private void returnDecoder(PlaneSpec spec, SliceDecoder d) {
        if (closed.get()) {
            d.close();
        } else {
            idleDecoders.computeIfAbsent(spec, s -> new ConcurrentLinkedQueue<>()).add(d);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("container " + reader.name() + " is closed");
        }
    }

    /** Closes the file and releases decoders; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            for (int k = 0; k < levels.length(); k++) {
                JpklArray level = levels.get(k);
                if (level != null) {
                    level.close();
                }
            }
            idleScratch.clear();
            if (cache != null) {
                cache.close(cacheOwner);
            }
            for (Queue<SliceDecoder> idle : idleDecoders.values()) {
                SliceDecoder d;
                while ((d = idle.poll()) != null) {
                    d.close();
                }
            }
            reader.close();
        }
    }

    /** E.g. {@code JpklArray[stack.jpkl, uint8 (512, 512, 10, 10, 4), codec jpeg]}. */
    @Override
    public String toString() {
        return "JpklArray[" + reader.name() + ", " + header.dtype() + " " + Shapes.format(header.shape()) + ", codec "
                + codec.id() + "]";
    }
}
