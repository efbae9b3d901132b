package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jpkl.Jpkl;
import org.jpkl.OpenOptions;
import org.jpkl.api.io.RandomAccessSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures inside the handler (issue 19, point 7: an {@code OutOfMemoryError} from a hostile file
 * killed a worker thread and left the connection without an answer): every one is a 5xx answer with
 * a short body and one log line without a stack trace, and the next request is served.
 */
class ViewerFailureTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();
    private final AtomicReference<Supplier<Throwable>> failure = new AtomicReference<>();
    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger julLogger = Logger.getLogger(ViewerHandler.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private HttpServer http;
    private GuardedExecutor pool;
    private ServedFile served;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        Path stack = TestStacks.uint16Stack(jpkl, dir, 2, 1);
        RandomAccessSource file = RandomAccessSource.open(stack);
        RandomAccessSource failing = new RandomAccessSource() {
            @Override
            public String name() {
                return file.name();
            }

            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws IOException {
                Supplier<Throwable> f = failure.get();
                if (f != null) {
                    Throwable t = f.get();
                    if (t instanceof Error) {
                        throw (Error) t;
                    }
                    throw (RuntimeException) t;
                }
                file.readFully(position, dst);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
        served = new ServedFile(0, stack, jpkl.open(failing, OpenOptions.builder().cache(org.jpkl.SliceCache.withBudget(0)).build()));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = new GuardedExecutor(Duration.ofSeconds(10), Duration.ofSeconds(10));
        http.setExecutor(pool);
        int port = http.getAddress().getPort();
        http.createContext("/", new ViewerHandler(List.of(served), new HostCheck(port, List.of()), pool, 1));
        http.start();
        base = URI.create("http://127.0.0.1:" + port + "/");
        julLogger.addHandler(capture);
    }

    @AfterEach
    void stop() throws Exception {
        julLogger.removeHandler(capture);
        http.stop(0);
        pool.shutdown(Duration.ofSeconds(5));
        served.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void errorsFromAHostileFileAreAnsweredAndLoggedOnOneLine() throws Exception {
        Object[][] cases = {
            {(Supplier<Throwable>) () -> new OutOfMemoryError("Java heap space"), 503,
                "{\"status\":503,\"error\":\"the viewer ran out of memory answering this request\"}", "OutOfMemoryError: Java heap space"},
            {(Supplier<Throwable>) StackOverflowError::new, 500, "{\"status\":500,\"error\":\"internal error: StackOverflowError\"}",
                "java.lang.StackOverflowError"},
            {(Supplier<Throwable>) () -> new IllegalStateException("boom\nsecond line"), 500,
                "{\"status\":500,\"error\":\"internal error: IllegalStateException\"}", "IllegalStateException: boom"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Supplier<Throwable> f = (Supplier<Throwable>) c[0];
            failure.set(f);
            logged.clear();
            // More requests than decoding threads (1): a dead worker or a leaked slot would hang the rest.
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = get("/api/files/0/slice/1/0?format=raw");
                assertEquals((int) c[1], r.statusCode(), r.body());
                assertEquals(c[2], r.body());
            }
            assertEquals(3, logged.size(), "one log record per failed request");
            for (LogRecord record : logged) {
                assertNull(record.getThrown(), "no stack trace");
                assertTrue(record.getMessage().startsWith("jpkl viewer: GET /api/files/0/slice/1/0?format=raw failed: "), record.getMessage());
                assertTrue(record.getMessage().endsWith((String) c[3]), record.getMessage());
                assertEquals(1, record.getMessage().lines().count(), record.getMessage());
            }
            failure.set(null);
            assertEquals(200, get("/api/files/0/slice/1/0?format=raw").statusCode(), "served again after " + c[3]);
        }
    }
}
