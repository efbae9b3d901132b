package org.jpkl.pickle;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.razorvine.pickle.Opcodes;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.io.SourceInputStream;

/**
 * A pickle interpreter restricted to plain data: it builds dicts, tuples, lists, str, bytes, int,
 * float, bool and None from pickles of protocols 0 to 5 (the text opcodes of protocols 0 and 1
 * included), and refuses every opcode that would name a Python global or call one (GLOBAL,
 * STACK_GLOBAL, REDUCE, BUILD, NEWOBJ, INST, OBJ, persistent ids, extensions, sets, out-of-band
 * buffers), so a pickle that would run code in Python is rejected before anything of it is used.
 * The only globals accepted are those that protocols 0 to 2 need to spell a bytes object
 * ({@code _codecs.encode(str, 'latin1')}, {@code bytes()}, {@code bytearray(...)}); they are
 * evaluated here as data conversions, never looked up.
 *
 * <p>Beyond Python's own unpickler, for safety:
 * <ul>
 *   <li>{@code bytes} payloads are not read: each becomes a {@link StoredBytes} (offset, length) and
 *       the stream skips over it, so slices stay in the file;</li>
 *   <li>every length read from the stream is checked against the bytes left in the file before
 *       anything is allocated; text lines are as long as the file at most, numbers in text at most
 *       {@value #MAX_INT_DIGITS} digits (Python's own default limit), binary ints at most
 *       {@value #MAX_INT_BYTES} bytes;</li>
 *   <li>the work is bounded by a {@link PickleBudget}: each object created is a node, each string
 *       or bytes object created counts its length (so {@code GET; REDUCE} repeated on one large
 *       memoised string is refused after a few repeats);</li>
 *   <li>dict keys must be hashable as in Python (None, bool, int, float, str, bytes, or tuples of
 *       them); a list or dict key is refused (Python raises "unhashable type"), and checking a tuple
 *       key counts its nodes, so no structure of unbounded size is ever hashed;</li>
 *   <li>dicts keep insertion order (as Python's do); Python 2 {@code str} values (opcodes STRING,
 *       BINSTRING, SHORT_BINSTRING) are read as latin-1 text, like Python 3's
 *       {@code encoding='latin1'}.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; one instance per parse.
 */
final class SafeUnpickler {
    /** The Python types this format is made of, for messages. */
    static final String ALLOWED_TYPES = "dict, tuple, list, str, bytes, int, float, bool and None";
    /** Most digits of an int written as text (Python's {@code sys.int_info.default_max_str_digits}). */
    static final int MAX_INT_DIGITS = 4300;
    /** Most bytes of an int written in binary (LONG1, LONG4). */
    static final int MAX_INT_BYTES = 4096;
    /** Highest pickle protocol (Python 3.8 and later write 5). */
    static final int HIGHEST_PROTOCOL = 5;
    /** Deepest nesting of tuples in a dict key. */
    static final int MAX_KEY_DEPTH = org.jpkl.api.Metadata.MAX_DEPTH;

