package org.jpkl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.api.testing.ContainerFuzzer;
import org.jpkl.testing.LibraryMutantCheck;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The container fuzzer over files written by each real codec (JPEG also with arithmetic-coded slices): with checksums on, every mutant must
 * give back the original data or a JpklFormatException; with checksums off (damaged bytes reach the
 * codec), no codec may crash, hang or throw anything but JpklFormatException.
 */
class MultiCodecFuzzTest {
    @TempDir
    Path dir;

    private final Jpkl jpkl = Jpkl.create();

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"jpeg, uint8, ''", "jpeg, uint16, ''", "jpeg, uint8, tables=header coding=arithmetic",
        "jpeg, uint16, tables=header coding=arithmetic", "png, uint16, ''", "deflate, float32, ''", "zstd, int16, ''",
        "sqrt, uint16, ''", "sqrt, uint8, ''", "lz4, float32, ''"})
    void mutantsGiveTheOriginalOrAFormatError(String codec, String dtypeName, String params) throws IOException {
        assumeTrue(jpkl.codecs().find(codec).isPresent(), "codec " + codec + " is not on the class path");
        DType dtype = DType.parse(dtypeName);
        java.util.Random r = new java.util.Random(3);
        NdArray array = NdArray.generate(dtype, new int[] {24, 20, 3, 2}, i -> {
            double v = 50 + (i % 480) / 4.0 + r.nextInt(10);
            return dtype == DType.INT16 ? v - 200 : v;
        });
        Path file = dir.resolve(codec + ".jpkl");
        WriteOptions.Builder options = WriteOptions.builder().codec(codec);
        for (String kv : params.split(" ")) { // KEY=VALUE parameters, space-separated
            if (!kv.isEmpty()) {
                options.param(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        jpkl.save(array, file, options.build());
        NdArray expected;
        try (JpklArray stored = jpkl.open(file)) {
            expected = stored.get("...");
        }
        byte[] valid = Files.readAllBytes(file);
        int count = ContainerFuzzer.mutantCount(600);
        ContainerFuzzer fuzzer = LibraryMutantCheck.fuzzer(jpkl, valid, 10_000);
        ContainerFuzzer.Result on = fuzzer.run(new LibraryMutantCheck(jpkl, expected, true), count, 17);
        System.out.println(codec + " " + dtype + " " + params + ", checksums on: " + on);
        assertEquals(List.of(), on.failures, on.toString());
        ContainerFuzzer.Result off = fuzzer.run(new LibraryMutantCheck(jpkl, expected, false), count, 18);
        System.out.println(codec + " " + dtype + " " + params + ", checksums off: " + off);
        assertEquals(List.of(), off.failures, off.toString());
    }
}
