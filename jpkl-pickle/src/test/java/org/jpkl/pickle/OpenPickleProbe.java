package org.jpkl.pickle;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.api.NdArray;
import org.jpkl.api.testing.HeapUse;

/**
 * Run in a child JVM with a small heap by {@link PickleHeapTest}: opens a pickle (mode
 * {@code jpkl}) or unpickles it with Pyrolite's stock unpickler (mode {@code pyrolite}) and prints
 * the peak heap used.
 */
public final class OpenPickleProbe {
    private OpenPickleProbe() {
    }

    /** Arguments: mode, pickle file. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        long start = System.nanoTime();
        String result;
        if (args[0].equals("jpkl")) {
            try (JpklArray array = Jpkl.create().open(file)) {
                NdArray plane = array.get(":, :, " + (array.shape()[2] / 2));
                result = array + ", read one plane of " + plane.size() + " samples";
            }
        } else {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                Object loaded = new net.razorvine.pickle.Unpickler().load(in);
                result = "Pyrolite loaded a " + loaded.getClass().getSimpleName();
            }
        }
        long peak = HeapUse.peakHeapBytes();
        System.out.println("peakHeapBytes=" + peak + " millis=" + (System.nanoTime() - start) / 1_000_000 + " " + result);
    }
}
