package org.jpkl.cli.input;

import java.util.List;
import java.util.Map;
import org.jpkl.api.DType;
import org.jpkl.api.KeySpace;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneBuffer;
import org.jpkl.api.PlaneLayout;
import org.jpkl.api.Shapes;
import org.jpkl.npy.NumpyType;
import org.jpkl.compare.SampleStacks;

/**
 * {@code sample:H,W,K...[:DTYPE]}: a generated fluorescence-microscopy-like stack in JPkl's layout
 * ({@link SampleStacks#microscopy}, seed 1), to try the tools without data. The spec gives the plane
 * first, so without {@code --axes} the plane is axes 0 and 1 (unlike {@code .npy} and raw input,
 * which take NumPy's order); {@code DTYPE} is any spelling {@link org.jpkl.npy.NumpyType} takes. It is generated in
 * memory (at most 2^31 elements), unlike file inputs, which are streamed.
 *
 * <p>Thread safety: not thread-safe.
 */
final class SampleInput extends ArrayInput {
    private final NdArray array;

    SampleInput(NdArray array, Axes.Resolved axes) {
        super(axes, "generated sample stack " + Shapes.format(array.shape()) + " " + array.dtype(),
                Map.of("source", "jpkl sample stack (generated, seed 1)"));
        this.array = array;
        new KeySpace(array.shape(), axes.layout());
    }

    /**
     * Parses the spec and generates the stack.
     *
     * @throws org.jpkl.cli.CliException (usage) for a bad spec, or --axes that do not keep y, x first
     */
    static SampleInput parse(String spec, List<String> names, String rgbAxis) {
        String body = spec.substring("sample:".length());
        int colon = body.indexOf(':');
        DType dtype;
        try {
            dtype = colon < 0 ? DType.UINT8 : NumpyType.parse(body.substring(colon + 1)).dtype();
        } catch (IllegalArgumentException e) {
            throw org.jpkl.cli.CliException.usage(spec + ": " + e.getMessage(), e);
        }
        int[] shape = StackInputs.parseShape(colon < 0 ? body : body.substring(0, colon), spec);
        Axes.Resolved axes = Axes.forArray(names, shape, rgbAxis);
        if (!axes.layout().equals(PlaneLayout.jpkl(false))) {
            throw org.jpkl.cli.CliException.usage(spec + ": a sample stack is grey with y, x as its first two axes (JPkl's layout);"
                    + " --axes may name the others, e.g. y,x,z,t");
        }
        int[] keys = java.util.Arrays.copyOfRange(shape, 2, shape.length);
        NdArray array;
        try {
            array = SampleStacks.microscopy(dtype, 1, shape[0], shape[1], keys);
        } catch (IllegalArgumentException e) {
            throw org.jpkl.cli.CliException.usage(spec + ": " + e.getMessage(), e);
        }
        return new SampleInput(array, axes);
    }

    @Override
    public int[] shape() {
        return array.shape();
    }

    @Override
    public DType dtype() {
        return array.dtype();
    }

    @Override
    public long memoryBound() {
        return array.byteSize();
    }

    @Override
    public String readingStrategy() {
        return "generated in memory";
    }

    @Override
    public void readPlanes(PlaneSink sink) throws java.io.IOException {
        PlaneBuffer plane = PlaneBuffer.allocate(planeSpec());
        long count = sliceCount();
        for (long n = 0; n < count; n++) {
            array.copyPlane(layout(), n, plane);
            sink.accept(n, plane);
        }
    }

    @Override
    public void close() {
    }
}
