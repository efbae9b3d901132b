/**
 * The library: the {@code Jpkl} entry point, readers and writers, parallel decode, the slice cache
 * ({@code org.jpkl}) and the default {@code jpkl} container with its JSON header
 * ({@code org.jpkl.container}).
 *
 * <p>{@code org.jpkl.container} is exported because {@code HeaderJson} is the one way to write and
 * read the JSON header that other serializers (the zip serializer, third-party serializers) store;
 * its only other public type is the {@code JpklFileSerializer} provider.
 */
module org.jpkl.core {
    requires transitive org.jpkl.api;
    requires com.google.gson;

    exports org.jpkl;
    exports org.jpkl.container;

    provides org.jpkl.api.spi.ContainerSerializer with org.jpkl.container.JpklFileSerializer;
}
