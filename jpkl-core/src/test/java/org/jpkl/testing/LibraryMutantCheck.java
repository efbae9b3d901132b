package org.jpkl.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.jpkl.MissingProviderException;
import org.jpkl.OpenOptions;
import org.jpkl.api.JpklFormatException;
import org.jpkl.api.NdArray;
import org.jpkl.api.io.RandomAccessSource;
import org.jpkl.api.testing.ContainerFuzzer;

/**
 * The {@link ContainerFuzzer} check through the library: each mutant is opened with {@link Jpkl}
 * (serializer detected by content, checksums verified or not) and decoded whole with its codec. The
 * acceptable outcomes are the original data or a {@link JpklFormatException} whose message starts
 * with the mutant's name (without checksums also a {@link MissingProviderException} naming the file,
 * when the damage renamed the codec, and changed data); anything else fails, and with checksums on,
 * different data without an error fails too.
 *
 * <p>Thread safety: immutable; the library it uses is thread-safe.
 */
public final class LibraryMutantCheck implements ContainerFuzzer.Check {
    /** Outcome: the damage renamed the codec to one that is not installed, and opening said so naming the file. */
    public static final String UNKNOWN_CODEC = "names a codec that is not installed";

    private final Jpkl jpkl;
    private final NdArray expected;
    private final boolean checksums;

    /**
     * @param jpkl opens the mutants
     * @param expected what {@code get("...")} returns on the valid container
     * @param checksums whether mutants are opened with checksum verification (when off, wrong data
     *     without an error is allowed, but crashes and hangs are still failures)
     */
    public LibraryMutantCheck(Jpkl jpkl, NdArray expected, boolean checksums) {
        this.jpkl = jpkl;
        this.expected = expected;
        this.checksums = checksums;
    }

    /** A fuzzer for {@code valid}, cutting at the places of its slices as {@code jpkl} reads them. */
    public static ContainerFuzzer fuzzer(Jpkl jpkl, byte[] valid, long timeoutMillis) throws IOException {
        List<byte[]> slices = new ArrayList<>();
        try (JpklArray array = jpkl.open(RandomAccessSource.of("valid", valid))) {
            for (long n = 0; n < array.sliceCount(); n++) {
                ByteBuffer b = array.readEncodedSlice(n);
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                slices.add(bytes);
            }
        }
        return new ContainerFuzzer(valid, ContainerFuzzer.structuralOffsets(valid, slices), timeoutMillis);
    }

    @Override
    public String check(String name, byte[] mutant) throws IOException {
        JpklArray array;
        try {
            array = jpkl.open(RandomAccessSource.of(name, mutant), OpenOptions.builder().verifyChecksums(checksums).build());
        } catch (JpklFormatException e) {
            ContainerFuzzer.requireNamed(name, e);
            return ContainerFuzzer.REJECTED_AT_OPEN;
        } catch (MissingProviderException e) {
            // Without checksums a damaged codec id is just another file's: it must be refused naming the file.
            if (checksums || !e.getMessage().startsWith(name + ": ")) {
                throw e;
            }
            return UNKNOWN_CODEC;
        }
        try (JpklArray a = array) {
            NdArray got = a.get("...");
            if (got.equals(expected)) {
                return ContainerFuzzer.READ_INTACT;
            }
            if (checksums) {
                throw new AssertionError("different data returned without an error");
            }
            return ContainerFuzzer.READ_CHANGED;
        } catch (JpklFormatException e) {
            ContainerFuzzer.requireNamed(name, e);
            return ContainerFuzzer.REJECTED_AT_READ;
        }
    }
}
