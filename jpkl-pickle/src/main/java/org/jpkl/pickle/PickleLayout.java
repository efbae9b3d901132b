package org.jpkl.pickle;

import java.util.LinkedHashMap;
import java.util.Map;

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
    static final String SUBSAMPLING = "subsampling";

    /** The protocol the writer uses: 4 (Python 3.4 and later load it). */
    static final int WRITE_PROTOCOL = 4;

    private PickleLayout() {
    }

    /**
     * The {@code jpeg} codec parameters a JPkl pickle stands for: the stored quality, the subsampling
     * seen in the first slice (grey planes have none; the codec's default is given), and the codec's
     * defaults for the parameters that only matter for non-uint8 planes. They are given in full so
     * that {@code Jpkl.convert} recognises a copy to the same codec and quality (it compares full
     * parameter maps). A colour subsampling the codec cannot name (e.g. 4:2:2) is left out.
     */
    static Map<String, String> codecParams(int quality, boolean color, String subsampling) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(QUALITY, Integer.toString(quality));
        if (!color) {
            params.put(SUBSAMPLING, "420");
        } else if (subsampling != null) {
            params.put(SUBSAMPLING, subsampling);
        }
        params.put("window", "slice");
        params.put("transfer", "linear");
        return params;
    }
}
