/**
 * Bytes in and out: {@link org.jpkl.api.io.RandomAccessSource} (positional, concurrent reads of a
 * file or of memory, so containers read only the slices a request touches; with a channel view and
 * {@link org.jpkl.api.io.SourceInputStream} for parsers), {@link org.jpkl.api.io.SequentialOutput}
 * (where writers put a container front to back, published on commit), its local form
 * {@link org.jpkl.api.io.AtomicFileOutput} (write to a temporary file, then rename onto the target) and
 * {@link org.jpkl.api.io.TempFolder}, whose leftovers one shutdown hook deletes if the JVM stops
 * first.
 *
 * <p>Audience: public API for serializer authors and for tools that read or write containers.
 *
 * <p>Conventions: a source is shared by concurrent readers and closed by whoever opened it; the
 * buffers a read returns belong to the caller. Streams and outputs are one user at a time. Nothing
 * appears under a target name before {@link org.jpkl.api.io.SequentialOutput#commit()}.
 */
package org.jpkl.api.io;
