package org.jpkl;

import java.nio.file.Path;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.testing.IdentityCodec;

/**
 * Run in a separate JVM by {@link ReliabilityTest}: saves a generated uint8 array filled with one
 * value to a path, {@code times} times. Exit 0 when every save succeeded, 3 with the message on
 * stdout when one failed.
 *
 * <p>Usage: {@code ForkedSave PATH VALUE PLANES TIMES}.
 */
public final class ForkedSave {
    private ForkedSave() {
    }

    /** See the class comment. */
    public static void main(String[] args) {
        Path target = Path.of(args[0]);
        int value = Integer.parseInt(args[1]);
        int planes = Integer.parseInt(args[2]);
        int times = Integer.parseInt(args[3]);
        Jpkl jpkl = Jpkl.of(SliceCodecs.of(new IdentityCodec()), ContainerSerializers.load());
        NdArray array = NdArray.generate(DType.UINT8, new int[] {64, 64, planes}, i -> value);
        try {
            for (int t = 0; t < times; t++) {
                jpkl.save(array, target, WriteOptions.builder().codec(IdentityCodec.ID).metadata("writer", value).build());
            }
        } catch (Exception e) {
            System.out.println("save failed: " + e);
            System.exit(3);
        }
    }
}
