/**
 * The default serializer, {@link org.jpkl.container.JpklFileSerializer} (id {@code jpkl}): one file
 * of preamble, JSON header, encoded slices, an index of (offset, length, CRC32C) per slice and a
 * fixed-size footer, byte layout in docs/FORMAT.md; and {@link org.jpkl.container.HeaderJson}, the one
 * mapping between a {@link org.jpkl.api.ContainerHeader} and its JSON form, which other serializers
 * that store a JSON header reuse.
 *
 * <p>Audience: the serializer is found through {@link java.util.ServiceLoader} and used through
 * {@code org.jpkl.Jpkl}; {@code HeaderJson} is public for serializer modules. The reader and writer
 * classes are internal.
 *
 * <p>Conventions: the serializer is stateless; its readers serve concurrent slice reads; its writers
 * are one thread at a time. Every size, count and offset read from a file is a {@code long} checked
 * against the file size before anything is allocated.
 */
package org.jpkl.container;
