/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0 headers): {@link org.jpkl.npy.NpyHeader}
 * parses and writes the header, {@link org.jpkl.npy.NpyWriter} writes an {@link org.jpkl.api.NdArray}
 * as a file {@code numpy.load} reads. The command line's {@code encode} and {@code get} use them; so can
 * any program that exchanges arrays with Python.
 *
 * <p>Audience: public API for programs and tools (the command line uses it); independent of the
 * container code.
 *
 * <p>Conventions: headers and dtypes are immutable values; a header larger than its limit or
 * inconsistent with the file is refused naming the file and the value, never truncated; stateless
 * writers, whose streams belong to the caller.
 */
package org.jpkl.npy;
