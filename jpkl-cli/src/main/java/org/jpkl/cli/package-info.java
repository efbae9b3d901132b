/**
 * The {@code jpkl} command line (picocli): {@link org.jpkl.cli.Main} and
 * {@link org.jpkl.cli.JpklCommand} with one class per command ({@code codecs, encode, info, get,
 * convert, compare, verify, view}), the options they share, the error classification behind the exit
 * codes ({@link org.jpkl.cli.CliException}: 2 for bad usage, 1 for bad data; one line on stderr
 * {@code jpkl COMMAND: ...}), plugin jars, progress display and outputs discarded when the JVM is
 * stopped. The user-facing contract (options, output, exit codes, the stable {@code --json} layouts)
 * is docs/CLI.md.
 *
 * <p>Audience: internal to the command line; {@code Main}, {@code JpklCommand}, {@code CliIo} and
 * {@code CliException} are public only so that tests and launchers can run it in-process.
 *
 * <p>Conventions: one command runs on one thread (the library parallelises underneath); all output
 * goes through the {@link org.jpkl.cli.CliIo} of the run, never {@code System.out} directly, and no
 * state survives between runs. Outputs are written to a temporary file and renamed on success.
 */
package org.jpkl.cli;
