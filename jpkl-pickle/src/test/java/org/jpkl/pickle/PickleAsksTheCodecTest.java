package org.jpkl.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerReader;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.ParamSpec;
import org.jpkl.api.spi.ParamType;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.spi.TypedParams;
import org.jpkl.container.JpklFileSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpkl-pickle names no parameter of the {@code jpeg} codec beyond what a pickle records (quality, and
 * the frames' subsampling): it asks the codec for the rest. Proven with a {@code jpeg} codec whose
 * defaults all differ from today's and that has a parameter of its own: the parameters a pickle reads
 * back as, the copy detection of {@code convert} and what the writer accepts follow that codec.
 */
class PickleAsksTheCodecTest {
    @TempDir
    Path dir;

    /** JPEG with other defaults (quality 75, 444, window 0:255, transfer sqrt) and a uint8-neutral {@code grain}. */
    static final class OtherDefaultsJpeg implements SliceCodec {
        private static final CodecCapabilities CAPS = CodecCapabilities.builder().lossless(false).dtypes(DType.values())
                .channels(ChannelLayout.GREY, ChannelLayout.RGB)
                .param("quality", ParamType.integer(0, 100), "75", "quality")
                .param(ParamSpec.of("subsampling", ParamType.oneOf("420", "444"), "444", "chroma").ignoredFor(ChannelLayout.GREY))
                .param(ParamSpec.of("window", ParamType.keywordOrRange("slice", "global"), "0:255", "range").ignoredFor(DType.UINT8))
                .param(ParamSpec.of("transfer", ParamType.oneOf("linear", "sqrt"), "sqrt", "levels").ignoredFor(DType.UINT8))
                .param(ParamSpec.of("grain", ParamType.integer(0, 9), "0", "non-uint8 only").ignoredFor(DType.UINT8))
                .param("smoothing", ParamType.integer(0, 9), "0", "changes every plane's bytes")
                .build();
        // Found as a service, not named: the tests run on the module path, where org.jpkl.jpeg exports nothing.
        private final SliceCodec real = SliceCodecs.load(OtherDefaultsJpeg.class.getClassLoader()).require("jpeg");

        @Override
        public String id() {
            return "jpeg";
        }

        @Override
        public CodecCapabilities capabilities() {
            return CAPS;
        }

        @Override
        public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
            TypedParams p = CodecParams.requireOwn("jpeg", TypedParams.class, params);
            return real.newEncoder(real.params(Map.of("quality", p.text("quality"), "subsampling", p.text("subsampling"))), spec);
        }

        @Override
        public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
            CodecParams.requireOwn("jpeg", TypedParams.class, params);
            return real.newDecoder(real.params(Map.of()), spec);
        }
    }

    private final SliceCodec jpeg = new OtherDefaultsJpeg();
    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(jpeg))
            .serializers(ContainerSerializers.of(new PickleSerializer(SliceCodecs.of(jpeg)), new JpklFileSerializer())).build();

    private Path pickle(NdArray array, Map<String, String> params) throws IOException {
        Path file = dir.resolve("a.pkl");
        jpkl.save(array, file, WriteOptions.builder().serializer(PickleSerializer.ID).codec("jpeg").params(params).build());
        return file;
    }

    @Test
    void aPickleReadsBackAsTheCodecsParametersWithItsDefaults() throws IOException {
        Path file = pickle(PickleTestData.smoothUint8(1, 16, 16, 2), Map.of("quality", "80"));
        try (ContainerReader r = new PickleSerializer(SliceCodecs.of(jpeg)).openReader(RandomAccessSource.open(file))) {
            assertEquals(Map.of("quality", "80", "subsampling", "444", "window", "0:255", "transfer", "sqrt", "grain", "0",
                    "smoothing", "0"), r.header().codecParams());
        }
        try (ContainerReader r = new PickleSerializer(SliceCodecs.of()).openReader(RandomAccessSource.open(file))) {
            assertEquals(Map.of("quality", "80"), r.header().codecParams(), "without the codec: only what the pickle records");
        }
    }

    @Test
    void convertCopiesWhenTheCodecSaysTheBytesWouldBeTheSame() throws IOException {
        Path file = pickle(PickleTestData.smoothUint8(2, 16, 16, 3), Map.of("quality", "80"));
        try (JpklArray in = jpkl.open(file)) {
            assertTrue(jpeg.encodesAlike(in.codecParams(), Map.of("quality", "80", "window", "slice", "grain", "7"), DType.UINT8,
                    ChannelLayout.GREY), "window, transfer and grain do not change uint8 bytes");
            assertFalse(jpeg.encodesAlike(in.codecParams(), Map.of("quality", "80", "smoothing", "1"), DType.UINT8, ChannelLayout.GREY));
            assertTrue(jpkl.convert(in, dir.resolve("same.jpkl"), WriteOptions.builder().codec("jpeg").param("quality", 80).build()),
                    "same codec and quality: copied");
            assertTrue(jpkl.convert(in, dir.resolve("grain.jpkl"), WriteOptions.builder().codec("jpeg").param("quality", 80)
                    .param("grain", 3).build()), "a parameter that cannot change uint8 bytes: still copied");
            assertFalse(jpkl.convert(in, dir.resolve("q81.jpkl"), WriteOptions.builder().codec("jpeg").param("quality", 81).build()));
        }
    }

    @Test
    void theWriterRefusesOnlyWhatChangesTheBytesAndWouldNotReadBack() throws IOException {
        NdArray u8 = PickleTestData.smoothUint8(3, 16, 16, 2);
        // window, transfer and grain do not change uint8 bytes; smoothing at the codec's default reads back as it is.
        pickle(u8, Map.of("quality", "80", "window", "0:4095", "transfer", "linear", "grain", "9", "smoothing", "0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pickle(u8, Map.of("smoothing", "2")));
        assertTrue(e.getMessage().endsWith("without losing codec parameter smoothing='2' (a JPkl pickle records only jpeg_quality)"),
                e.getMessage());
    }
}
