package org.jpkl.api;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import java.util.List;
import java.util.Map;
import org.jpkl.api.spi.ParamSchema;
import org.jpkl.api.spi.ParamSpec;
import org.jpkl.api.spi.ParamType;
import org.junit.jupiter.api.Test;

/**
 * The public value types' contracts, checked with Guava's testlib: {@code equals}/{@code hashCode}
 * put exactly the equal values in one group ({@link EqualsTester}), and every public constructor and
 * static factory refuses a null argument with a {@code NullPointerException} ({@link NullPointerTester})
 * instead of accepting it and failing later.
 */
class ValueTypeContractsTest {
    private static ContainerHeader header(String codec, Map<String, ?> metadata) {
        return new ContainerHeader(new int[] {4, 5, 3}, DType.UINT16, PlaneLayout.jpkl(false), List.of("y", "x", "z"), codec,
                Map.of("level", "1"), metadata);
    }

    @Test
    void equalValuesFormOneGroup() {
        new EqualsTester()
                .addEqualityGroup(Index.at(3), Index.at(3))
                .addEqualityGroup(Index.at(-3))
                .addEqualityGroup(Index.range(1, 5), Index.slice(1L, 5L, 1), Index.parse("1:5").get(0))
                .addEqualityGroup(Index.range(1, 5, 2))
                .addEqualityGroup(Index.all(), Index.slice(null, null, 1))
                .addEqualityGroup(Index.ellipsis())
                .addEqualityGroup(Index.newAxis())
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(new PlaneSpec(DType.UINT8, 4, 5, ChannelLayout.GREY), new PlaneSpec(DType.UINT8, 4, 5, ChannelLayout.GREY))
                .addEqualityGroup(new PlaneSpec(DType.UINT8, 5, 4, ChannelLayout.GREY))
                .addEqualityGroup(new PlaneSpec(DType.UINT16, 4, 5, ChannelLayout.GREY))
                .addEqualityGroup(new PlaneSpec(DType.UINT8, 4, 5, ChannelLayout.RGB))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(PlaneLayout.jpkl(false), PlaneLayout.of(0, 1))
                .addEqualityGroup(PlaneLayout.jpkl(true), PlaneLayout.of(0, 1, 2))
                .addEqualityGroup(PlaneLayout.of(2, 3))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(NdArray.wrapUint8(new byte[] {1, 2, 3, 4}, 2, 2), NdArray.wrapUint8(new byte[] {1, 2, 3, 4}, 2, 2))
                .addEqualityGroup(NdArray.wrapUint8(new byte[] {1, 2, 3, 4}, 4, 1))
                .addEqualityGroup(NdArray.wrapUint8(new byte[] {1, 2, 3, 5}, 2, 2))
                .addEqualityGroup(NdArray.wrapUint16(new short[] {1, 2, 3, 4}, 2, 2))
                .addEqualityGroup(NdArray.wrapFloat32(new float[] {Float.NaN}, 1, 1), NdArray.wrapFloat32(new float[] {Float.NaN}, 1, 1))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(ParamSpec.of("level", ParamType.integer(1, 9), "1", "compression level"),
                        ParamSpec.of("level", ParamType.integer(1, 9), " 1", "compression level"))
                .addEqualityGroup(ParamSpec.of("level", ParamType.integer(1, 9), "2", "compression level"))
                .addEqualityGroup(ParamSpec.of("level", ParamType.integer(0, 9), "1", "compression level"))
                .addEqualityGroup(ParamSpec.of("level", ParamType.integer(1, 9), "1", "compression level").bytesUnchanged())
                .addEqualityGroup(ParamSpec.of("level", ParamType.integer(1, 9), "1", "compression level").ignoredFor(DType.UINT8))
                .addEqualityGroup(ParamSpec.of("quality", ParamType.integer(1, 9), "1", "compression level"))
                .testEquals();
        new EqualsTester()
                .addEqualityGroup(header("zstd", Map.of()), header("zstd", Map.of()))
                .addEqualityGroup(header("deflate", Map.of()))
                .addEqualityGroup(header("zstd", Map.of("unit", "um")))
                .addEqualityGroup(header("zstd", Map.of()).withLevels(2), header("zstd", Map.of()).withLevels(1).withLevels(2))
                .addEqualityGroup(header("zstd", Map.of()).withLevels(1))
                .testEquals();
    }

    @Test
    void publicFactoriesAndConstructorsRefuseNulls() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(DType.class, DType.UINT8)
                .setDefault(ChannelLayout.class, ChannelLayout.GREY)
                .setDefault(PlaneLayout.class, PlaneLayout.jpkl(false))
                .setDefault(int[].class, new int[] {2, 2})
                .setDefault(String.class, "x")
                .setDefault(List.class, List.of("y", "x"))
                .setDefault(Map.class, Map.of())
                .setDefault(PlaneSpec.class, new PlaneSpec(DType.UINT8, 2, 2, ChannelLayout.GREY))
                .setDefault(PlaneBuffer.class, PlaneBuffer.allocate(new PlaneSpec(DType.UINT8, 2, 2, ChannelLayout.GREY)));
        tester.testAllPublicStaticMethods(PlaneLayout.class);
        tester.testAllPublicConstructors(PlaneSpec.class);
        tester.setDefault(ParamType.class, ParamType.integer(0, 9));
        tester.testAllPublicStaticMethods(ParamSpec.class);
        tester.testAllPublicStaticMethods(ParamSchema.class);
        tester.testAllPublicStaticMethods(Selection.class);
        tester.setDefault(NdArray.class, NdArray.zeros(DType.UINT8, 2, 2)).testAllPublicStaticMethods(ErrorMetrics.class);
        tester.testAllPublicInstanceMethods(PlaneLayout.jpkl(true));
        tester.testAllPublicInstanceMethods(NdArray.wrapUint8(new byte[] {1, 2, 3, 4}, 2, 2));
    }
}
