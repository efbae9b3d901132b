/**
 * The lossy {@code sqrt} codec for photon-counting cameras: samples are quantised into levels whose
 * error is at most a chosen fraction of their photon shot noise (PZF's square-root quantisation,
 * with the integer rounding inside the bound), then predicted from their left and upper neighbours and Huffman coded.
 *
 * <p>Audience: the codec is found through {@link java.util.ServiceLoader} by its id; the public class
 * also states the error bound ({@link org.jpkl.sqrt.SqrtCodec#errorBound}) that tests and users can
 * check. Parameters are declared once in the codec's typed schema ({@code jpkl codecs} lists them).
 *
 * <p>Conventions: the codec is immutable and thread-safe; encoders and decoders are one per thread
 * and keep their scratch buffers. Decoding checks every size against the plane before allocating and
 * writes the destination only after the whole stream checked out.
 */
package org.jpkl.sqrt;
