package org.jpkl.testing;

import java.util.ArrayList;
import java.util.List;
import org.jpkl.api.ContainerHeader;
import org.jpkl.api.Downsampling;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.PlaneSpec;

/** The expected content of a resolution level, computed in memory from the array it halves. */
public final class ReferenceLevels {
    private ReferenceLevels() {
    }

    /** The reference: every plane of {@code array} reduced by {@code d} (plane by plane, in memory). */
    public static NdArray downsampled(NdArray array, PlaneLayout layout, Downsampling d) {
        int[] shape = array.shape();
        KeySpace keys = new KeySpace(shape, layout);
        PlaneSpec spec = new PlaneSpec(array.dtype(), shape[layout.yAxis()], shape[layout.xAxis()], layout.channels());
        List<PlaneBuffer> planes = new ArrayList<>();
        for (long n = 0; n < keys.sliceCount(); n++) {
            PlaneBuffer p = PlaneBuffer.allocate(spec);
            array.copyPlane(layout, n, p);
            planes.add(d.apply(p));
        }
        int[] half = ContainerHeader.halvePlane(shape, layout);
        KeySpace halfKeys = new KeySpace(half, layout);
        int[] keyAxes = halfKeys.keyAxes();
        int samples = layout.channels().samplesPerPixel();
        int hw = half[layout.xAxis()];
        return NdArray.generate(array.dtype(), half, flat -> {
            int[] at = new int[half.length];
            long rest = flat;
            for (int a = half.length - 1; a >= 0; a--) {
                at[a] = (int) (rest % half[a]);
                rest /= half[a];
            }
            int[] key = new int[keyAxes.length];
            for (int i = 0; i < keyAxes.length; i++) {
                key[i] = at[keyAxes[i]];
            }
            PlaneBuffer p = planes.get((int) halfKeys.sliceNumber(key));
            int c = layout.channelAxis().isPresent() ? at[layout.channelAxis().getAsInt()] : 0;
            int i = (at[layout.yAxis()] * hw + at[layout.xAxis()]) * samples + c;
            return p.toNdArray().getDoubleFlat(i);
        });
    }


    /** Level {@code k} of {@code array}: {@link #downsampled} applied {@code k} times. */
    public static NdArray level(NdArray array, PlaneLayout layout, Downsampling d, int k) {
        NdArray out = array;
        for (int i = 0; i < k; i++) {
            out = downsampled(out, layout, d);
        }
        return out;
    }
}
