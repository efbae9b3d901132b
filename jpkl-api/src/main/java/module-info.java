/**
 * The thin API a codec or serializer author compiles against: the array model ({@code org.jpkl.api}),
 * the service interfaces (codecs, serializers, storage providers) and their registries ({@code org.jpkl.api.spi}), building blocks for
 * serializers ({@code org.jpkl.api.spi.support}) and byte sources and atomic output
 * ({@code org.jpkl.api.io}). No dependencies beyond {@code java.base}.
 *
 * <p>The registries ({@code SliceCodecs.load}, {@code ContainerSerializers.load}) find providers with
 * {@link java.util.ServiceLoader}: modules that {@code provides} them and, for class-path users,
 * {@code META-INF/services} files.
 */
module org.jpkl.api {
    exports org.jpkl.api;
    exports org.jpkl.api.io;
    exports org.jpkl.api.spi;
    exports org.jpkl.api.spi.support;

    uses org.jpkl.api.spi.SliceCodec;
    uses org.jpkl.api.spi.ContainerSerializer;
    uses org.jpkl.api.spi.StorageProvider;
}
