/**
 * The {@code zip} container serializer (one zip entry per slice, the header written by
 * {@code HeaderJson}), a {@code ContainerSerializer} service provider; it exports no package.
 */
module org.jpkl.zip {
    requires org.jpkl.core;
    requires org.apache.commons.compress;

    provides org.jpkl.api.spi.ContainerSerializer with org.jpkl.zip.ZipSerializer;
}
