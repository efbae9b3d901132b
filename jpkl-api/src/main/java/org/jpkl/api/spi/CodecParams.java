package org.jpkl.api.spi;

import java.util.Map;

/**
 * A codec's validated, immutable parameters. Each codec has its own implementation (e.g. a record
 * validated in its constructor); the container stores {@link #toMap()} so that a file decodes with
 * exactly the settings it was written with.
 *
 * <p>Contract: {@code codec.params(p.toMap())} equals {@code p} (implement {@code equals} and
 * {@code hashCode}, e.g. with a record); {@link #toMap()} lists every parameter, defaults included,
 * so a file never depends on a later change of defaults.
 *
 * <p>Thread safety: implementations must be immutable.
 */
public interface CodecParams {
    /** The id of the codec these parameters belong to. */
    String codecId();

    /** Every parameter as a string, defaults included; unmodifiable; stored in the container. */
    Map<String, String> toMap();
}
