package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import java.io.IOException;
import org.jpkl.JpklWriter;
import org.jpkl.JpklArray;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.spi.SliceCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry answers "which codecs can encode this, losslessly or not" over the real codecs, and refuses clearly. */
class CodecSelectionTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    private List<String> ids(DType dtype, ChannelLayout channels, boolean losslessOnly) {
        return jpkl.codecs().encodersFor(dtype, channels, losslessOnly).stream().map(SliceCodec::id).collect(Collectors.toList());
    }

    /** {@code ids}, without the native-library codecs (jpegls, jpegxl, lerc, zfp) whose library is missing here. */
    private List<String> where(String... ids) {
        return java.util.Arrays.stream(ids).filter(id -> !List.of("jpegls", "jpegxl", "lerc", "zfp").contains(id.split(" ")[0])
                || jpkl.codecs().require(id.split(" ")[0]).availability().isAvailable()).collect(Collectors.toList());
    }

    @Test
    void whetherAFileIsExactFollowsTheSettingsOfCodecsLossyOnlyInSome() {
        for (String id : jpkl.codecs().ids()) {
            SliceCodec c = jpkl.codecs().require(id);
            if (c.capabilities().lossless()) {
                assertTrue(c.isLossless(c.params(java.util.Map.of())), id + " is lossless in every setting");
            }
        }
        SliceCodec jpegls = jpkl.codecs().require("jpegls");
        SliceCodec lerc = jpkl.codecs().require("lerc");
        SliceCodec zfp = jpkl.codecs().require("zfp");
        SliceCodec jpegxl = jpkl.codecs().require("jpegxl");
        SliceCodec jpeg = jpkl.codecs().require("jpeg");
        assertEquals(List.of(true, false), List.of(jpegls.isLossless(jpegls.params(java.util.Map.of())),
                jpegls.isLossless(jpegls.params(java.util.Map.of("near", "2")))));
        assertEquals(List.of(true, false), List.of(lerc.isLossless(lerc.params(java.util.Map.of())),
                lerc.isLossless(lerc.params(java.util.Map.of("maxZError", "0.5")))));
        assertEquals(List.of(true, false), List.of(zfp.isLossless(zfp.params(java.util.Map.of())),
                zfp.isLossless(zfp.params(java.util.Map.of("mode", "accuracy")))));
        assertEquals(List.of(true, false), List.of(jpegxl.isLossless(jpegxl.params(java.util.Map.of())),
                jpegxl.isLossless(jpegxl.params(java.util.Map.of("distance", "1")))));
        assertEquals(false, jpeg.isLossless(jpeg.params(java.util.Map.of("quality", "100"))));
    }

    @Test
    void whichCodecsCanEncodeWhat() {
        assertEquals(List.of("deflate", "jpeg", "jpegls", "jpegxl", "lerc", "lz4", "png", "sqrt", "zfp", "zstd"), jpkl.codecs().ids());
        // "Lossless only" goes by the codec's default settings (isLossless), not by what it declares for every
        // setting: jpegls (near 0), lerc (maxZError 0) and zfp (reversible) are exact by default, where their library loads.
        assertEquals(where("deflate", "jpegls", "jpegxl", "lerc", "lz4", "png", "zstd"), ids(DType.UINT16, ChannelLayout.GREY, true));
        assertEquals(where("deflate", "jpegls", "jpegxl", "lerc", "lz4", "png", "zstd"), ids(DType.UINT8, ChannelLayout.RGB, true));
        assertEquals(where("deflate", "lerc", "lz4", "zfp", "zstd"), ids(DType.FLOAT32, ChannelLayout.GREY, true));
        assertEquals(where("deflate", "jpeg", "lerc", "lz4", "zfp", "zstd"), ids(DType.FLOAT64, ChannelLayout.RGB, false));
        assertEquals(where("deflate", "jpeg", "jpegls", "jpegxl", "lerc", "lz4", "png", "sqrt", "zstd"),
                ids(DType.UINT8, ChannelLayout.GREY, false));
        assertEquals(where("deflate", "jpeg", "jpegls", "jpegxl", "lerc", "lz4", "png", "sqrt", "zstd"),
                ids(DType.UINT16, ChannelLayout.RGB, false));
    }

    @Test
    void aCodecThatCannotTakeTheDtypeNamesTheOnesThatCan() {
        NdArray floats = NdArray.generate(DType.FLOAT32, new int[] {8, 8, 2}, i -> i * 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jpkl.save(floats, dir.resolve("f.jpkl"), WriteOptions.builder().codec("png").build()));
        assertEquals("codec 'png' cannot encode float32 grey planes (it takes dtypes [uint8, uint16], channels [grey, rgb]); "
                + "codecs that can: " + where("deflate (lossless)", "jpeg (lossy)", "jpegxl (lossy)", "lerc (lossless by default)", "lz4 (lossless)",
                "zfp (lossless by default)", "zstd (lossless)"), e.getMessage());
    }

    @Test
    void badParametersNameTheKeyAndTheAllowedValues() {
        NdArray bytes = NdArray.generate(DType.UINT8, new int[] {8, 8}, i -> i);
        IllegalArgumentException quality = assertThrows(IllegalArgumentException.class,
                () -> jpkl.save(bytes, dir.resolve("q.jpkl"), WriteOptions.builder().codec("jpeg").param("quality", 101).build()));
        assertTrue(quality.getMessage().contains("quality") && quality.getMessage().contains("[0, 100]"), quality.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> jpkl.save(bytes, dir.resolve("u.jpkl"), WriteOptions.builder().codec("zstd").param("speed", 3).build()));
        assertTrue(unknown.getMessage().contains("speed") && unknown.getMessage().contains("level")
                && unknown.getMessage().contains("filter"), unknown.getMessage());
    }

    @Test
    void withoutANamedCodecUint8IsJpegAndEveryOtherDtypeIsStoredLosslessly() throws IOException {
        String lossless = jpkl.codecs().find("zstd").filter(c -> c.availability().isAvailable()).isPresent() ? "zstd" : "deflate";
        assertEquals("jpeg", jpkl.defaultCodec(DType.UINT8, ChannelLayout.GREY).id());
        assertEquals("jpeg", jpkl.defaultCodec(DType.UINT8, ChannelLayout.RGB).id());
        for (DType dtype : List.of(DType.UINT16, DType.INT16, DType.INT32, DType.FLOAT32, DType.FLOAT64)) {
            assertEquals(lossless, jpkl.defaultCodec(dtype, ChannelLayout.GREY).id(), dtype.toString());
            NdArray a = NdArray.generate(dtype, new int[] {16, 12, 3}, i -> (i * 977) % 30000 - (dtype.isSigned() ? 15000 : 0) + 0.5 * (i % 2)
                    * (dtype.isIntegral() ? 0 : 1));
            Path file = dir.resolve("default-" + dtype + ".jpkl");
            jpkl.save(a, file, WriteOptions.defaults());
            try (JpklArray back = jpkl.open(file)) {
                assertEquals(lossless, back.codecId(), dtype.toString());
                assertEquals(a, back.get("..."), dtype + " read back exactly");
            }
            Path streamed = dir.resolve("streamed-" + dtype + ".jpkl");
            try (JpklWriter w = jpkl.newWriter(streamed, dtype, a.shape(), WriteOptions.defaults())) {
                assertEquals(lossless, w.header().codecId(), "the streaming writer chooses the same: " + dtype);
            }
        }
        NdArray bytes = NdArray.generate(DType.UINT8, new int[] {16, 12, 2}, i -> i % 256);
        Path png = dir.resolve("bytes-png.jpkl");
        jpkl.save(bytes, png, WriteOptions.builder().codec("png").build());
        Path converted = dir.resolve("bytes-converted.jpkl");
        assertTrue(jpkl.convert(png, converted, WriteOptions.builder().axisNames("y", "x", "n").build()),
                "options without a codec keep the source's codec (png, copied), not uint8's default jpeg");
        try (JpklArray back = jpkl.open(converted)) {
            assertEquals("png", back.codecId());
        }
    }
}
