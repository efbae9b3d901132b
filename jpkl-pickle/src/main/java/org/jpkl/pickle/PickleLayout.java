package org.jpkl.pickle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jpkl.api.spi.SliceCodec;

/**
 * The names and fixed values of the Python JPkl format: a pickled dict with these keys, in this
 * order (see the format description in this package's documentation).
 */
final class PickleLayout {
    static final String HEADER = "header";
    static final String COLOR = "color";
    static final String JPEG_QUALITY = "jpeg_quality";
    static final String IMAGES = "images";
    static final String DIM_NAMES = "dim_names";
    static final String DIM_SIZES = "dim_sizes";
    static final String METADATA = "metadata";

    /** The first element of the header tuple. */
    static final String MAGIC = "JPkl";
    /** The only format version there is. */
    static final String VERSION = "1";

    /** The codec whose bytes the images dict holds. */
    static final String CODEC = "jpeg";
    /** The codec parameter that {@code jpeg_quality} maps to. */
    static final String QUALITY = "quality";
    /** The codec parameter that the slices' JPEG frames record (read back from the first slice). */
    static final String SUBSAMPLING = "subsampling";

    /** The protocol the writer uses: 4 (Python 3.4 and later load it). */
    static final int WRITE_PROTOCOL = 4;

    private PickleLayout() {
    }

    /**
     * The {@code jpeg} codec parameters a JPkl pickle stands for: what it records (the quality, and
     * the subsampling seen in the first slice of a colour pickle; one the codec cannot name, e.g.
     * 4:2:2, is left out), completed by the codec itself with its defaults for the rest, so that
     * this module never names nor assumes the codec's other parameters. A copy to the same codec and
     * quality is recognised by {@link org.jpkl.api.spi.SliceCodec#encodesAlike}. Without the codec
     * (or if it refuses these), only what the pickle records.
     */
    static Map<String, String> codecParams(Optional<SliceCodec> jpeg, int quality, boolean color, String subsampling) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(QUALITY, Integer.toString(quality));
        if (color && subsampling != null) {
            params.put(SUBSAMPLING, subsampling);
        }
        if (jpeg.isPresent()) {
            try {
                return jpeg.get().params(params).toMap();
            } catch (IllegalArgumentException e) {
                return params;
            }
        }
        return params;
    }
}
