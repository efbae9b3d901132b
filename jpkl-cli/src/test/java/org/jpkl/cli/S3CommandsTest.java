package org.jpkl.cli;

import org.junit.jupiter.api.Test;

/**
 * The command line reads {@code s3://} through jpkl-s3 (in the jar): its options are taken, and a
 * store that cannot be reached is a data error naming the URI. (Reading and writing against a real
 * S3 server is tested in jpkl-s3, S3StorageTest.)
 */
class S3CommandsTest {
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
