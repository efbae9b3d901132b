/**
 * OME-Zarr (version 0.4, Zarr v2 format) in and out ({@code org.jpkl.zarr}): export of any container
 * with its resolution levels, import of multiscale datasets written by others (zarr-python, dask,
 * ome-zarr-py), with null, zlib, gzip, zstd and Blosc (lz4, lz4hc, zstd, zlib) chunks.
 */
// zstd-jni and lz4-java have no module descriptor but stable Automatic-Module-Names.
@SuppressWarnings("requires-automatic")
module org.jpkl.zarr {
    requires transitive org.jpkl.core;
    requires com.google.gson;
    requires com.github.luben.zstd_jni;
    requires org.lz4.java;

    exports org.jpkl.zarr;
}
