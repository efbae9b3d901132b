package org.jpkl.cli;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jpkl.api.NdArray;

/** Damages a container written with a raw test codec: flips one byte inside one plane's samples. */
final class Damage {
    private Damage() {
    }

    /**
     * Copies {@code source} to {@code target} with one byte flipped in the middle of the stored
     * samples of {@code plane} (found by its little-endian bytes, which the test codecs store as they are).
     */
    static Path oneSlice(Path source, Path target, NdArray plane) throws IOException {
        byte[] file = Files.readAllBytes(source);
        byte[] needle = TestFiles.elements(plane, false, ByteOrder.LITTLE_ENDIAN);
        int at = indexOf(file, needle);
        if (at < 0) {
            throw new IllegalStateException("plane bytes not found in " + source);
        }
        file[at + needle.length / 2] ^= 0x5A;
        return Files.write(target, file);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
