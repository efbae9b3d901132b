package org.jpkl.pickle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Opcodes;
import org.jpkl.api.io.AtomicFileOutput;

/**
 * Emits pickle opcodes (protocol 4, no memo, no frames) for the few Python types the JPkl format
 * uses, buffered onto an {@link AtomicFileOutput}. Large bytes payloads are written straight
 * through, never copied into the buffer.
 *
 * <p>Why not Pyrolite's Pickler: it writes protocol 2 only, where a Java {@code byte[]} becomes a
 * {@code bytearray} spelled as latin-1 text (twice the size, and not the {@code bytes} JPkl stores),
 * and its output depends on a JVM-wide registry of custom picklers. The opcodes below are the
 * standard ones Python's own pickler writes for these types.
 *
 * <p>Thread safety: not thread-safe.
 */
final class PickleOutput {
    private static final int BUFFER_BYTES = 1 << 16;

    private final AtomicFileOutput out;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    PickleOutput(AtomicFileOutput out) {
        this.out = out;
    }

    void opcode(short opcode) throws IOException {
        ensure(1);
        buffer.put((byte) opcode);
    }

    void protocol(int protocol) throws IOException {
        ensure(2);
        buffer.put((byte) Opcodes.PROTO).put((byte) protocol);
    }

    void none() throws IOException {
        opcode(Opcodes.NONE);
    }

    void bool(boolean value) throws IOException {
        opcode(value ? Opcodes.NEWTRUE : Opcodes.NEWFALSE);
    }

    void integer(long value) throws IOException {
        ensure(10);
        if (value >= 0 && value <= 0xFF) {
            buffer.put((byte) Opcodes.BININT1).put((byte) value);
        } else if (value >= 0 && value <= 0xFFFF) {
            buffer.put((byte) Opcodes.BININT2).putShort((short) value);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            buffer.put((byte) Opcodes.BININT).putInt((int) value);
        } else {
            byte[] twosComplement = java.math.BigInteger.valueOf(value).toByteArray();
            buffer.put((byte) Opcodes.LONG1).put((byte) twosComplement.length);
            for (int i = twosComplement.length - 1; i >= 0; i--) {
                buffer.put(twosComplement[i]);
            }
        }
    }

    void floating(double value) throws IOException {
        ensure(9);
        buffer.put((byte) Opcodes.BINFLOAT).order(ByteOrder.BIG_ENDIAN).putDouble(value).order(ByteOrder.LITTLE_ENDIAN);
    }

    void string(String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length < 256) {
            ensure(2);
            buffer.put((byte) Opcodes.SHORT_BINUNICODE).put((byte) utf8.length);
        } else {
            ensure(5);
            buffer.put((byte) Opcodes.BINUNICODE).putInt(utf8.length);
        }
        raw(ByteBuffer.wrap(utf8));
    }

    /** A bytes object with the remaining bytes of {@code payload} (consumed). */
    void bytes(ByteBuffer payload) throws IOException {
        int n = payload.remaining();
        if (n < 256) {
            ensure(2);
            buffer.put((byte) Opcodes.SHORT_BINBYTES).put((byte) n);
        } else {
            ensure(5);
            buffer.put((byte) Opcodes.BINBYTES).putInt(n);
        }
        raw(payload);
    }

    /** A tuple of ints. */
    void intTuple(int[] items) throws IOException {
        if (items.length == 0) {
            opcode(Opcodes.EMPTY_TUPLE);
            return;
        }
        if (items.length > 3) {
            opcode(Opcodes.MARK);
        }
        for (int item : items) {
            integer(item);
        }
        switch (items.length) {
            case 1:
                opcode(Opcodes.TUPLE1);
                break;
            case 2:
                opcode(Opcodes.TUPLE2);
                break;
            case 3:
                opcode(Opcodes.TUPLE3);
                break;
            default:
                opcode(Opcodes.TUPLE);
        }
    }

    /**
     * A JSON-compatible value as its Python equivalent: null, Boolean, integral Number, other Number,
     * String, List, Map with String keys (as normalised by {@link org.jpkl.api.Metadata}).
     */
    void value(Object v) throws IOException {
        if (v == null) {
            none();
        } else if (v instanceof Boolean) {
            bool((Boolean) v);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof Number) {
            floating(((Number) v).doubleValue());
        } else if (v instanceof String) {
            string((String) v);
        } else if (v instanceof List) {
            opcode(Opcodes.EMPTY_LIST);
            List<?> list = (List<?>) v;
            if (!list.isEmpty()) {
                opcode(Opcodes.MARK);
                for (Object item : list) {
                    value(item);
                }
                opcode(Opcodes.APPENDS);
            }
        } else if (v instanceof Map) {
            opcode(Opcodes.EMPTY_DICT);
            Map<?, ?> map = (Map<?, ?>) v;
            if (!map.isEmpty()) {
                opcode(Opcodes.MARK);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    string((String) e.getKey());
                    value(e.getValue());
                }
                opcode(Opcodes.SETITEMS);
            }
        } else {
            throw new IllegalArgumentException("a " + v.getClass().getName() + " has no JPkl pickle form");
        }
    }

    /** Writes the buffered opcodes out. */
    void flush() throws IOException {
        buffer.flip();
        out.write(buffer);
        buffer.clear();
    }

    private void raw(ByteBuffer payload) throws IOException {
        if (payload.remaining() <= buffer.remaining()) {
            buffer.put(payload);
            return;
        }
        flush();
        if (payload.remaining() <= buffer.remaining() / 4) {
            buffer.put(payload);
        } else {
            out.write(payload);
        }
    }

    private void ensure(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }
}
