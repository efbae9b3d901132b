package org.jpkl.jpeg;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Test helper: records what {@link JpegCodec} logs through System.Logger (backed by
 * java.util.logging in a plain JVM) while it is open.
 */
final class CodecLog extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(JpegCodec.class.getName());
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> lines = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();

    CodecLog() {
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        lines.add(formatter.formatMessage(record));
        levels.add(record.getLevel());
    }

    /** The messages logged so far, formatted. */
    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** The levels of the messages logged so far. */
    synchronized List<Level> levels() {
        return new ArrayList<>(levels);
    }

    @Override
    public void flush() {
        // Nothing buffered.
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
