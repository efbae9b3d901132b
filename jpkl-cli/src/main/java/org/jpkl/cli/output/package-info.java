/**
 * What {@code jpkl get} writes: {@link org.jpkl.cli.output.ArrayOutputs} turns a selection into a
 * {@code .npy}, {@code .raw}, {@code .png} or {@code .tif} file, chosen by the extension, or into bytes
 * on standard output.
 *
 * <p>Audience: internal to the command line.
 *
 * <p>Conventions: stateless; a file appears under its name only when completely written (temporary
 * file, then rename); a selection the chosen file type cannot hold is refused before anything is
 * written, naming the shape, dtype and what the type takes.
 */
package org.jpkl.cli.output;
