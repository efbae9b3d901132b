package org.jpkl.api.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** Loading once, on first use; the one log line; the unavailable reason's wording. */
class LazyNativeLibraryTest {
    private static final String LOGGER = "org.jpkl.test.LazyNativeLibraryTest";

    /** Collects what {@link #LOGGER} logs while open. */
    private static final class Lines extends Handler implements AutoCloseable {
        final List<String> lines = new ArrayList<>();
        final List<Level> levels = new ArrayList<>();
        private final Logger logger = Logger.getLogger(LOGGER);

        Lines() {
            logger.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            lines.add(new SimpleFormatter().formatMessage(r));
            levels.add(r.getLevel());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void loadsOnceOnFirstUseAndLogsOneLineNamingTheLibrary() {
        AtomicInteger loads = new AtomicInteger();
        try (Lines log = new Lines()) {
            LazyNativeLibrary<String> lib = new LazyNativeLibrary<>("demo", "demo", "demolib", "", "libdemo1", name -> {
                loads.incrementAndGet();
                return new LazyNativeLibrary.Bound<>("api of " + name, "demo 1.2.3 (/usr/lib/libdemolib.so.1)");
            }, System.getLogger(LOGGER));
            assertEquals(0, loads.get(), "the constructor loads nothing");
            assertTrue(lib.availability().isAvailable());
            assertEquals("api of demolib", lib.require().api());
            assertEquals("demo 1.2.3 (/usr/lib/libdemolib.so.1)", lib.describe());
            assertEquals(1, loads.get());
            assertEquals(List.of("codec 'demo' uses demo 1.2.3 (/usr/lib/libdemolib.so.1)"), log.lines);
            assertEquals(List.of(Level.INFO), log.levels);
        }
    }

    @Test
    void aLibraryThatCannotLoadIsUnavailableWithTheReasonOnOneLine() {
        try (Lines log = new Lines()) {
            LazyNativeLibrary<String> lib = new LazyNativeLibrary<>("demo", "demo", "nolib", " (named by provider option demo.library)",
                    "libdemo1", name -> {
                        throw new UnsatisfiedLinkError("Unable to load library 'nolib':\nNative library (linux-x86-64/libnolib.so) not found"
                                + " in resource path (...)\nlibnolib.so: cannot open shared object file: No such file or directory");
                    }, System.getLogger(LOGGER));
            String reason = "the demo library 'nolib' (named by provider option demo.library) could not be loaded: Unable to load library"
                    + " 'nolib': libnolib.so: cannot open shared object file: No such file or directory; install it (Debian/Ubuntu:"
                    + " apt-get install libdemo1)";
            assertFalse(lib.availability().isAvailable());
            assertEquals(reason, lib.availability().reason().orElseThrow());
            IllegalStateException e = assertThrows(IllegalStateException.class, lib::require);
            assertEquals("codec 'demo' is unavailable: " + reason, e.getMessage());
            assertEquals("unavailable: " + reason, lib.describe());
            assertEquals(List.of("codec 'demo' is unavailable: " + reason), log.lines);
            assertEquals(List.of(Level.INFO), log.levels, "a missing optional library is no warning: `jpkl codecs` on a bare machine stays quiet");
        }
    }
}
