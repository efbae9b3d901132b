package org.jpkl.zfp;

import com.sun.jna.Pointer;
import org.jpkl.api.PlaneSpec;

/** zfp's compression modes, with the code stored in a slice's frame. */
enum ZfpMode {
    /** Lossless. */
    REVERSIBLE,
    /** Absolute error bound. */
    ACCURACY,
    /** Bit planes kept. */
    PRECISION,
    /** Bits per value. */
    RATE;

    /** The code stored in a slice's frame. */
    int code() {
        return ordinal();
    }

    /** The mode of a stored code, or null. */
    static ZfpMode ofCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }

    /**
     * A mode with its parameter (the tolerance, the precision or the rate; 0 for reversible).
     *
     * @param mode the mode
     * @param parameter its parameter
     */
    record Setting(ZfpMode mode, double parameter) {
        /** Whether the parameter is one this codec could have written (a frame may hold anything). */
        boolean valid() {
            switch (mode) {
                case ACCURACY:
                    return parameter >= ZfpCodec.MIN_TOLERANCE && parameter <= ZfpCodec.MAX_TOLERANCE;
                case PRECISION:
                    return parameter >= 1 && parameter <= 64 && parameter == Math.rint(parameter);
                case RATE:
                    return parameter >= ZfpCodec.MIN_RATE && parameter <= ZfpCodec.MAX_RATE;
                default:
                    return parameter == 0;
            }
        }

        /** Whether float32 planes go through zfp's double path ({@link ZfpField}: mode accuracy). */
        boolean wide() {
            return mode == ACCURACY;
        }

        /** Sets this mode on a zfp stream for {@code field} of {@code spec}. */
        void apply(Zfp.Api api, Pointer zfp, ZfpField field, PlaneSpec spec) {
            switch (mode) {
                case ACCURACY:
                    // A wide float32 field: half the tolerance, see ZfpField.
                    api.zfp_stream_set_accuracy(zfp, field.type() == Zfp.TYPE_DOUBLE && spec.dtype() != org.jpkl.api.DType.FLOAT64
                            ? parameter / 2 : parameter);
                    break;
                case PRECISION:
                    api.zfp_stream_set_precision(zfp, (int) parameter);
                    break;
                case RATE:
                    api.zfp_stream_set_rate(zfp, parameter, field.type(), ZfpField.dims(spec), 0);
                    break;
                default:
                    api.zfp_stream_set_reversible(zfp);
                    break;
            }
        }

        @Override
        public String toString() {
            return mode == REVERSIBLE ? "reversible" : mode.name().toLowerCase(java.util.Locale.ROOT) + " " + parameter;
        }
    }
}
