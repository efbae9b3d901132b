package org.jpkl.viewer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jpkl.Jpkl;
import org.jpkl.OpenOptions;
import org.jpkl.SliceCache;

/**
 * A local HTTP server that shows jpkl containers in a web browser: a static page (shipped in this
 * jar, no CDN) that scrubs through every key axis, and a read-only JSON and binary API under
 * {@code /api} that serves the slices of the files given, and nothing else.
 *
 * <pre>{@code
 * try (ViewerServer server = ViewerServer.builder(Jpkl.create()).file(Path.of("stack.jpkl")).build()) {
 *     URI url = server.start();      // http://127.0.0.1:PORT/
 *     ...
 * }
 * }</pre>
 *
 * <p>The server is the JDK's built-in {@code com.sun.net.httpserver} (module {@code jdk.httpserver}):
 * it ships with every JDK, adds no dependency, and is ample for one person's browser on the loopback
 * interface. See {@code docs/VIEWER.md} for the endpoints and the design.
 *
 * <p>Safety: it binds to {@code 127.0.0.1} unless another address is asked for; only GET and HEAD
 * are answered (405 otherwise); no URL maps to the file system: files are addressed by their
 * position in the list given here; a key outside its axis is 404, malformed input 400. Requests whose
 * {@code Host} header is not exactly a loopback form with the server's port ({@code localhost},
 * {@code 127.0.0.1}, {@code [::1]}), the bind address itself or a host given to
 * {@link Builder#allowHost(String)} are refused (403), so a web page elsewhere cannot reach the server
 * through DNS rebinding. A request head must arrive within {@link Builder#requestTimeout(Duration)}
 * and an answer be taken within {@link Builder#responseTimeout(Duration)}, so clients that stall hold
 * no thread for long; URLs and request heads are bounded; every request gets an HTTP answer.
 *
 * <p>Thread safety: {@link #start()} and {@link #close()} may be called from any thread; requests
 * are served concurrently on the server's worker threads.
 */
public final class ViewerServer implements AutoCloseable {
    /** Default decoded-plane cache budget: 256 MiB, about 500 planes of 512 x 512 uint16. */
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;
    /** Default time for a request head to arrive once its first byte has: 10 s (a browser sends it at once). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default time for a client to take an answer: 60 s. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final Jpkl jpkl;
    private final List<Location> files;
    private final InetAddress bindAddress;
    private final int port;
    private final int threads;
    private final long cacheBytes;
    private final List<String> allowedHosts;
    private final Duration requestTimeout;
    private final Duration responseTimeout;
    private final Object lock = new Object();
    private HttpServer server;
    private GuardedExecutor workers;
    private ViewerHandler handler;
    private List<ServedFile> opened;
    private URI url;

    private ViewerServer(Builder b) {
        this.jpkl = b.jpkl;
        this.files = List.copyOf(b.files);
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.threads = b.threads;
        this.cacheBytes = b.cacheBytes;
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.requestTimeout = b.requestTimeout;
        this.responseTimeout = b.responseTimeout;
    }

    /** A builder for a server using {@code jpkl}'s codecs to read the files. */
    public static Builder builder(Jpkl jpkl) {
        return new Builder(jpkl);
    }

    /**
     * Opens every file (header and index only) and starts listening.
     *
     * @return the page's URL, e.g. {@code http://127.0.0.1:41234/}
     * @throws IOException if a file cannot be opened (nothing stays open then) or the port cannot be bound
     * @throws IllegalStateException if already started or closed
     */
    public URI start() throws IOException {
        synchronized (lock) {
            if (server != null || opened != null) {
                throw new IllegalStateException("the viewer server was already started");
            }
            SliceCache cache = SliceCache.withBudget(cacheBytes);
            OpenOptions options = OpenOptions.builder().cache(cache).build();
            List<ServedFile> served = new ArrayList<>();
            HttpServer http = null;
            try {
                for (int i = 0; i < files.size(); i++) {
                    served.add(files.get(i).open(i, jpkl, options));
                }
                http = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
                GuardedExecutor pool = new GuardedExecutor(requestTimeout, responseTimeout);
                http.setExecutor(pool);
                HostCheck hosts = new HostCheck(http.getAddress().getPort(), hostsAllowed());
                ViewerHandler h = new ViewerHandler(served, hosts, pool, threads);
                http.createContext("/", h);
                http.start();
                this.server = http;
                this.workers = pool;
                this.handler = h;
                this.opened = served;
                this.url = URI.create("http://" + hostForUrl(bindAddress) + ":" + http.getAddress().getPort() + "/");
                return url;
            } catch (IOException | RuntimeException e) {
                if (http != null && server == null) {
                    http.stop(0); // bound but not started: frees the port
                }
                for (ServedFile f : served) {
                    f.closeQuietly(e);
                }
                throw e;
            }
        }
    }

    /**
     * The hosts given to the builder and, for a specific IPv4 address other than loopback, that
     * address (an IPv6 address is left to {@link Builder#allowHost(String)}: browsers send it in a
     * compressed form that {@link InetAddress#getHostAddress()} does not produce).
     */
    private List<String> hostsAllowed() {
        List<String> hosts = new ArrayList<>(allowedHosts);
        if (bindAddress instanceof java.net.Inet4Address && !bindAddress.isLoopbackAddress() && !bindAddress.isAnyLocalAddress()) {
            hosts.add(bindAddress.getHostAddress());
        }
        return hosts;
    }

