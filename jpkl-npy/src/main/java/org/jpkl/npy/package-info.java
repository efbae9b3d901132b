/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0 headers) for programs:
 * {@link org.jpkl.npy.NpyHeader} parses and writes the header; {@link org.jpkl.npy.NpyReader} reads
 * the array of a file, a {@link org.jpkl.api.io.RandomAccessSource} or a stream (or a headerless
 * array at an offset) whole, by ranges of the leading index, or plane by plane with bounded memory
 * ({@link org.jpkl.npy.NpyPlanes}), in C or Fortran order and either byte order;
 * {@link org.jpkl.npy.NpyWriter} writes an {@link org.jpkl.api.NdArray} as a file {@code numpy.load}
 * reads (atomically to a path), and {@link org.jpkl.npy.NpyStreamWriter} one larger than memory,
 * piece by piece. {@link org.jpkl.npy.NumpyType} parses NumPy's dtype spellings. The command line's
 * {@code encode}, {@code compare} and {@code get} use them.
 *
 * <p>Audience: public API for programs and tools (the command line uses it); independent of the
 * container code.
 *
 * <p>Conventions: headers and dtypes are immutable values; a header larger than its limit or
 * inconsistent with the file is refused naming the file and the value, never truncated; stateless
 * writers, whose streams belong to the caller.
 */
package org.jpkl.npy;
