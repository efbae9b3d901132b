package org.jpkl.compare;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one codec did with one array: size, accuracy and speed.
 *
 * <p>Units: sizes in bytes; throughputs in MB/s of <em>raw</em> (uncompressed) sample bytes, where
 * 1 MB = 10<sup>6</sup> bytes, so that codecs are compared on the work they do for the user, not on
 * their output size; latencies in milliseconds. Throughputs are medians ({@link Samples#median()})
 * over the comparison's repeats, measured after its warm-up passes by {@link Stopwatch}.
 *
 * <p>Thread safety: immutable.
 *
 * @param storedParams every codec parameter as stored in the saved file, defaults included
 * @param exact whether the array read back from the saved file is bit-identical to the input
 * @param compressedBytes size of the saved file (encoded slices plus the container's header and index)
 * @param payloadBytes sum of the encoded slices' sizes (no container overhead)
 * @param ratio raw bytes / {@code compressedBytes}
 * @param maxAbsError {@link org.jpkl.api.ErrorMetrics#maxAbsError()} of the read-back array
 *     against the input: 0 when exact, +Infinity if a NaN or infinity was not kept
 * @param maxAbsErrorOverStd {@code maxAbsError} divided by the input's standard deviation
 *     ({@link InputStatistics#std()}): how large the worst error is against the data's own spread
 *     (0 when exact; +Infinity or NaN for flat data with an error)
 * @param psnr {@link org.jpkl.api.ErrorMetrics#psnr(double) peak signal-to-noise ratio} in dB
 *     over the finite values, with the input's data range (max - min,
 *     {@link ComparisonReport#psnrPeak()}) as the peak; +Infinity when there is no error, NaN
 *     when the data are flat
 * @param psnrDtypePeak the same with the dtype's range as the peak
 *     ({@link org.jpkl.api.ErrorMetrics#dtypePeak}: 255, 65535, ...), as tools that assume
 *     full-range data report it; NaN for float dtypes; always {@code >= psnr}
 * @param encodeMBps the codec's encoder alone on one thread (no file I/O, planes already extracted)
 * @param decodeMBps the codec's decoder alone on one thread (encoded bytes already in memory)
 * @param saveMBps {@code Jpkl.save} end to end: parameter binding, parallel encoding, writing and
 *     forcing the file to disk
 * @param loadMBps one {@code get} of the whole array from the freshly opened file: reading and
 *     parallel decoding (the file is usually in the OS cache, having just been written)
 * @param sliceReadMillis median time of one {@code get} of a single random plane from the freshly
 *     opened file; NaN when no slice reads were asked for
 */
public record CodecMeasurement(Map<String, String> storedParams, boolean exact, long compressedBytes, long payloadBytes,
                               double ratio, double maxAbsError, double maxAbsErrorOverStd, double psnr,
                               double psnrDtypePeak, double encodeMBps, double decodeMBps,
                               double saveMBps, double loadMBps, double sliceReadMillis) {
    /** Copies {@code storedParams}, keeping its order. */
    public CodecMeasurement {
        storedParams = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(storedParams, "storedParams")));
    }
}
