package org.jpkl.cli;

import static org.jpkl.cli.Cli.fails;
import static org.jpkl.cli.Cli.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jpkl.api.DType;
import org.jpkl.api.NdArray;
import org.jpkl.s3.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The command line with {@code s3://} (jpkl-s3, in the jar) against S3Proxy in this JVM
 * ({@link S3Server}, anonymous requests, objects in a temporary folder): {@code encode} and
 * {@code convert} write containers to S3 (issue 16) byte for byte as to a local file, {@code verify}
 * and {@code info} read them back; what cannot be written is refused before any request; a failed
 * write leaves no object and no multipart upload.
 */
class S3CommandsTest {
    private static final String BUCKET = "cli";

    @TempDir
    static Path store;
    @TempDir
    Path dir;
    private static S3Server server;
    private static S3Client admin;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.startAnonymous(store);
        admin = server.admin();
        admin.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** {@code jpkl ARGS...} with the options that reach the test server. */
    private static Cli.Result s3(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--storage-option", "s3.endpoint=" + server.endpoint(), "--storage-option", "s3.anonymous=true"},
                0, all, args.length, 4);
        return Cli.run(all);
    }

    private static String uri(String key) {
        return "s3://" + BUCKET + "/" + key;
    }

    private static byte[] object(String key) {
        return admin.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static List<String> keys() {
        return admin.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().map(o -> o.key()).sorted().toList();
    }

    private static int uploads() {
        return admin.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
    }

    @Test
    void encodeAndConvertWriteToS3AsToALocalFile() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 4, 20, 30);
        Path npy = TestFiles.npy(dir.resolve("stack.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path local = dir.resolve("stack.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", local.toString(), "--codec", "deflate"));
        Cli.Result r = ok(s3("encode", npy.toString(), "--axes", "z,y,x", "-o", uri("stack.jpkl"), "--codec", "deflate"));
        assertTrue(r.err().startsWith("wrote " + uri("stack.jpkl") + ": (4, 20, 30) uint16, 4 slices, codec deflate {"), r.err());
        assertTrue(r.err().contains(", serializer jpkl; " + Sizes.compact(Files.size(local)) + ", raw "), r.err());
        assertArrayEquals(Files.readAllBytes(local), object("stack.jpkl"));
        assertTrue(ok(s3("verify", uri("stack.jpkl"))).outText().startsWith(uri("stack.jpkl") + ": 4 slices checked, all intact ("));

        // convert: local to S3 (another codec), S3 to S3 (another serializer), and S3 to a local file. (Zip entries carry
        // the time they were written, so zip files are compared by content.)
        Path localZstd = dir.resolve("zstd.jpkl");
        ok(Cli.run("convert", local.toString(), localZstd.toString(), "--codec", "zstd"));
        ok(s3("convert", local.toString(), uri("zstd.jpkl"), "--codec", "zstd"));
        assertArrayEquals(Files.readAllBytes(localZstd), object("zstd.jpkl"));
        Cli.Result copy = ok(s3("convert", uri("zstd.jpkl"), uri("copy.zip")));
        assertTrue(copy.err().contains(" copied unchanged, codec zstd ") && copy.err().contains(", serializer zip; "), copy.err());
        ok(s3("verify", uri("copy.zip")));
        Path npyBack = dir.resolve("back.npy");
        ok(s3("get", uri("copy.zip"), "...", "-o", npyBack.toString()));
        assertEquals(a, InfoGetCommandTest.readNpy(Files.readAllBytes(npyBack)));
        Path back = dir.resolve("back.jpkl");
        ok(s3("convert", uri("copy.zip"), back.toString(), "--serializer", "jpkl"));
        assertArrayEquals(Files.readAllBytes(localZstd), Files.readAllBytes(back));
        Path tif = dir.resolve("back.tif");
        Path localTif = dir.resolve("local.tif");
        ok(s3("convert", uri("zstd.jpkl"), tif.toString()));
        ok(Cli.run("convert", localZstd.toString(), localTif.toString()));
        assertArrayEquals(Files.readAllBytes(localTif), Files.readAllBytes(tif));
        assertEquals(0, uploads());
    }

    @Test
    void aContainerLargerThanOnePartIsAMultipartUploadEqualToTheLocalFile() throws IOException {
        // 3 planes of 1024 x 1024 uint16 noise: about 6 MiB that deflate cannot shrink, more than one 5 MiB part.
        Random random = new Random(16);
        NdArray a = NdArray.generate(DType.UINT16, new int[] {3, 1024, 1024}, i -> random.nextInt(65536));
        Path npy = TestFiles.npy(dir.resolve("noise.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path local = dir.resolve("noise.jpkl");
        ok(Cli.run("encode", npy.toString(), "-o", local.toString(), "--codec", "deflate"));
        assertTrue(Files.size(local) > 5 << 20, "size " + Files.size(local));
        ok(s3("encode", npy.toString(), "-o", uri("noise.jpkl"), "--codec", "deflate", "--storage-option", "s3.part-size=5242880"));
        assertArrayEquals(Files.readAllBytes(local), object("noise.jpkl"));
        assertEquals(0, uploads());
    }

    /**
     * As a writable local file, an existing object is replaced without {@code --force} (and with it:
     * an object store has no read-only objects, only permissions, checked by the store), the new
     * version appearing only once complete.
     */
    @Test
    void anExistingObjectIsReplacedAsAWritableFileIs() throws IOException {
        Path first = TestFiles.npy(dir.resolve("first.npy"), TestFiles.ramp(DType.UINT8, 2, 8, 8), false, ByteOrder.LITTLE_ENDIAN);
        Path second = TestFiles.npy(dir.resolve("second.npy"), TestFiles.ramp(DType.UINT8, 3, 8, 8), false, ByteOrder.LITTLE_ENDIAN);
        ok(s3("encode", first.toString(), "--axes", "z,y,x", "-o", uri("replaced.jpkl"), "--codec", "png"));
        ok(s3("encode", second.toString(), "--axes", "z,y,x", "-o", uri("replaced.jpkl"), "--codec", "png"));
        assertTrue(ok(s3("info", uri("replaced.jpkl"))).outText().contains("\nshape      (3, 8, 8)\n"));
        ok(s3("encode", first.toString(), "--axes", "z,y,x", "-o", uri("replaced.jpkl"), "--codec", "png", "--force"));
        assertTrue(ok(s3("info", uri("replaced.jpkl"))).outText().contains("\nshape      (2, 8, 8)\n"));
    }

    /**
     * Refused with exit 2 before any request (the endpoint is a closed port, so a request would be
     * exit 1 "gave up after ..."): a serializer that cannot stream, a scheme nobody writes, a TIFF,
     * an output that is the input.
     */
    @Test
    void whatCannotBeWrittenIsRefusedBeforeAnyRequest() throws IOException {
        Path npy = TestFiles.npy(dir.resolve("in.npy"), TestFiles.ramp(DType.UINT8, 2, 8, 8), false, ByteOrder.LITTLE_ENDIAN);
        String closed = "s3.endpoint=http://127.0.0.1:1";
        fails(Cli.run("encode", npy.toString(), "-o", "s3://b/x.pkl", "--storage-option", closed, "--storage-option", "s3.retries=0"), 2,
                "jpkl encode: -o s3://b/x.pkl: serializer 'jpkl-pickle' cannot stream a container to s3://b/x.pkl: its format is not"
                        + " written front to back; write it to a local file and copy that, or use a serializer that streams (such as 'jpkl')");
        fails(Cli.run("encode", npy.toString(), "-o", "s3://b/x", "--serializer", "jpkl-pickle", "--storage-option", closed), 2,
                "serializer 'jpkl-pickle' cannot stream a container to s3://b/x:");
        fails(Cli.run("encode", npy.toString(), "-o", "s3://b/x.tif", "--storage-option", closed), 2,
                "jpkl encode: -o s3://b/x.tif: a multi-page TIFF is written to a local file only; write a container (e.g. a .jpkl name)"
                        + " to the URI, or the TIFF to a local file");
        fails(Cli.run("encode", npy.toString(), "-o", "http://127.0.0.1:1/x.jpkl"), 2,
                "jpkl encode: -o http://127.0.0.1:1/x.jpkl: storage provider 'http' reads 'http://127.0.0.1:1/x.jpkl' but does not"
                        + " support writes; schemes written: [s3] and file");
        fails(Cli.run("encode", npy.toString(), "-o", "ftp://example.org/x.jpkl"), 2,
                "jpkl encode: -o ftp://example.org/x.jpkl: no storage provider reads 'ftp' URIs such as 'ftp://example.org/x.jpkl';"
                        + " schemes read: [http, https, s3] and file");
        fails(Cli.run("convert", "s3://b/a.jpkl", "s3://b/./a.jpkl", "--storage-option", closed), 2,
                "jpkl convert: OUT s3://b/./a.jpkl: is the input s3://b/a.jpkl (the same object); write to another object");
        fails(Cli.run("convert", "s3://b/a.jpkl", "https://example.org/a.jpkl"), 2,
                "jpkl convert: OUT https://example.org/a.jpkl: storage provider 'http' reads 'https://example.org/a.jpkl' but does not"
                        + " support writes");
        fails(Cli.run("pyramid", "s3://b/a.jpkl", "--storage-option", closed), 2, "jpkl pyramid: FILE s3://b/a.jpkl: pyramid replaces a"
                + " local file in place; for an object, write the levels to a new one with convert (jpkl convert s3://b/a.jpkl NEW-URI"
                + " --levels N)");
        Path local = dir.resolve("local.jpkl");
        ok(Cli.run("encode", npy.toString(), "-o", local.toString(), "--codec", "png"));
        fails(Cli.run("convert", local.toString(), "s3://b/x.pkl", "--storage-option", closed), 2,
                "jpkl convert: OUT s3://b/x.pkl: serializer 'jpkl-pickle' cannot stream a container to s3://b/x.pkl");
    }

    /** {@code zarr import} writes to a URI as to a local file (the same bytes), with the same checks on OUT. */
    @Test
    void zarrImportWritesToS3AsToALocalFile() throws IOException {
        NdArray a = TestFiles.ramp(DType.UINT16, 3, 40, 50);
        Path npy = TestFiles.npy(dir.resolve("z.npy"), a, false, ByteOrder.LITTLE_ENDIAN);
        Path source = dir.resolve("z.jpkl");
        ok(Cli.run("encode", npy.toString(), "--axes", "z,y,x", "-o", source.toString(), "--codec", "zstd"));
        Path zarr = dir.resolve("z.zarr");
        ok(Cli.run("zarr", "export", source.toString(), zarr.toString()));
        Path local = dir.resolve("imported.jpkl");
        ok(Cli.run("zarr", "import", zarr.toString(), local.toString(), "--codec", "zstd"));
        Cli.Result r = ok(s3("zarr", "import", zarr.toString(), uri("imported.jpkl"), "--codec", "zstd"));
        assertTrue(r.err().startsWith("wrote " + uri("imported.jpkl") + ": (3, 40, 50) uint16, axes [z, y, x], "), r.err());
        assertTrue(r.err().contains("; " + Sizes.compact(Files.size(local)) + "; "), r.err());
        assertArrayEquals(Files.readAllBytes(local), object("imported.jpkl"));
        fails(s3("zarr", "import", zarr.toString(), uri("imported.pkl")), 2,
                "jpkl zarr import: OUT " + uri("imported.pkl") + ": serializer 'jpkl-pickle' cannot stream a container to "
                        + uri("imported.pkl"));
        fails(Cli.run("zarr", "import", zarr.toString(), "http://127.0.0.1:1/x.jpkl"), 2,
                "jpkl zarr import: OUT http://127.0.0.1:1/x.jpkl: storage provider 'http' reads 'http://127.0.0.1:1/x.jpkl' but does"
                        + " not support writes");
        assertFalse(keys().contains("imported.pkl"));
        assertEquals(0, uploads());
    }

    /** A convert whose serializer is the source's (OUT without extension) is refused once the source is open, before writing. */
    @Test
    void aPickleSourceConvertedToAUriWithoutExtensionIsRefused() throws IOException {
        Path pickle = dir.resolve("in.pkl");
        org.jpkl.Jpkl.create().save(TestFiles.ramp(DType.UINT8, 8, 8, 2), pickle,
                org.jpkl.WriteOptions.builder().serializer("jpkl-pickle").codec("jpeg").param("quality", 90).build());
        fails(s3("convert", pickle.toString(), uri("from-pickle")), 2,
                "jpkl convert: OUT " + uri("from-pickle") + ": serializer 'jpkl-pickle' cannot stream a container to " + uri("from-pickle"));
        assertFalse(keys().contains("from-pickle"));
    }

    @Test
    void aFailedWriteIsADataErrorAndLeavesNoObjectNorUpload() throws IOException {
        Path npy = TestFiles.npy(dir.resolve("in.npy"), TestFiles.ramp(DType.UINT8, 2, 8, 8), false, ByteOrder.LITTLE_ENDIAN);
        // No such bucket: the store refuses the upload.
        fails(s3("encode", npy.toString(), "-o", "s3://no-such-bucket/x.jpkl", "--codec", "png"), 1,
                "jpkl encode: s3://no-such-bucket/x.jpkl: publishing failed (HTTP 404 NoSuchBucket");
        // The input fails after more than one part (5 MiB) was handed to the upload: 12 noise images of 1 MiB, the last cut short.
        Path folder = Files.createDirectories(dir.resolve("images"));
        Random random = new Random(17);
        for (int k = 0; k < 12; k++) {
            NdArray plane = NdArray.generate(DType.UINT8, new int[] {1024, 1024}, i -> random.nextInt(256));
            Path png = TestFiles.png(folder.resolve(String.format("img_%02d.png", k)), plane);
            if (k == 11) {
                byte[] bytes = Files.readAllBytes(png);
                Files.write(png, Arrays.copyOf(bytes, bytes.length - 40));
            }
        }
        fails(s3("encode", folder.toString(), "-o", uri("failed.jpkl"), "--codec", "deflate", "--storage-option", "s3.part-size=5242880"),
                1, "jpkl encode: " + folder.resolve("img_11.png") + ": page 0: is truncated");
        assertFalse(keys().contains("failed.jpkl"), keys().toString());
        assertEquals(0, uploads());
    }

    @Test
    void anUnreachableStoreIsADataErrorNamingTheUri() {
        // Port 1 on loopback refuses connections; anonymous requests need no credentials on this machine.
        Cli.fails(Cli.run("info", "--storage-option", "s3.endpoint=http://127.0.0.1:1", "--storage-option", "s3.anonymous=true",
                "--storage-option", "s3.retries=0", "s3://bucket/stack.jpkl"), 1,
                "jpkl info: s3://bucket/stack.jpkl: gave up after 1 attempt in ");
    }

    @Test
    void aBadS3OptionIsAUsageErrorNamingIt() {
        Cli.fails(Cli.run("info", "--storage-option", "s3.part-size=12", "s3://bucket/stack.jpkl"), 2,
                "jpkl info: storage option s3.part-size=12 is out of range [5242880, 1073741824]");
    }
}
