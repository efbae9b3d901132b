package org.jpkl.cli;

import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jpkl.Jpkl;
import org.jpkl.WriteOptions;
import org.jpkl.api.DType;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A codec lossy only in some settings (JPEG-LS: {@code near} above 0) is labelled by the settings a
 * file uses: an exact file is never called LOSSY, nor warned about, and a lossy one always is.
 */
class LosslessLabelTest {
    private final Jpkl jpkl = Jpkl.create();

    @TempDir
    Path dir;

    @Test
    void encodeConvertAndInfoLabelJpegLsByItsNear() throws Exception {
        OptionalPieces.require("CharLS", jpkl.codecs().require("jpegls").availability().reason(), "libcharls2");
        Path src = dir.resolve("src.jpkl");
        jpkl.save(TestFiles.ramp(DType.UINT16, 3, 40, 50), src, WriteOptions.builder().codec("zstd").build());

        Path exact = dir.resolve("exact.jpkl");
        Cli.Result r = ok(Cli.run("convert", src.toString(), exact.toString(), "--codec", "jpegls"));
        assertFalse(r.err().contains("LOSSY"), r.err());
        assertTrue(r.err().contains("codec jpegls {near=0} (lossless)"), r.err());
        String info = ok(Cli.run("info", exact.toString())).outText();
        assertFalse(info.contains("LOSSY"), info);
        String json = ok(Cli.run("info", "--json", exact.toString())).outText();
        assertTrue(json.contains("\"lossless\": true"), json);

        Path near = dir.resolve("near.jpkl");
        r = ok(Cli.run("convert", src.toString(), near.toString(), "--codec", "jpegls", "--param", "near=2"));
        assertTrue(r.err().startsWith("warning: codec jpegls is LOSSY: the uint16 values read back will differ"), r.err());
        assertTrue(r.err().contains("codec jpegls {near=2} (LOSSY)"), r.err());
        json = ok(Cli.run("info", "--json", near.toString())).outText();
        assertTrue(json.contains("\"lossless\": false"), json);
        info = ok(Cli.run("info", near.toString())).outText();
        assertTrue(info.contains("LOSSY: values read back differ from the original"), info);
    }

    @Test
    void compareLosslessOnlyTakesJpegLsAtNearZeroAndRefusesItAtNearTwo() throws Exception {
        OptionalPieces.require("CharLS", jpkl.codecs().require("jpegls").availability().reason(), "libcharls2");
        Path src = dir.resolve("src.jpkl");
        jpkl.save(TestFiles.ramp(DType.UINT16, 3, 40, 50), src, WriteOptions.builder().codec("zstd").build());
        String[] quick = {"--repeats", "1", "--warmups", "0", "--slice-reads", "0"};

        Cli.Result all = ok(Cli.run(concat(new String[] {"compare", src.toString(), "--lossless-only", "--all"}, quick)));
        java.util.List<String> ids = all.outText().lines().map(l -> l.split(" +")[0]).toList();
        assertTrue(ids.contains("jpegls") && ids.contains("zstd"), all.outText());
        assertFalse(ids.contains("jpeg") || ids.contains("sqrt"), "lossy with their defaults: " + all.outText());
        assertTrue(all.outText().lines().anyMatch(l -> l.startsWith("jpegls ") && l.matches(".*defaults +yes +yes .*")), all.outText());

        Cli.fails(Cli.run(concat(new String[] {"compare", src.toString(), "--lossless-only", "--codec", "jpegls:near=2"}, quick)), 2,
                "codec spec 'jpegls:near=2' is lossy at these parameters, but only lossless codecs are to be compared");
        Cli.Result near = ok(Cli.run(concat(new String[] {"compare", src.toString(), "--codec", "jpegls:near=2"}, quick)));
        assertTrue(near.outText().lines().anyMatch(l -> l.startsWith("jpegls ") && l.matches(".*near=2 +no +no .*")), near.outText());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
