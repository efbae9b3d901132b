package org.jpkl.cli;

import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 (Low): {@code verify} on a JPkl pickle, which stores no checksums, says that only
 * decoding was checked instead of "all intact".
 */
class VerifyPickleCommandTest {
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
}
