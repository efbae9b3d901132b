/**
 * What {@code jpkl encode} and {@code jpkl compare} read: {@link org.jpkl.cli.input.StackInputs} opens
 * an input ({@code .npy}, raw binary, PNG/JPEG/TIFF images or folders of them, multi-page TIFF,
 * generated {@code sample:} stacks, standard input) as a {@link org.jpkl.cli.input.StackInput} that
 * yields one plane at a time, and {@link org.jpkl.cli.input.Axes} maps it to a plane layout.
 *
 * <p>Audience: internal to the command line.
 *
 * <p>Conventions: inputs are read plane by plane with a stated memory bound, never loaded whole
 * (except generated samples); an input is one reader thread and is closed by whoever opened it. Bad
 * or truncated data is a {@link org.jpkl.cli.CliException} data error naming the file and what was
 * expected; nothing is converted or padded silently.
 */
package org.jpkl.cli.input;
