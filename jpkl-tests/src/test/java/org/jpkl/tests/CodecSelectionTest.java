package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
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

    @Test
    void whichCodecsCanEncodeWhat() {
        assertEquals(List.of("deflate", "jpeg", "png", "zstd"), jpkl.codecs().ids());
        assertEquals(List.of("deflate", "png", "zstd"), ids(DType.UINT16, ChannelLayout.GREY, true));
        assertEquals(List.of("deflate", "png", "zstd"), ids(DType.UINT8, ChannelLayout.RGB, true));
        assertEquals(List.of("deflate", "zstd"), ids(DType.FLOAT32, ChannelLayout.GREY, true));
        assertEquals(List.of("deflate", "jpeg", "zstd"), ids(DType.FLOAT64, ChannelLayout.RGB, false));
        assertEquals(List.of("deflate", "jpeg", "png", "zstd"), ids(DType.UINT8, ChannelLayout.GREY, false));
    }

    @Test
    void aCodecThatCannotTakeTheDtypeNamesTheOnesThatCan() {
        NdArray floats = NdArray.generate(DType.FLOAT32, new int[] {8, 8, 2}, i -> i * 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> jpkl.save(floats, dir.resolve("f.jpkl"), WriteOptions.builder().codec("png").build()));
        assertEquals("codec 'png' cannot encode float32 grey planes (it takes dtypes [uint8, uint16], channels [grey, rgb]); "
                + "codecs that can: [deflate (lossless), jpeg (lossy), zstd (lossless)]", e.getMessage());
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
}
