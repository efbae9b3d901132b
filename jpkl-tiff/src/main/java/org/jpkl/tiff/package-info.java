/**
 * Multi-page TIFF stacks in and out of jpkl arrays ({@link org.jpkl.tiff.TiffStacks}): import page by
 * page (ImageJ hyperstacks, BigTIFF), export any selection as a TIFF ImageJ/Fiji opens.
 */
package org.jpkl.tiff;
