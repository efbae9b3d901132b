package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JPkl pickles on the command line: {@code verify} says that only decoding was checked (pickles
 * store no checksums; issue 19, Low), and a pickle whose shared references expand is refused with
 * exit 1 (issue 19.5).
 */
class PickleCommandsTest {
    @TempDir
    Path dir;

    @Test
    void verifyOnAPickleSaysOnlyDecodingWasChecked() throws IOException {
        NdArray stack = NdArray.generate(DType.UINT8, new int[] {16, 16, 3}, i -> i % 251);
        Path pkl = dir.resolve("stack.pkl");
        Jpkl.create().save(stack, pkl, WriteOptions.builder().serializer("jpkl-pickle").codec("jpeg").param("quality", 90).build());
        Cli.Result r = ok(Cli.run("verify", pkl.toString()));
        assertEquals(pkl + ": 3 slices checked, all decode; the format stores no checksums: only decoding was checked, so damage"
                + " that still decodes cannot be seen", r.outText().strip().replaceAll(" \\(\\d+\\.\\d s\\)$", ""));
    }

    @Test
    void infoOnAPickleOfSharedReferencesThatExpandExitsOne() throws IOException {
        NdArray stack = NdArray.generate(DType.UINT8, new int[] {16, 16, 2}, i -> i % 251);
        Path pkl = dir.resolve("good.pkl");
        Jpkl.create().save(stack, pkl, WriteOptions.builder().serializer("jpkl-pickle").codec("jpeg").param("quality", 90).build());
        byte[] good = Files.readAllBytes(pkl);
        // The writer ends with: 'metadata', EMPTY_DICT, SETITEMS, STOP. Replace the empty metadata with
        // {'l': l50} where l0 = [] and l(i+1) = [l(i), l(i)] through the memo: 2^50 leaves in 900 bytes.
        assertEquals("}u.", new String(Arrays.copyOfRange(good, good.length - 3, good.length), java.nio.charset.StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream evil = new ByteArrayOutputStream();
        evil.write(good, 0, good.length - 3);
        evil.write(new byte[] {'}', (byte) 0x8c, 1, 'l', ']', 'r', 0, 0, 0, 0, '0'});
        for (int i = 0; i < 50; i++) {
            evil.write(new byte[] {'(', 'j', (byte) i, 0, 0, 0, 'j', (byte) i, 0, 0, 0, 'l', 'r', (byte) (i + 1), 0, 0, 0, '0'});
        }
        evil.write(new byte[] {'j', 50, 0, 0, 0, 's', 'u', '.'});
        Path file = Files.write(dir.resolve("shared.pkl"), evil.toByteArray());
        fails(Cli.run("info", file.toString()), 1, "jpkl info: " + file + ": metadata.l[0][0]", ": its objects expand to more than ");
    }
}