    private static final int MAX_GLOBAL_NAME_BYTES = 256;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?)");
    private static final Object CONTINUE = new Object();

    private final SourceInputStream in;
    private final String name;
    private final PickleBudget budget;
    private final List<Object> stack = new ArrayList<>();
    /** Stack sizes at each MARK, innermost last. */
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long opcodeOffset;

    SafeUnpickler(SourceInputStream in, String name, PickleBudget budget) {
        this.in = in;
        this.name = name;
        this.budget = budget;
    }

    /** Parses the whole pickle and returns its top-level object. */
    Object loadAll() throws IOException {
        while (true) {
            opcodeOffset = in.position();
            int op = in.read();
            if (op < 0) {
                throw new EOFException(name + ": pickle ends at offset " + opcodeOffset + " without a STOP opcode");
            }
            Object result = dispatch((short) op);
            if (result != CONTINUE) {
                return result;
            }
        }
    }

    private Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.PROTO: {
                int protocol = readByte();
                if (protocol > HIGHEST_PROTOCOL) {
                    throw error("pickle protocol " + protocol + " is not supported; pickles of protocols 0 to "
                            + HIGHEST_PROTOCOL + " are read");
                }
                return CONTINUE;
            }
            case Opcodes.FRAME:
                readInt64();
                return CONTINUE;
            case Opcodes.STOP:
                return pop();
            case Opcodes.MARK:
                marks.add(stack.size());
                return CONTINUE;
            case Opcodes.POP:
                if (stack.size() > markBase()) {
                    pop();
                } else {
                    popMark();
                }
                return CONTINUE;
            case Opcodes.POP_MARK:
                popMark();
                return CONTINUE;
            case Opcodes.DUP:
                push(peek());
                return CONTINUE;

            case Opcodes.NONE:
                push(null);
                return CONTINUE;
            case Opcodes.NEWTRUE:
                push(Boolean.TRUE);
                return CONTINUE;
            case Opcodes.NEWFALSE:
                push(Boolean.FALSE);
                return CONTINUE;
            case Opcodes.INT:
                push(textInt());
                return CONTINUE;
            case Opcodes.LONG:
                push(textLong());
                return CONTINUE;
            case Opcodes.BININT:
                push(readInt32());
                return CONTINUE;
            case Opcodes.BININT1:
                push(readByte());
                return CONTINUE;
            case Opcodes.BININT2:
                push(readByte() | readByte() << 8);
                return CONTINUE;
            case Opcodes.LONG1:
                push(binaryLong(readByte()));
                return CONTINUE;
            case Opcodes.LONG4:
                push(binaryLong(readInt32()));
                return CONTINUE;
            case Opcodes.FLOAT:
                push(textFloat());
                return CONTINUE;
            case Opcodes.BINFLOAT:
                push(Double.longBitsToDouble(Long.reverseBytes(readInt64())));
                return CONTINUE;

            case Opcodes.STRING:
                push(text(escapeDecode(quoted(readLine("STRING", Integer.MAX_VALUE)))));
                return CONTINUE;
            case Opcodes.UNICODE:
                push(text(rawUnicodeEscapeDecode(readLine("UNICODE", Integer.MAX_VALUE))));
                return CONTINUE;
            case Opcodes.SHORT_BINSTRING:
                push(text(new String(readPayload(readByte()), StandardCharsets.ISO_8859_1)));
                return CONTINUE;
            case Opcodes.BINSTRING:
                push(text(new String(readPayload(readInt32()), StandardCharsets.ISO_8859_1)));
                return CONTINUE;
            case Opcodes.SHORT_BINUNICODE:
                push(text(utf8(readPayload(readByte()))));
                return CONTINUE;
            case Opcodes.BINUNICODE:
                push(text(utf8(readPayload(readUInt32()))));
                return CONTINUE;
            case Opcodes.BINUNICODE8:
                push(text(utf8(readPayload(readInt64()))));
                return CONTINUE;
            case Opcodes.SHORT_BINBYTES:
                storedBytes(readByte());
                return CONTINUE;
            case Opcodes.BINBYTES:
                storedBytes(readUInt32());
                return CONTINUE;
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8:
                storedBytes(readInt64());
                return CONTINUE;

            case Opcodes.EMPTY_TUPLE:
                push(new Object[0]);
                return CONTINUE;
            case Opcodes.TUPLE:
                push(popMark().toArray());
                return CONTINUE;
            case Opcodes.TUPLE1:
            case Opcodes.TUPLE2:
            case Opcodes.TUPLE3: {
                int n = key - Opcodes.TUPLE1 + 1;
                Object[] tuple = new Object[n];
                for (int i = n - 1; i >= 0; i--) {
                    tuple[i] = pop();
                }
                push(tuple);
                return CONTINUE;
            }
            case Opcodes.EMPTY_LIST:
                push(new ArrayList<>());
                return CONTINUE;
            case Opcodes.LIST:
                push(new ArrayList<>(popMark()));
                return CONTINUE;
            case Opcodes.APPEND: {
                Object value = pop();
                targetList().add(value);
                return CONTINUE;
            }
            case Opcodes.APPENDS: {
                List<Object> items = popMark();
                targetList().addAll(items);
                return CONTINUE;
            }
            case Opcodes.EMPTY_DICT:
                push(new LinkedHashMap<>());
                return CONTINUE;
            case Opcodes.DICT: {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, popMark());
                push(dict);
                return CONTINUE;
            }
            case Opcodes.SETITEM: {
                Object value = pop();
                Object k = pop();
                put(targetDict(), k, value);
                return CONTINUE;
            }
            case Opcodes.SETITEMS: {
                List<Object> items = popMark();
                putPairs(targetDict(), items);
                return CONTINUE;
            }

            case Opcodes.PUT:
                memo.put(textIndex("PUT"), peek());
                return CONTINUE;
            case Opcodes.BINPUT:
                memo.put((long) readByte(), peek());
                return CONTINUE;
            case Opcodes.LONG_BINPUT:
                memo.put(readUInt32(), peek());
                return CONTINUE;
            case Opcodes.MEMOIZE:
                memo.put((long) memo.size(), peek());
                return CONTINUE;
            case Opcodes.GET:
                push(memoGet(textIndex("GET")));
                return CONTINUE;
            case Opcodes.BINGET:
                push(memoGet(readByte()));
                return CONTINUE;
            case Opcodes.LONG_BINGET:
                push(memoGet(readUInt32()));
                return CONTINUE;

            case Opcodes.GLOBAL: {
                String module = readNameLine();
                String global = readNameLine();
                push(resolveGlobal(module, global));
                return CONTINUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object global = pop();
                Object module = pop();
                if (!(module instanceof String) || !(global instanceof String)) {
                    throw error("STACK_GLOBAL needs two strings (module and name) on the stack");
                }
                push(resolveGlobal((String) module, (String) global));
                return CONTINUE;
            }
            case Opcodes.REDUCE: {
                Object args = pop();
                Object callable = pop();
                if (!(callable instanceof BytesGlobal) || !(args instanceof Object[])) {
                    throw error("opcode REDUCE calls a Python object; a JPkl pickle holds only " + ALLOWED_TYPES);
                }
                push(((BytesGlobal) callable).construct((Object[]) args, this));
                return CONTINUE;
            }
            default:
                throw refuse(key);
        }
    }

    // ---- stack

    private int markBase() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private void push(Object value) throws JpklFormatException {
        String excess = budget.nodes(1);
        if (excess != null) {
            throw error(excess);
        }
        stack.add(value);
    }

    private Object pop() throws JpklFormatException {
        if (stack.size() <= markBase()) {
            throw error("the stack is empty (stack underflow)");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws JpklFormatException {
        if (stack.size() <= markBase()) {
            throw error("the stack is empty (stack underflow)");
        }
        return stack.get(stack.size() - 1);
    }

    /** Removes and returns the items pushed since the innermost MARK, and the MARK. */
    private List<Object> popMark() throws JpklFormatException {
        if (marks.isEmpty()) {
            throw error("no MARK on the stack");
        }
        int base = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(base, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Object memoGet(long index) throws JpklFormatException {
        if (!memo.containsKey(index)) {
            throw error("memo entry " + index + " is read before it is written");
        }
        return memo.get(index);
    }

    private List<Object> targetList() throws JpklFormatException {
        Object target = peek();
        if (!(target instanceof ArrayList)) {
            throw error("APPEND(S) applied to a " + describe(target) + ", not a list");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) target;
        return list;
    }

    private Map<Object, Object> targetDict() throws JpklFormatException {
        Object target = peek();
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
            put(dict, items.get(i), items.get(i + 1));
        }
    }

    private void put(Map<Object, Object> dict, Object key, Object value) throws JpklFormatException {
        checkHashable(key, 0);
        dict.put(key, value);
    }

    /**
     * Refuses keys Python cannot hash (lists, dicts) and tuples nested too deep, counting each node
     * visited (and the bytes of a large int, whose hash is not cached). Tuples are stored by
     * identity, so no key is ever hashed deeply.
     */
    private void checkHashable(Object key, int depth) throws JpklFormatException {
        String excess = budget.nodes(1);
        if (excess != null) {
            throw error(excess);
        }
        if (key instanceof Object[]) {
            if (depth >= MAX_KEY_DEPTH) {
                throw error("a dict key is a tuple nested deeper than " + MAX_KEY_DEPTH + " levels");
            }
            for (Object item : (Object[]) key) {
                checkHashable(item, depth + 1);
            }
        } else if (key instanceof BigInteger) {
            charge(((BigInteger) key).bitLength() / 8);
        } else if (key instanceof List || key instanceof Map || key instanceof BytesGlobal) {
            String type = key instanceof List ? "list" : key instanceof Map ? "dict" : "function";
            throw error("a dict key is a " + type + ", which Python cannot hash (unhashable type: '" + type
                    + "'); keys are None, bool, int, float, str, bytes or tuples of them");
        }
    }

    // ---- payloads

    private void storedBytes(long length) throws IOException {
        checkLength(length, "bytes object");
        push(new StoredBytes(in.position(), length));
        in.skipFully(length);
    }

    /** Counts a string against the byte budget. */
    private String text(String s) throws JpklFormatException {
        charge(s.length());
        return s;
    }

    private void charge(long bytes) throws JpklFormatException {
        String excess = budget.bytes(bytes);
        if (excess != null) {
            throw error(excess);
        }
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

    private Object binaryLong(long length) throws IOException {
        if (length > MAX_INT_BYTES) {
            throw error("an int of " + length + " bytes; a JPkl pickle holds ints of at most " + MAX_INT_BYTES + " bytes");
        }
        byte[] littleEndian = readPayload(length);
        if (littleEndian.length == 0) {
            return 0;
        }
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < bigEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return smallest(new BigInteger(bigEndian));
    }

    /** Integer, Long or BigInteger: the smallest that holds {@code v}. */
    private static Object smallest(BigInteger v) {
        if (v.bitLength() < 32) {
            return v.intValue();
        }
        if (v.bitLength() < 64) {
            return v.longValue();
        }
        return v;
    }

    // ---- text opcodes (protocol 0)

    /**
     * One line of text (without its newline), as latin-1 characters, at most {@code maxLength}
     * bytes long and never past the end of the file.
     */
    private String readLine(String opcode, int maxLength) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(name + ": pickle ends inside the text of opcode " + opcode + " at offset " + opcodeOffset);
            }
            if (c == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= maxLength || line.size() >= Integer.MAX_VALUE - 8) {
                throw error("the text of opcode " + opcode + " is longer than " + maxLength + " bytes");
            }
            line.write(c);
        }
    }

    private Object textInt() throws IOException {
        String line = readLine("INT", MAX_INT_DIGITS + 1);
        if (line.equals("00")) {
            return Boolean.FALSE;
        }
        if (line.equals("01")) {
            return Boolean.TRUE;
        }
        return decimal(line, "INT");
    }

    private Object textLong() throws IOException {
        String line = readLine("LONG", MAX_INT_DIGITS + 2);
        return decimal(line.endsWith("L") ? line.substring(0, line.length() - 1) : line, "LONG");
    }

    private Object decimal(String text, String opcode) throws JpklFormatException {
        if (!DECIMAL.matcher(text).matches() || text.length() > MAX_INT_DIGITS + 1) {
            throw error("opcode " + opcode + " holds '" + shorten(text) + "', not a decimal int of at most " + MAX_INT_DIGITS
                    + " digits");
        }
        return smallest(new BigInteger(text));
    }

    private Double textFloat() throws IOException {
        String line = readLine("FLOAT", 64).strip();
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (!FLOAT.matcher(line).matches()) {
            throw error("opcode FLOAT holds '" + shorten(line) + "', not a decimal float");
        }
        return Double.parseDouble(line);
    }

    private long textIndex(String opcode) throws IOException {
        String line = readLine(opcode, 20);
        if (!DECIMAL.matcher(line).matches() || line.length() > 18) {
            throw error("opcode " + opcode + " holds '" + shorten(line) + "', not a memo index");
        }
        return Long.parseLong(line);
    }

    /** The text between the quotes of a STRING opcode (Python 2's repr of a str). */
    private String quoted(String line) throws JpklFormatException {
        if (line.length() < 2 || line.charAt(0) != line.charAt(line.length() - 1)
                || (line.charAt(0) != '\'' && line.charAt(0) != '"')) {
            throw error("opcode STRING holds text that is not quoted (the pickle is damaged)");
        }
        return line.substring(1, line.length() - 1);
    }

    /** Python's {@code codecs.escape_decode}: backslash escapes of a Python 2 str literal, as latin-1 text. */
    private String escapeDecode(String s) throws JpklFormatException {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= s.length()) {
                throw error("opcode STRING ends with a lone backslash");
            }
            char e = s.charAt(i);
            switch (e) {
                case '\n': break;
                case '\\': out.append('\\'); break;
                case '\'': out.append('\''); break;
                case '"': out.append('"'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 't': out.append('\t'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 'v': out.append('\u000b'); break;
                case 'a': out.append('\u0007'); break;
                case 'x': {
                    int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                    int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw error("opcode STRING holds an invalid \\x escape");
                    }
                    out.append((char) (hi << 4 | lo));
                    i += 2;
                    break;
                }
                default:
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i + 1 < s.length() && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7'; k++) {
                            v = v * 8 + (s.charAt(++i) - '0');
                        }
                        out.append((char) (v & 0xFF));
                    } else {
                        out.append('\\').append(e);
                    }
            }
        }
        return out.toString();
    }

    /**
     * Python's {@code raw-unicode-escape} decoding (opcode UNICODE): latin-1 bytes, except that
     * {@code \\uXXXX} and {@code \\UXXXXXXXX} after an odd number of backslashes are code points.
     */
    private String rawUnicodeEscapeDecode(String s) throws JpklFormatException {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && s.charAt(i) == '\\') {
                out.append('\\');
                i++;
            }
            if (((i - start) & 1) == 0 || i >= s.length() || (s.charAt(i) != 'u' && s.charAt(i) != 'U')) {
                continue;
            }
            out.setLength(out.length() - 1);
            int digits = s.charAt(i) == 'u' ? 4 : 8;
            i++;
            if (i + digits > s.length()) {
                throw error("opcode UNICODE holds a truncated \\" + (digits == 4 ? "uXXXX" : "UXXXXXXXX") + " escape");
            }
            long cp = 0;
            for (int k = 0; k < digits; k++) {
                int d = Character.digit(s.charAt(i + k), 16);
                if (d < 0) {
                    throw error("opcode UNICODE holds an invalid \\" + (digits == 4 ? "u" : "U") + " escape");
                }
                cp = cp << 4 | d;
            }
            if (cp > Character.MAX_CODE_POINT) {
                throw error("opcode UNICODE holds the escape \\U" + s.substring(i, i + digits) + ", beyond U+10FFFF");
            }
            out.appendCodePoint((int) cp);
            i += digits;
        }
        return out.toString();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    // ---- globals

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
            default:
                return error("invalid pickle opcode 0x" + Integer.toHexString(key));
        }
        return error("opcode " + opcodeName(key) + " " + what + "; a JPkl pickle holds only " + ALLOWED_TYPES
                + ", so the file is refused unread (unpickling it in Python could run code)");
    }

    JpklFormatException error(String detail) {
        return new JpklFormatException(name, "pickle opcode at offset " + opcodeOffset, detail);
    }

    // ---- binary fields

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
     * The globals that protocols 0 to 2 use to spell a bytes object, evaluated as data conversions.
     * Nothing else is ever resolved.
     */
    enum BytesGlobal {
        /** {@code _codecs.encode(text, 'latin1')}: how protocols 0 to 2 write non-empty bytes. */
        CODECS_ENCODE,
        /** {@code bytes()}: how protocols 0 to 2 write empty bytes. */
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
                u.charge(text.length());
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