    private static String hostForUrl(InetAddress address) {
        String host = address.getHostAddress();
        if (address.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * The page's URL.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public URI url() {
        synchronized (lock) {
            if (url == null) {
                throw new IllegalStateException("the viewer server has not been started");
            }
            return url;
        }
    }

    /**
     * Body bytes of every {@code /api/} answer sent since {@link #start()} (slices, tiles, JSON; not
     * the page's own files): what viewing has cost in transfer, e.g. to check that the first view of
     * a huge plane sends a viewport's worth of tiles, not the plane.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public long apiBytesSent() {
        synchronized (lock) {
            if (handler == null) {
                throw new IllegalStateException("the viewer server has not been started");
            }
            return handler.apiBodyBytes();
        }
    }

    /** Stops listening (requests in progress get up to one second), then closes the files; idempotent. */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (server != null) {
                server.stop(1);
                try {
                    workers.shutdown(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                server = null;
            }
            if (opened != null) {
                IOException first = null;
                for (ServedFile f : opened) {
                    try {
                        f.close();
                    } catch (IOException e) {
                        if (first == null) {
                            first = e;
                        } else {
                            first.addSuppressed(e);
                        }
                    }
                }
                opened = List.of();
                if (first != null) {
                    throw first;
                }
            }
        }
    }

    /** A container to serve: a local file or a URI. */
    private record Location(Path path, URI uri) {
        ServedFile open(int index, Jpkl jpkl, OpenOptions options) throws IOException {
            if (path != null) {
                return new ServedFile(index, path, jpkl.open(path, options));
            }
            String p = uri.getPath() == null ? "" : uri.getPath();
            String name = p.substring(p.lastIndexOf('/') + 1);
            return new ServedFile(index, name.isEmpty() ? uri.getHost() + "" : name, jpkl.open(uri, options));
        }
    }

    /** Builds a {@link ViewerServer}. Not thread-safe. */
    public static final class Builder {
        private final Jpkl jpkl;
        private final List<Location> files = new ArrayList<>();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private int threads = 4;
        private long cacheBytes = DEFAULT_CACHE_BYTES;
        private final List<String> allowedHosts = new ArrayList<>();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;

        private Builder(Jpkl jpkl) {
            this.jpkl = Objects.requireNonNull(jpkl, "jpkl");
        }

        /** Adds a container to serve; files are numbered from 0 in the order added. */
        public Builder file(Path file) {
            files.add(new Location(Objects.requireNonNull(file, "file"), null));
            return this;
        }

        /**
         * Adds a container named by a URI (e.g. {@code https://host/stack.jpkl}, read through the
         * storage provider of its scheme, or {@code file:}); numbered with the files, in the order added.
         */
        public Builder uri(URI uri) {
            files.add(new Location(null, Objects.requireNonNull(uri, "uri")));
            return this;
        }

        /** Adds containers to serve, in order. */
        public Builder files(List<Path> paths) {
            for (Path p : paths) {
                file(p);
            }
            return this;
        }

        /** The address to listen on (default {@code 127.0.0.1}: reachable from this machine only). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The address to listen on, as a literal IP address or host name, e.g. {@code "127.0.0.1"},
         * {@code "::1"} or {@code "0.0.0.0"} (every interface: only when asked for).
         *
         * @throws IllegalArgumentException if the name cannot be resolved
         */
        public Builder bindAddress(String address) {
            Objects.requireNonNull(address, "address");
            try {
                this.bindAddress = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bind address (" + address + ") is not a known host or IP address", e);
            }
            return this;
        }

        /**
         * The TCP port (default 0: a free port chosen by the system).
         *
         * @throws IllegalArgumentException if not in [0, 65535]
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port (" + port + ") must be in [0, 65535]");
            }
            this.port = port;
            return this;
        }

        /**
         * Also answer requests whose {@code Host} header is {@code host}: a name or address, with the
         * server's port, or {@code NAME:PORT} for exactly that port (e.g. the local end of an SSH
         * tunnel). Compared without regard to case. Without it, only {@code localhost},
         * {@code 127.0.0.1} (any canonical {@code 127.x.y.z}), {@code [::1]} and a specific bind
         * address are answered, each with the server's port.
         *
         * @throws IllegalArgumentException if {@code host} is not a host name or IP address,
         *         optionally with a port in [1, 65535]
         */
        public Builder allowHost(String host) {
            allowedHosts.add(HostCheck.normalizeAllowed(host));
            return this;
        }

        /** {@link #allowHost(String)} for each of {@code hosts}. */
        public Builder allowHosts(List<String> hosts) {
            for (String h : hosts) {
                allowHost(h);
            }
            return this;
        }

        /**
         * How long the rest of a request head may take once its first byte has arrived (default
         * {@link #DEFAULT_REQUEST_TIMEOUT}); a slower client's connection is closed.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * How long a client may take to receive an answer (default {@link #DEFAULT_RESPONSE_TIMEOUT});
         * a slower client's connection is closed.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = positive(timeout, "responseTimeout");
            return this;
        }

        private static Duration positive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + " (" + timeout + ") must be positive");
            }
            return timeout;
        }

        /**
         * Requests that read and decode slices at once (default 4: a browser keeps up to 6
         * connections per host, and slice decoding is CPU-bound). Connections are served by more
         * threads, so clients that stall do not hold these.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads (" + threads + ") must be >= 1");
            }
            this.threads = threads;
            return this;
        }

        /**
         * The budget in bytes of the decoded-plane cache shared by all files (default
         * {@link #DEFAULT_CACHE_BYTES}); 0 disables it.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder cacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cacheBytes (" + bytes + ") must be >= 0");
            }
            this.cacheBytes = bytes;
            return this;
        }

        /**
         * The server (not yet started).
         *
         * @throws IllegalArgumentException if no file was given
         */
        public ViewerServer build() {
            if (files.isEmpty()) {
                throw new IllegalArgumentException("files: at least one container must be given");
            }
            return new ViewerServer(this);
        }
    }
}
