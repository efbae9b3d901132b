package org.jpkl.pickle;

/**
 * A Python {@code bytes} object that the unpickler left in the file: where its payload starts and
 * how long it is. Slices are read from there on demand, so opening a pickle reads none of them.
 *
 * <p>Thread safety: immutable.
 *
 * @param offset absolute file offset of the first payload byte
 * @param length payload length in bytes
 */
record StoredBytes(long offset, long length) {
}
