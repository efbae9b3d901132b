package org.jpkl.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.SourceInputStream;

/**
 * Pyrolite's {@link Unpickler}, restricted to plain data: it builds dicts, tuples, lists, str,
 * bytes, int, float, bool and None, and refuses every opcode that would name a Python global or
 * call one (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, NEWOBJ, INST, OBJ, persistent ids, extensions,
 * out-of-band buffers), so a pickle that would run code in Python is rejected before anything of it
 * is used. The only globals accepted are the three that protocol 2 needs to spell a bytes object
 * ({@code _codecs.encode(str, 'latin1')}, {@code bytes()}, {@code bytearray(...)}); they are
 * evaluated here as data conversions, never looked up.
 *
 * <p>Differences from the stock unpickler, all for safety or fidelity:
 * <ul>
 *   <li>{@code bytes} payloads are not read: each becomes a {@link StoredBytes} (offset, length) and
 *       the stream skips over it, so slices stay in the file;</li>
 *   <li>every length read from the stream is checked against the bytes left in the file before
 *       anything is allocated;</li>
 *   <li>dicts keep insertion order (as Python's do);</li>
 *   <li>text opcodes of protocol 0 are refused: JPkl pickles are written with protocols 2 to 5.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; one instance per parse.
 */
final class SafeUnpickler extends Unpickler {
    /** The Python types this format is made of, for messages. */
    static final String ALLOWED_TYPES = "dict, tuple, list, str, bytes, int, float, bool and None";

    private static final int MAX_GLOBAL_NAME_BYTES = 256;

    private final SourceInputStream in;
    private final String name;
    private long opcodeOffset;
    private boolean sawProtocol;

