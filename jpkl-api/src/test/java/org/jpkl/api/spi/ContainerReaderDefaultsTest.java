package org.jpkl.api.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jpkl.api.ContainerHeader;
import org.junit.jupiter.api.Test;

/** The default methods of {@link ContainerReader} that a third-party reader inherits. */
class ContainerReaderDefaultsTest {
    private static final byte[] PLAIN = {1, 2, 3, 4, 5};
    private static final byte[] VERIFIED = {9, 8, 7};

    /** Gives {@link #PLAIN} from readSlice and {@link #VERIFIED} from readVerifiedSlice, so the test sees which one ran. */
    private static final class Fixed implements ContainerReader {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public String serializerId() {
            return "fixed";
        }

        @Override
        public ContainerHeader header() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ByteBuffer readSlice(long sliceNumber) {
            return ByteBuffer.wrap(PLAIN.clone());
        }

        @Override
        public ByteBuffer readVerifiedSlice(long sliceNumber) {
            return ByteBuffer.wrap(VERIFIED.clone());
        }

        @Override
        public long sliceLength(long sliceNumber) {
            return PLAIN.length;
        }

        @Override
        public long byteSize() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theDefaultCopiesTheSliceIntoTheSuppliedBufferFromTheReadThatVerifyNames() throws IOException {
        try (ContainerReader r = new Fixed()) {
            ByteBuffer direct = ByteBuffer.allocateDirect(10);
            ByteBuffer got = r.readSlice(0, false, length -> direct);
            assertSame(direct, got);
            assertEquals(0, got.position());
            assertEquals(PLAIN.length, got.limit());
            byte[] a = new byte[got.remaining()];
            got.get(a);
            assertArrayEquals(PLAIN, a);
            ByteBuffer verified = r.readSlice(0, true, ByteBuffer::allocate);
            assertArrayEquals(VERIFIED, java.util.Arrays.copyOf(verified.array(), verified.limit()));
        }
    }

    @Test
    void theDefaultRefusesASupplierThatGivesNoRoomNamingWhatItGave() throws IOException {
        try (ContainerReader r = new Fixed()) {
            ByteBuffer small = ByteBuffer.allocate(4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.readSlice(0, false, length -> small));
            assertEquals("the buffer supplier gave " + small + " for 5 bytes; it must give a writable buffer at position 0 with room"
                    + " for them", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> r.readSlice(0, false, length -> null));
            assertEquals("the buffer supplier gave null for 5 bytes; it must give a writable buffer at position 0 with room for them",
                    e.getMessage());
        }
    }
}
