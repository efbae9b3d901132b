/**
 * Multi-page TIFF stacks in and out of jpkl arrays ({@link org.jpkl.tiff.TiffStacks}): import page by
 * page (ImageJ hyperstacks, BigTIFF), export any selection as a TIFF ImageJ/Fiji open. Input images
 * (PNG, JPEG, TIFF) are read through {@link org.jpkl.tiff.ImagePages}, which refuses truncated,
 * damaged and oversized images instead of inventing pixels; {@link org.jpkl.tiff.PageAxes} maps a
 * file's pages to key axes (ImageJ's frames, slices, channels).
 */
package org.jpkl.tiff;
