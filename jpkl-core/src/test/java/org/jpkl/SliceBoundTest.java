package org.jpkl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jpkl.api.ChannelLayout;
import org.jpkl.api.DType;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneSpec;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.spi.CodecCapabilities;
import org.jpkl.api.spi.CodecParams;
import org.jpkl.api.spi.ContainerSerializers;
import org.jpkl.api.spi.SliceCodec;
import org.jpkl.api.spi.SliceCodecs;
import org.jpkl.api.spi.SliceDecoder;
import org.jpkl.api.spi.SliceEncoder;
import org.jpkl.api.testing.HeapUse;
import org.jpkl.api.testing.IdentityCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SliceCodec#maxEncodedBytes}: readers refuse a stored slice longer than the codec's bound
 * before reading or allocating it, and writers never write one.
 */
class SliceBoundTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.builder().codecs(SliceCodecs.of(new IdentityCodec())).serializers(ContainerSerializers.load())
            .parallelism(1).build();

    @Test
    void theDefaultBoundIsFourTimesTheRawPlanePlus64KiB() {
        SliceCodec codec = new IdentityCodec();
        PlaneSpec spec = new PlaneSpec(DType.UINT16, 3, 5, ChannelLayout.RGB);
        assertEquals(4 * 90 + 65536, codec.maxEncodedBytes(codec.params(Map.of()), spec));
    }

    /** A single-slice jpkl file of a 4x4 uint8 plane whose index entry claims {@code length} bytes of zeros. */
    private static byte[] fileClaiming(int length) {
        byte[] h = ("{\"shape\":[4,4],\"dtype\":\"uint8\",\"layout\":{\"y\":0,\"x\":1},\"axis_names\":[\"y\",\"x\"],"
                + "\"codec\":{\"id\":\"test-identity\",\"params\":{}},\"metadata\":{}}").getBytes(StandardCharsets.UTF_8);
        int dataStart = 16 + h.length + 4;
        ByteBuffer b = ByteBuffer.allocate(dataStart + length + 20 + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x89, 'J', 'P', 'K', 'L', 0x0D, 0x0A, 0x1A}).putShort((short) 1).putShort((short) 0).putInt(h.length).put(h);
        b.putInt(crc(b.array(), 16, h.length));
        b.position(dataStart + length);
        int indexAt = b.position();
        b.putLong(dataStart).putLong(length).putInt(crc(b.array(), dataStart, length));
        int footerAt = b.position();
        b.putLong(indexAt).putLong(1).putInt(crc(b.array(), indexAt, 20));
        b.putInt(crc(b.array(), footerAt, 20));
        b.put(new byte[] {'J', 'P', 'K', 'L', 'E', 'N', 'D', 0x1A});
        return b.array();
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    @Test
    void anIndexEntryClaimingMoreThanTheCodecCanProduceIsRefusedUnread() throws IOException {
        String expected = "hostile: slice (): stored length 20000000 bytes exceeds the 65600 bytes codec 'test-identity' can"
                + " produce for a uint8 4x4 grey plane";
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("hostile", fileClaiming(20_000_000)))) {
            long before = HeapUse.threadAllocatedBytes();
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get("..."));
            long allocated = HeapUse.threadAllocatedBytes() - before;
            assertEquals(expected, e.getMessage());
            assertTrue(allocated < (4 << 20), "refusing a 20 MB slice allocated " + allocated + " bytes");
            assertEquals(expected, assertThrows(JpklFormatException.class, () -> opened.readEncodedSlice(0)).getMessage());
            assertEquals(List.of(expected), opened.verify().problems().stream().map(VerificationReport.Problem::message).toList());
        }
        try (JpklArray opened = jpkl.open(RandomAccessSource.of("within", fileClaiming(65_600)))) {
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> opened.get("..."));
            assertTrue(e.getMessage().startsWith("within: slice (): codec 'test-identity' cannot decode it"), e.getMessage());
        }
    }

    /** The identity codec, claiming a bound of 20 bytes for any plane (its 4x4 encodings take 32). */
    private static final class TooTightCodec implements SliceCodec {
        private final IdentityCodec identity = new IdentityCodec();

        @Override
        public String id() {
            return identity.id();
        }

        @Override
        public CodecCapabilities capabilities() {
            return identity.capabilities();
        }

        @Override
        public CodecParams params(Map<String, String> values) {
            return identity.params(values);
        }

        @Override
        public long maxEncodedBytes(CodecParams params, PlaneSpec spec) {
            return 20;
        }

        @Override
        public SliceEncoder newEncoder(CodecParams params, PlaneSpec spec) {
            return identity.newEncoder(params, spec);
        }

        @Override
        public SliceDecoder newDecoder(CodecParams params, PlaneSpec spec) {
            return identity.newDecoder(params, spec);
        }
    }

    @Test
    void writersRefuseEncodingsAboveTheBoundSoEverythingWrittenCanBeRead() throws IOException {
        Jpkl tight = Jpkl.builder().codecs(SliceCodecs.of(new TooTightCodec())).serializers(ContainerSerializers.load())
                .parallelism(1).build();
        NdArray plane = NdArray.generate(DType.UINT8, new int[] {4, 4, 2}, i -> i);
        Path target = dir.resolve("tight.jpkl");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> tight.save(plane, target, WriteOptions.builder().codec(IdentityCodec.ID).build()));
        assertEquals("codec 'test-identity' encoded slice (0,) as 32 bytes, more than the 20 its maxEncodedBytes promises"
                + " for a uint8 4x4 grey plane (readers would refuse it)", e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "nothing is left behind");
        }
        try (JpklWriter writer = tight.newWriter(target, DType.UINT8, new int[] {4, 4, 2},
                WriteOptions.builder().codec(IdentityCodec.ID).build())) {
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                    () -> writer.writeEncoded(1, ByteBuffer.allocate(21)));
            assertEquals("encoded slice (1,) is 21 bytes; codec 'test-identity' produces at most 20 for a uint8 4x4 grey"
                    + " plane, and readers refuse longer slices", iae.getMessage());
        }
    }
}