    SafeUnpickler(SourceInputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    /** Parses the whole pickle and returns its top-level object. */
    Object loadAll() throws IOException {
        return load(in);
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        opcodeOffset = in.position() - 1;
        if (!sawProtocol && key != Opcodes.PROTO) {
            throw error("the pickle does not start with a PROTO opcode (found " + opcodeName(key)
                    + "); JPkl pickles are written with protocols 2 to 5");
        }
        switch (key) {
            case Opcodes.PROTO: {
                int protocol = readByte();
                if (protocol < 2 || protocol > 5) {
                    throw error("pickle protocol " + protocol + " is not supported; JPkl pickles use protocols 2 to 5");
                }
                sawProtocol = true;
                return NO_RETURN_VALUE;
            }
            case Opcodes.MARK:
            case Opcodes.STOP:
            case Opcodes.POP:
            case Opcodes.POP_MARK:
            case Opcodes.DUP:
            case Opcodes.BININT:
            case Opcodes.BININT1:
            case Opcodes.BININT2:
            case Opcodes.LONG1:
            case Opcodes.NONE:
            case Opcodes.NEWTRUE:
            case Opcodes.NEWFALSE:
            case Opcodes.BINFLOAT:
            case Opcodes.EMPTY_LIST:
            case Opcodes.LIST:
            case Opcodes.APPEND:
            case Opcodes.APPENDS:
            case Opcodes.EMPTY_TUPLE:
            case Opcodes.TUPLE:
            case Opcodes.TUPLE1:
            case Opcodes.TUPLE2:
            case Opcodes.TUPLE3:
            case Opcodes.BINGET:
            case Opcodes.LONG_BINGET:
            case Opcodes.BINPUT:
            case Opcodes.LONG_BINPUT:
            case Opcodes.MEMOIZE:
            case Opcodes.FRAME:
                return super.dispatch(key);
            case Opcodes.EMPTY_DICT:
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            case Opcodes.DICT: {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, stack.pop_all_since_marker());
                stack.add(dict);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEM: {
                Object value = stack.pop();
                Object k = stack.pop();
                targetDict().put(k, value);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS: {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(targetDict(), items);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SHORT_BINBYTES:
                storedBytes(readByte());
                return NO_RETURN_VALUE;
            case Opcodes.BINBYTES:
                storedBytes(readUInt32());
                return NO_RETURN_VALUE;
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                storedBytes(readInt64());
                return NO_RETURN_VALUE;
            case Opcodes.SHORT_BINUNICODE:
                stack.add(utf8(readPayload(readByte())));
                return NO_RETURN_VALUE;
            case Opcodes.BINUNICODE:
                stack.add(utf8(readPayload(readUInt32())));
                return NO_RETURN_VALUE;
            case Opcodes.BINUNICODE8:
                stack.add(utf8(readPayload(readInt64())));
                return NO_RETURN_VALUE;
            case Opcodes.SHORT_BINSTRING:
                stack.add(new String(readPayload(readByte()), StandardCharsets.ISO_8859_1));
                return NO_RETURN_VALUE;
            case Opcodes.BINSTRING:
                stack.add(new String(readPayload(readInt32()), StandardCharsets.ISO_8859_1));
                return NO_RETURN_VALUE;
            case Opcodes.LONG4:
                stack.add(PickleUtils.decode_long(readPayload(readInt32())));
                return NO_RETURN_VALUE;
            case Opcodes.GLOBAL: {
                String module = readNameLine();
                String global = readNameLine();
                stack.add(resolveGlobal(module, global));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object global = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String) || !(global instanceof String)) {
                    throw error("STACK_GLOBAL needs two strings (module and name) on the stack");
                }
                stack.add(resolveGlobal((String) module, (String) global));
                return NO_RETURN_VALUE;
            }
            case Opcodes.REDUCE: {
                Object args = stack.pop();
                Object callable = stack.pop();
                if (!(callable instanceof BytesGlobal) || !(args instanceof Object[])) {
                    throw error("opcode REDUCE calls a Python object; a JPkl pickle holds only " + ALLOWED_TYPES);
                }
                stack.add(((BytesGlobal) callable).construct((Object[]) args, this));
                return NO_RETURN_VALUE;
            }
            default:
                throw refuse(key);
        }
    }

    private Map<Object, Object> targetDict() throws JpklFormatException {
        Object target = stack.peek();
        if (!(target instanceof Map)) {
            throw error("SETITEM(S) applied to a " + describe(target) + ", not a dict");
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> dict = (Map<Object, Object>) target;
        return dict;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) throws JpklFormatException {
        if (items.size() % 2 != 0) {
            throw error("a dict needs key/value pairs; found an odd number (" + items.size() + ") of items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
    }

    private void storedBytes(long length) throws IOException {
        checkLength(length, "bytes object");
        stack.add(new StoredBytes(in.position(), length));
        in.skipFully(length);
    }

    private byte[] readPayload(long length) throws IOException {
        checkLength(length, "string or integer");
        byte[] bytes = new byte[(int) length];
        int done = 0;
        while (done < bytes.length) {
            int n = in.read(bytes, done, bytes.length - done);
            if (n < 0) {
                throw new EOFException(name + ": pickle ends inside a " + length + "-byte value at offset " + opcodeOffset);
            }
            done += n;
        }
        return bytes;
    }

    private void checkLength(long length, String what) throws JpklFormatException {
        if (length < 0 || length > in.remaining()) {
            throw error("a " + what + " of " + Long.toUnsignedString(length) + " bytes runs past the end of the file ("
                    + in.remaining() + " bytes left)");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw error("a " + what + " of " + length + " bytes is larger than one Java array can hold");
        }
    }

    private String utf8(byte[] bytes) throws JpklFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error("a str is not valid UTF-8");
        }
    }

    private String readNameLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(name + ": pickle ends inside the name of a global at offset " + opcodeOffset);
            }
            if (c == '\n') {
                return sb.toString();
            }
            if (c < 0x20 || c > 0x7E || sb.length() >= MAX_GLOBAL_NAME_BYTES) {
                throw error("GLOBAL names a module or attribute that is not short printable ASCII");
            }
            sb.append((char) c);
        }
    }

    private Object resolveGlobal(String module, String global) throws JpklFormatException {
        BytesGlobal allowed = BytesGlobal.find(module, global);
        if (allowed == null) {
            throw error("the pickle refers to the Python global '" + module + "." + global + "'; a JPkl pickle holds only "
                    + ALLOWED_TYPES + ", so it is refused unread (unpickling it in Python could run code)");
        }
        return allowed;
    }

    private JpklFormatException refuse(short key) {
        String what;
        switch (key) {
            case Opcodes.BUILD:
            case Opcodes.NEWOBJ:
            case Opcodes.NEWOBJ_EX:
            case Opcodes.INST:
            case Opcodes.OBJ:
                what = "builds an instance of a Python class";
                break;
            case Opcodes.PERSID:
            case Opcodes.BINPERSID:
                what = "loads a persistent object through the unpickler";
                break;
            case Opcodes.EXT1:
            case Opcodes.EXT2:
            case Opcodes.EXT4:
                what = "names a global through the copyreg extension registry";
                break;
            case Opcodes.NEXT_BUFFER:
            case Opcodes.READONLY_BUFFER:
                what = "refers to an out-of-band buffer";
                break;
            case Opcodes.EMPTY_SET:
            case Opcodes.ADDITEMS:
            case Opcodes.FROZENSET:
                what = "builds a set, which is not part of the format";
                break;
            case Opcodes.INT:
            case Opcodes.LONG:
            case Opcodes.FLOAT:
            case Opcodes.STRING:
            case Opcodes.UNICODE:
            case Opcodes.GET:
            case Opcodes.PUT:
                what = "is a protocol 0 text opcode (JPkl pickles use protocols 2 to 5)";
                break;
            default:
                return error("invalid pickle opcode 0x" + Integer.toHexString(key));
        }
        return error("opcode " + opcodeName(key) + " " + what + "; a JPkl pickle holds only " + ALLOWED_TYPES
                + ", so the file is refused unread (unpickling it in Python could run code)");
    }

    JpklFormatException error(String detail) {
        return new JpklFormatException(name, "pickle opcode at offset " + opcodeOffset, detail);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException(name + ": pickle ends inside the opcode at offset " + opcodeOffset);
        }
        return b;
    }

    private long readUInt32() throws IOException {
        return readInt32() & 0xFFFFFFFFL;
    }

    private int readInt32() throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= readByte() << (8 * i);
        }
        return v;
    }

    private long readInt64() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) readByte() << (8 * i);
        }
        return v;
    }

    static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private static String opcodeName(short key) {
        for (java.lang.reflect.Field f : Opcodes.class.getFields()) {
            try {
                if (f.getType() == short.class && f.getShort(null) == key) {
                    return f.getName();
                }
            } catch (IllegalAccessException e) {
                break;
            }
        }
        return "0x" + Integer.toHexString(key);
    }

    /**
     * The globals that protocol 2 uses to spell a bytes object, evaluated as data conversions.
     * Nothing else is ever resolved.
     */
    enum BytesGlobal {
        /** {@code _codecs.encode(text, 'latin1')}: how protocol 2 writes non-empty bytes. */
        CODECS_ENCODE,
        /** {@code bytes()}: how protocol 2 writes empty bytes. */
        BYTES,
        /** {@code bytearray()}, {@code bytearray(bytes)} or {@code bytearray(text, 'latin-1')}. */
        BYTEARRAY;

        static BytesGlobal find(String module, String global) {
            boolean builtins = module.equals("builtins") || module.equals("__builtin__");
            if (module.equals("_codecs") && global.equals("encode")) {
                return CODECS_ENCODE;
            }
            if (builtins && global.equals("bytes")) {
                return BYTES;
            }
            if (builtins && global.equals("bytearray")) {
                return BYTEARRAY;
            }
            return null;
        }

        Object construct(Object[] args, SafeUnpickler u) throws JpklFormatException {
            if (args.length == 0 && this != CODECS_ENCODE) {
                return new byte[0];
            }
            if (this == BYTEARRAY && args.length == 1 && (args[0] instanceof StoredBytes || args[0] instanceof byte[])) {
                return args[0];
            }
            if (args.length == 2 && args[0] instanceof String && args[1] instanceof String
                    && (args[1].equals("latin1") || args[1].equals("latin-1"))) {
                String text = (String) args[0];
                byte[] bytes = new byte[text.length()];
                for (int i = 0; i < bytes.length; i++) {
                    char c = text.charAt(i);
                    if (c > 0xFF) {
                        throw u.error("a latin-1 bytes literal holds the character U+" + Integer.toHexString(c));
                    }
                    bytes[i] = (byte) c;
                }
                return bytes;
            }
            throw u.error(name().toLowerCase(java.util.Locale.ROOT) + " called with arguments the format does not use");
        }
    }
}
