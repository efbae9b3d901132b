/**
 * OME-Zarr export and import: {@link org.jpkl.zarr.OmeZarr} with {@link org.jpkl.zarr.ZarrExportOptions}
 * and {@link org.jpkl.zarr.ZarrImportOptions}; see {@code docs/ZARR.md}.
 */
package org.jpkl.zarr;
