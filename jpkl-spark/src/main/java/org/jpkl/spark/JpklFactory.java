package org.jpkl.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.jpkl.Jpkl;
import org.jpkl.api.spi.ProviderOptions;

/**
 * Makes the {@link Jpkl} a Spark task (or the driver) works with: the {@code Jpkl} itself is not
 * serializable, so this recipe travels with the tasks instead, and each task builds its own from
 * the codecs and serializers on the executor's class path. For example
 * {@code () -> Jpkl.builder().parallelism(1).providerOption("jpeg.backend", "imageio").build()}
 * (a lambda assigned to this type is serializable when what it captures is).
 *
 * <p>Thread safety: implementations must be safe to call from several task threads at once.
 */
@FunctionalInterface
public interface JpklFactory extends Serializable {
    /** A new {@link Jpkl}. */
    Jpkl create();

    /**
     * The default: the class path's providers, one thread per task, since Spark already runs one
     * task per core ({@code spark.task.cpus} 1); more threads per task would only oversubscribe the cores.
     */
    static JpklFactory oneThreadPerTask() {
        return () -> Jpkl.builder().parallelism(1).build();
    }

    /**
     * As {@link #oneThreadPerTask()}, with these storage options (e.g. {@code s3.endpoint},
     * {@code s3.region}; {@link Jpkl.Builder#storageOption}) given to every {@code Jpkl} it makes, on
     * the driver and on every executor, so that inputs and target on an S3-compatible store are
     * reached the same way everywhere. The map is copied; its keys are checked here.
     *
     * @throws IllegalArgumentException for a key that is not of the form {@code namespace.name}
     */
    static JpklFactory oneThreadPerTask(Map<String, String> storageOptions) {
        TreeMap<String, String> options = new TreeMap<>(ProviderOptions.of(storageOptions).toMap());
        return () -> {
            Jpkl.Builder b = Jpkl.builder().parallelism(1);
            options.forEach(b::storageOption);
            return b.build();
        };
    }
}
