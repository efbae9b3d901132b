/**
 * Building blocks for {@link org.jpkl.api.spi.ContainerSerializer} implementations, so that each
 * serializer writes only what its file layout needs: {@link org.jpkl.api.spi.support.AbstractContainerReader}
 * (closed state, slice-number checks, checked and unchecked reads, consistent messages) and
 * {@link org.jpkl.api.spi.support.SliceSlots} (which slices a writer has written, once each, all before
 * commit); and for codecs built on a native library, {@link org.jpkl.api.spi.support.LazyNativeLibrary}
 * (bound on first use, availability with the reason, one log line naming the library) and
 * {@link org.jpkl.api.spi.support.NativeSliceFrame} (the checked frame around the library's stream).
 *
 * <p>Audience: serializer and codec authors (the built-in ones use them too); optional, not part of the
 * SPI contract itself.
 *
 * <p>Conventions: the reader base is safe for concurrent slice reads and asks the same of its
 * subclasses; {@code SliceSlots}, like the writers using it, is one thread at a time.
 */
package org.jpkl.api.spi.support;
