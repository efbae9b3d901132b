/**
 * Multi-page TIFF stacks in and out of jpkl arrays ({@link org.jpkl.tiff.TiffStacks}): import page by
 * page (ImageJ hyperstacks, BigTIFF; pages of a tiled container one tile row at a time through
 * {@link org.jpkl.tiff.PageRows}, so a page larger than memory imports), export any selection as a
 * TIFF ImageJ/Fiji open. Input images (PNG, JPEG, TIFF) are read through
 * {@link org.jpkl.tiff.ImagePages}, which refuses truncated, damaged and oversized images instead of
 * inventing pixels; {@link org.jpkl.tiff.PageAxes} maps a
 * file's pages to key axes (ImageJ's frames, slices, channels).
 *
 * <p>Audience: public API for programs and the command line ({@code TiffStacks}, {@code ImagePages},
 * {@code PageAxes}, {@code PageRows}, {@code RasterPlanes} and the option classes); page writing and
 * ImageJ metadata parsing are internal.
 *
 * <p>Conventions: one page in memory at a time, in and out (one tile row of a page into a tiled
 * container); options are immutable; readers and writers are one thread at a time and closed by
 * whoever opened them; exports are written to a temporary file and renamed on success.
 */
package org.jpkl.tiff;
