/** NumPy {@code .npy} files: header, writer and the dtype mapping ({@code org.jpkl.npy}). */
module org.jpkl.npy {
    requires transitive org.jpkl.api;

    exports org.jpkl.npy;
}
