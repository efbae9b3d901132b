/** Runnable examples of the library's use; it exports no package. */
module org.jpkl.examples {
    requires org.jpkl.core;
    requires org.jpkl.npy;
}
