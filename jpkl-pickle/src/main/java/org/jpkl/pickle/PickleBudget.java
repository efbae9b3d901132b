package org.jpkl.pickle;

/**
 * The work one pickle may cause, tied to its file size: a pickle can refer to one object many
 * times (memo GET, DUP), so a few kilobytes can stand for a structure of 2^100 nodes, and a few
 * bytes ({@code GET n; REDUCE}) can ask for a megabyte each. Every object the unpickler creates
 * and every node a later walk visits (shared ones once per visit) counts as a <em>node</em>; every
 * string or bytes object created, and every string a walk copies out, counts its length in
 * <em>bytes</em>. A parse that would pass either limit is refused.
 *
 * <p>Limits: nodes at most {@value #FREE_NODES} + {@value #NODES_PER_FILE_BYTE} per file byte,
 * and never more than {@value #MAX_NODES}; bytes at most {@value #FREE_BYTES} +
 * {@value #BYTES_PER_FILE_BYTE} per file byte, and never more than {@value #MAX_BYTES}. An honest
 * pickle needs about one node per opcode and at most two bytes per file byte (protocols 0 to 2
 * spell each bytes object as text, which is then converted), so the limits refuse only
 * structures that expand.
 *
 * <p>Thread safety: not thread-safe; one instance per parse.
 */
final class PickleBudget {
    /** Nodes every pickle may use whatever its size. */
    static final long FREE_NODES = 100_000;
    /** Nodes allowed per byte of the file. */
    static final long NODES_PER_FILE_BYTE = 4;
    /** Nodes no pickle may exceed. */
    static final long MAX_NODES = 50_000_000;
    /** Bytes every pickle may materialise whatever its size. */
    static final long FREE_BYTES = 1 << 20;
    /** Bytes allowed per byte of the file. */
    static final long BYTES_PER_FILE_BYTE = 3;
    /** Bytes no pickle may exceed (2 GiB). */
    static final long MAX_BYTES = 2L << 30;

    private final long fileSize;
    private final long nodeLimit;
    private final long byteLimit;
    private long nodes;
    private long bytes;

    private PickleBudget(long fileSize, long nodeLimit, long byteLimit) {
        this.fileSize = fileSize;
        this.nodeLimit = nodeLimit;
        this.byteLimit = byteLimit;
    }

    /** The budget of a pickle of {@code fileSize} bytes. */
    static PickleBudget forFile(long fileSize) {
        long size = Math.max(0, fileSize);
        long nodeLimit = size > (MAX_NODES - FREE_NODES) / NODES_PER_FILE_BYTE ? MAX_NODES
                : FREE_NODES + NODES_PER_FILE_BYTE * size;
        long byteLimit = size > (MAX_BYTES - FREE_BYTES) / BYTES_PER_FILE_BYTE ? MAX_BYTES
                : FREE_BYTES + BYTES_PER_FILE_BYTE * size;
        return new PickleBudget(size, nodeLimit, byteLimit);
    }

    /**
     * Counts {@code n} more nodes.
     *
     * @return null when within the limit, else why not (for the caller's exception)
     */
    String nodes(long n) {
        nodes += n;
        if (nodes > nodeLimit || nodes < 0) {
            return "its objects expand to more than " + nodeLimit + " nodes (the limit for a pickle of " + fileSize
                    + " bytes: " + FREE_NODES + " + " + NODES_PER_FILE_BYTE + " per byte, at most " + MAX_NODES
                    + "); shared references that multiply are refused";
        }
        return null;
    }

    /**
     * Counts {@code n} more bytes of strings or bytes objects.
     *
     * @return null when within the limit, else why not (for the caller's exception)
     */
    String bytes(long n) {
        bytes += n;
        if (bytes > byteLimit || bytes < 0) {
            return "its strings and bytes objects expand to more than " + byteLimit + " bytes (the limit for a pickle of "
                    + fileSize + " bytes: " + FREE_BYTES + " + " + BYTES_PER_FILE_BYTE + " per byte, at most " + MAX_BYTES
                    + "); shared references that multiply are refused";
        }
        return null;
    }

    @Override
    public String toString() {
        return "PickleBudget[" + nodes + "/" + nodeLimit + " nodes, " + bytes + "/" + byteLimit + " bytes]";
    }
}
