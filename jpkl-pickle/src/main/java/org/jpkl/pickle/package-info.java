/**
 * The Python JPkl pickle format as a jpkl container serializer ({@link org.jpkl.pickle.PickleSerializer},
 * id {@code jpkl-pickle}): reads pickles written by Python's JPkl without running them, and writes
 * pickles Python loads.
 *
 * <p><b>Reading.</b> Pickles of every protocol are read, 0 to 5: the text opcodes of protocols 0
 * and 1 (Python 2's default was 0) as well as the binary ones; a file is recognised by content,
 * whatever its extension. Only {@code dict, tuple, list, str, bytes, int, float, bool, None} are
 * built; any other global, call, class, persistent id, extension or set is refused before anything
 * is used. Bytes of protocols 0 to 2 ({@code _codecs.encode(str, 'latin1')}) and Python 2
 * {@code str} values are accepted as the bytes they spell.
 *
 * <p><b>Limits on hostile input.</b> A pickle can name one object many times, so its work is
 * bounded by its size, not only its nesting: at most 100,000 + 4 per file byte objects created or
 * visited while reading (50 million in all, shared objects counted once per visit), at most
 * 1 MiB + 3 per file byte of strings and bytes created or copied (2 GiB in all), nesting at most
 * 64 levels, ints at most 4,300 digits or 4,096 bytes, dict keys hashable values as in Python (no
 * list or dict keys; tuple keys are checked, never hashed deeply). A file over a limit is refused
 * with a {@link org.jpkl.api.JpklFormatException} naming it and the limit.
 *
 * <p><b>Writing.</b> Protocol 4, uint8 JPEG slices in JPkl's layout (height, width, colour on axes
 * 0, 1, 2). A pickle names only the axes after the plane, so plane axes with other names (e.g.
 * {@code y, x, rgb}) read back with the defaults ({@code y, x, c}); that is logged at INFO, not
 * refused. Pickles store no checksums.
 *
 * <p>Audience: the serializer is found through {@link java.util.ServiceLoader} and used through
 * {@code org.jpkl.Jpkl}; everything else in the package is internal.
 *
 * <p>Conventions: the serializer is stateless; a reader parses once on open and then serves
 * concurrent slice reads from recorded offsets; a writer is one thread at a time and writes through
 * a temporary file renamed on commit.
 */
package org.jpkl.pickle;
