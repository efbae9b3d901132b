/**
 * The lossless {@code lz4} codec: jpkl-deflate's filters (none, shuffle, delta, bitshuffle), then one
 * LZ4 block per plane after a CRC-32C of the filtered bytes and the block's length, behind the filtered codecs' 16-byte plane
 * header. Found through {@link java.util.ServiceLoader} by its id; nothing here is API.
 *
 * <p>Conventions: the codec is immutable and thread-safe; encoders and decoders are one per thread.
 * Decoding never produces more than the plane's size and writes the destination only after the whole
 * block decompressed to exactly the plane's size and matched its checksum.
 */
package org.jpkl.lz4;
