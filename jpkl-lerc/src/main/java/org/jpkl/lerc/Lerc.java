package org.jpkl.lerc;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import org.jpkl.api.DType;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.spi.support.LazyNativeLibrary;

/**
 * Esri's LERC C API ({@code Lerc_c_api.h} of LERC 4, {@code libLerc.so.4}, Debian package
 * {@code liblerc4}), the functions this codec calls, bound with JNA's interface mapping as
 * jpkl-zfp binds libzfp (one binding per codec instance, no JVM-wide state).
 *
 * <p>Thread safety: LERC's C functions are reentrant; they keep no state between calls.
 */
final class Lerc {
    /** The library name JNA looks up by default (it finds {@code libLerc.so.4} without the -dev package). */
    static final String DEFAULT_LIBRARY = "Lerc";
    /** LERC's data type code dt_int, used for float32 planes stored as their bits (see {@link LercCodec}). */
    static final int DT_INT = 4;
    /** Frame mode bit: the plane has a validity mask. */
    static final int MODE_MASK = 1;
    /** Frame mode bit: a float32 plane stored losslessly as its int32 bit patterns. */
    static final int MODE_FLOAT_BITS = 2;
    /** Entries of {@code lerc_getBlobInfo}'s info array read here. */
    static final int INFO_SIZE = 9;

    private Lerc() {
    }

    /** The functions called; names and signatures as in Lerc_c_api.h of LERC 4.0 ({@code lerc_status} is an unsigned int, 0 = ok). */
    interface Api extends Library {
        int lerc_computeCompressedSize(Pointer data, int dataType, int nDepth, int nCols, int nRows, int nBands, int nMasks,
                Pointer validBytes, double maxZErr, IntByReference numBytes);

        int lerc_encode(Pointer data, int dataType, int nDepth, int nCols, int nRows, int nBands, int nMasks, Pointer validBytes,
                double maxZErr, Pointer outBuffer, int outBufferSize, IntByReference nBytesWritten);

        int lerc_getBlobInfo(Pointer blob, int blobSize, int[] infoArray, double[] dataRangeArray, int infoArraySize,
                int dataRangeArraySize);

        int lerc_decode(Pointer blob, int blobSize, int nMasks, Pointer validBytes, int nDepth, int nCols, int nRows, int nBands,
                int dataType, Pointer data);
    }

    /** LERC's data type code of a dtype (dt_uchar 1, dt_short 2, dt_ushort 3, dt_int 4, dt_float 6, dt_double 7). */
    static int dataType(DType dtype) {
        switch (dtype) {
            case UINT8:
                return 1;
            case INT16:
                return 2;
            case UINT16:
                return 3;
            case INT32:
                return 4;
            case FLOAT32:
                return 6;
            default:
                return 7;
        }
    }

    /** Copies the plane's samples into native memory, bit for bit. */
    static void put(Memory to, PlaneBuffer plane) {
        int n = plane.spec().sampleCount();
        switch (plane.spec().dtype()) {
            case UINT8:
                to.write(0, plane.bytes(), plane.offset(), n);
                break;
            case UINT16:
            case INT16:
                to.write(0, plane.shorts(), plane.offset(), n);
                break;
            case INT32:
                to.write(0, plane.ints(), plane.offset(), n);
                break;
            case FLOAT32:
                to.write(0, plane.floats(), plane.offset(), n);
                break;
            default:
                to.write(0, plane.doubles(), plane.offset(), n);
                break;
        }
    }

    /** Copies samples from native memory into the plane, bit for bit. */
    static void get(Memory from, PlaneBuffer plane) {
        int n = plane.spec().sampleCount();
        switch (plane.spec().dtype()) {
            case UINT8:
                from.read(0, plane.bytes(), plane.offset(), n);
                break;
            case UINT16:
            case INT16:
                from.read(0, plane.shorts(), plane.offset(), n);
                break;
            case INT32:
                from.read(0, plane.ints(), plane.offset(), n);
                break;
            case FLOAT32:
                from.read(0, plane.floats(), plane.offset(), n);
                break;
            default:
                from.read(0, plane.doubles(), plane.offset(), n);
                break;
        }
    }

    /**
     * Loads and binds {@code library}, then encodes and inspects a 1x1 plane to check it works; the
     * description names the LERC blob version it writes and the file.
     *
     * @throws UnsatisfiedLinkError if it cannot be loaded, lacks a function or fails the probe
     */
    static LazyNativeLibrary.Bound<Api> bind(String library) {
        NativeLibrary lib = NativeLibrary.getInstance(library);
        Api api = Native.load(library, Api.class);
        for (String f : new String[] {"lerc_computeCompressedSize", "lerc_encode", "lerc_getBlobInfo", "lerc_decode"}) {
            lib.getFunction(f); // an UnsatisfiedLinkError now rather than at the first plane
        }
        int version;
        try (Memory one = new Memory(1); Memory out = new Memory(1024)) {
            one.setByte(0, (byte) 7);
            IntByReference written = new IntByReference();
            int status = api.lerc_encode(one, 1, 1, 1, 1, 1, 0, null, 0, out, 1024, written);
            int[] info = new int[INFO_SIZE];
            if (status != 0 || api.lerc_getBlobInfo(out, written.getValue(), info, new double[3], INFO_SIZE, 3) != 0) {
                throw new UnsatisfiedLinkError(library + " loaded, but encoding a 1x1 plane failed (status " + status + ")");
            }
            version = info[0];
        }
        if (version < 3) {
            throw new UnsatisfiedLinkError(library + " writes LERC version " + version + " blobs; LERC 4 (liblerc4) is needed");
        }
        String file = lib.getFile() == null ? lib.getName() : lib.getFile().getPath();
        return new LazyNativeLibrary.Bound<>(api, "LERC (blob version " + version + ") via JNA " + Native.VERSION + " (" + file + ")");
    }
}
