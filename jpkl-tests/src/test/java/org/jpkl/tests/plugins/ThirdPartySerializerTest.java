package org.jpkl.tests.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.MissingProviderException;
import org.jpkl.WriteOptions;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.PlaneLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serializer shipped by a third party as its own jar ({@code com.example.textraw}, id
 * {@code example-textraw}), together with the third-party codec: each jar is needed for what it
 * provides, and its absence is reported clearly. Its contract: {@link ThirdPartySerializerContractTest}.
 */
class ThirdPartySerializerTest {
    private static final String FORMAT = "example-textraw";
    private static final String CODEC = "example-rle";
    private static final ClassLoader WITHOUT_JARS = ThirdPartySerializerTest.class.getClassLoader();

    @TempDir
    static Path jars;

    private static URLClassLoader serializerOnly;
    private static URLClassLoader codecOnly;
    private static URLClassLoader both;

    @TempDir
    Path dir;

    private final NdArray stack = ThirdPartyCodecTest.labels(5, 40, 56);

    @BeforeAll
    static void buildThePluginJars() throws IOException {
        Path serializerJar = PluginJars.build("textraw-serializer", jars);
        Path codec = PluginJars.build("rle-codec", jars);
        serializerOnly = PluginJars.loader(serializerJar);
        codecOnly = PluginJars.loader(codec);
        both = PluginJars.loader(serializerJar, codec);
    }

    @AfterAll
    static void closeTheLoaders() throws IOException {
        serializerOnly.close();
        codecOnly.close();
        both.close();
    }

    private static WriteOptions textRaw() {
        return WriteOptions.builder().codec(CODEC).serializer(FORMAT).layout(PlaneLayout.of(1, 2)).axisNames("z", "y", "x").build();
    }

    private Path saved() throws IOException {
        Path file = dir.resolve("labels.txr");
        Jpkl.create(both).save(stack, file, textRaw());
        return file;
    }

    @Test
    void writesAndReadsItsOwnFormatWhenItsJarIsThere() throws IOException {
        Jpkl plugged = Jpkl.create(both);
        assertEquals(List.of(FORMAT, "jpkl", "jpkl-pickle", "zip"), plugged.serializers().ids());
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("example-textraw 1\nheader "), "the magic line, then the header length");
        assertTrue(text.contains("\"example-rle\""), "the JSON header names the codec");
        assertTrue(text.matches("(?s).*\nindex [0-9]{20}\n"), "ends with the trailer");
        try (JpklArray stored = plugged.open(file)) {
            assertEquals(FORMAT, stored.serializerId());
            assertEquals(CODEC, stored.codecId());
            assertEquals(List.of("z", "y", "x"), stored.axisNames());
            assertEquals(stack, stored.get("..."));
            assertEquals(stack.get("4, ::-1, 3"), stored.get("4, ::-1, 3"));
            assertEquals(Files.size(file), stored.byteSize());
        }
    }

    @Test
    void withoutTheFormatJarTheFileIsRefusedClearlyAndCannotBeWritten() throws IOException {
        Path file = saved();
        for (ClassLoader loader : new ClassLoader[] {WITHOUT_JARS, codecOnly}) {
            Jpkl jpkl = Jpkl.create(loader);
            JpklFormatException e = assertThrows(JpklFormatException.class, () -> jpkl.open(file));
            assertEquals(file.toString(), e.source());
            assertTrue(e.getMessage().contains("no serializer recognises this file; serializers tried: [jpkl, jpkl-pickle, zip]"), e.getMessage());
        }
        Path other = dir.resolve("other.txr");
        IllegalArgumentException write = assertThrows(IllegalArgumentException.class,
                () -> Jpkl.create(codecOnly).save(stack, other, textRaw()));
        assertTrue(write.getMessage().contains("No ContainerSerializer with id 'example-textraw'; available: [jpkl, jpkl-pickle, zip]"), write.getMessage());
        assertFalse(Files.exists(other));
    }

    @Test
    void withTheFormatButWithoutTheCodecTheMissingCodecIsNamed() throws IOException {
        Path file = saved();
        MissingProviderException e = assertThrows(MissingProviderException.class, () -> Jpkl.create(serializerOnly).open(file));
        assertEquals(CODEC, e.providerId());
        assertTrue(e.getMessage().contains("needs codec 'example-rle'"), e.getMessage());
    }

    @Test
    void convertsToAndFromTheDefaultFormatCopyingSlicesUnchanged() throws IOException {
        Jpkl plugged = Jpkl.create(both);
        Path txr = saved();
        Path jpkl = dir.resolve("labels.jpkl");
        assertTrue(plugged.convert(txr, jpkl, textRaw().toBuilder().serializer("jpkl").build()), "same codec and params: bytes copied");
        Path back = dir.resolve("back.txr");
        assertTrue(plugged.convert(jpkl, back, textRaw()));
        try (JpklArray a = plugged.open(jpkl); JpklArray b = plugged.open(back)) {
            assertEquals("jpkl", a.serializerId());
            assertEquals(stack, a.get("..."));
            assertEquals(stack, b.get("..."));
        }
        assertTrue(Arrays.equals(Files.readAllBytes(txr), Files.readAllBytes(back)), "the round trip through jpkl is byte-identical");
    }

    @Test
    void damagedFilesAreRefusedNamingTheRegion() throws IOException {
        Path file = saved();
        byte[] good = Files.readAllBytes(file);
        Jpkl plugged = Jpkl.create(both);

        Path truncated = dir.resolve("truncated.txr");
        Files.write(truncated, Arrays.copyOf(good, good.length - 5));
        assertEquals("trailer", assertThrows(JpklFormatException.class, () -> plugged.open(truncated)).region());

        String text = new String(good, StandardCharsets.ISO_8859_1);
        Path hugeHeader = dir.resolve("huge-header.txr");
        Files.write(hugeHeader, text.replaceFirst("header [0-9]+", "header 9999999999").getBytes(StandardCharsets.ISO_8859_1));
        JpklFormatException header = assertThrows(JpklFormatException.class, () -> plugged.open(hugeHeader));
        assertEquals("header line", header.region());
        assertTrue(header.getMessage().contains("exceeds the file"), header.getMessage());

        int indexStart = Integer.parseInt(text.substring(text.length() - 21, text.length() - 1));
        int firstSpace = text.indexOf(' ', indexStart);
        Path badIndex = dir.resolve("bad-index.txr");
        Files.write(badIndex, (text.substring(0, indexStart) + "999999999" + text.substring(firstSpace)).getBytes(StandardCharsets.ISO_8859_1));
        JpklFormatException index = assertThrows(JpklFormatException.class, () -> plugged.open(badIndex));
        assertEquals("index", index.region());
        assertTrue(index.getMessage().contains("slice (0,) at 999999999 (+"), index.getMessage());
    }
}
