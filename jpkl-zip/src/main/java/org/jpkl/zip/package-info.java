/**
 * The ZIP container serializer ({@link org.jpkl.zip.ZipSerializer}, id {@code zip}): a container
 * as a ZIP archive any zip tool reads, with one stored entry per slice (per tile when planes are
 * tiled: {@code slices/<key>_t<row>_<column>.<ext>}) and a JSON header entry.
 *
 * <p>Audience: the serializer is found through {@link java.util.ServiceLoader} and used through
 * {@code org.jpkl.Jpkl}; reader, writer and entry names are internal.
 *
 * <p>Conventions: the serializer is stateless; readers serve concurrent slice reads; a writer is one
 * thread at a time and writes through a temporary file renamed on commit.
 */
package org.jpkl.zip;
