package org.jpkl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jpkl.api.io.AtomicFileOutput;
import org.jpkl.api.io.RandomAccessSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard is published without being forced to disk, and reads back as written. */
class ShardTest {
    @TempDir
    Path dir;

    @Test
    void aShardIsPublishedWithoutForcingItToDisk() throws IOException {
        Path shardFile = dir.resolve(Shard.fileName(3));
        Path control = dir.resolve("control.bin");
        Shard.Plan plan = new Shard.Plan(3, 30, 2, 1234);
        List<RecordedEvent> forces;
        Path shardTemp;
        Path controlTemp;
        try (Recording jfr = new Recording()) {
            jfr.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
            jfr.start();
            try (Shard.Writer w = new Shard.Writer(shardFile, plan)) {
                shardTemp = w.tempFile();
                w.write(30, ByteBuffer.wrap(new byte[] {1, 2, 3}));
                w.write(31, ByteBuffer.wrap(new byte[] {4, 5}));
                w.commit();
            }
            // The control: a plain commit forces its file, so the recording does see forces.
            try (AtomicFileOutput out = AtomicFileOutput.create(control)) {
                controlTemp = out.tempFile();
                out.write(ByteBuffer.wrap(new byte[] {9}));
                out.commit();
            }
            jfr.stop();
            Path events = dir.resolve("forces.jfr");
            jfr.dump(events);
            forces = RecordingFile.readAllEvents(events);
        }
        List<String> forced = forces.stream().filter(e -> e.getEventType().getName().equals("jdk.FileForce"))
                .map(e -> e.getString("path")).toList();
        assertTrue(forced.contains(controlTemp.toString()), "the control was forced: " + forced);
        assertFalse(forced.contains(shardTemp.toString()), "the shard was not forced: " + forced);

        try (RandomAccessSource in = RandomAccessSource.open(shardFile)) {
            Shard.Contents c = Shard.read(in, 2);
            assertEquals(plan, c.plan());
            assertEquals(List.of(new Shard.Entry(30, Shard.HEAD_BYTES, 3, Shard.crc(new byte[] {1, 2, 3})),
                    new Shard.Entry(31, Shard.HEAD_BYTES + 3, 2, Shard.crc(new byte[] {4, 5}))), c.entries());
            assertEquals(ByteBuffer.wrap(new byte[] {4, 5}), Shard.readChunk(in, c.entries().get(1)));
        }
        assertFalse(Files.exists(shardTemp));
    }
}
