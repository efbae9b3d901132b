package org.jpkl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jpkl.JpklArray;
import org.jpkl.api.spi.support.RemoteObjectSource;
import org.jpkl.compare.Samples;
import org.jpkl.http.LocalNginx;

/**
 * Opening over HTTP (issue 16): requests and bytes to open the 1,000- and 100,000-slice files of
 * {@link OpenSection} served by Debian's nginx on loopback ({@link LocalNginx}). Goals: at most 2
 * requests, and at most 1.05 x the header, index and footer read. Without nginx the rows say why.
 */
final class RemoteOpenSection {
    private RemoteOpenSection() {
    }

    static void run(Fixtures f, Plan plan, Report report) throws Exception {
        byte[][] tiny = OpenSection.tiny(f);
        List<Object[]> files = new ArrayList<>();
        files.add(new Object[] {"1000", "1,000", f.file("open-1k.jpkl", OpenSection.SHAPE_1K, tiny)});
        if (plan.hugeIndex) {
            files.add(new Object[] {"100000", "100,000", f.file("open-100k.jpkl", OpenSection.SHAPE_100K, tiny)});
        }
        if (!plan.measured) {
            return;
        }
        Optional<String> missing = LocalNginx.problem();
        if (missing.isPresent()) {
            String why = "skipped: " + missing.get() + " (apt-get install nginx-light)";
            System.err.println("jpkl-bench: remote open rows " + why);
            for (Object[] e : files) {
                report.add(Row.builder("remote_open_requests_" + e[0], "remote open " + e[1] + " slices (HTTP, nginx): requests",
                        "requests").atMost(2).note(why).build());
            }
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        try (LocalNginx nginx = LocalNginx.start(f.work)) {
            for (Object[] e : files) {
                Path file = (Path) e[2];
                RemoteObjectSource source = (RemoteObjectSource) f.jpkl1.storage().open(nginx.uri(file.getFileName().toString()));
                long requests;
                long bytes;
                long slices;
                try (JpklArray a = f.jpkl1.open(source)) {
                    requests = source.requests();
                    bytes = source.bytesFetched();
                    slices = a.sliceCount();
                }
                long structure = Files.size(file) - slices * tiny[0].length; // every slice holds the same plane
                report.add(Row.builder("remote_open_requests_" + e[0], "remote open " + e[1] + " slices (HTTP, nginx): requests", "requests")
                        .figure("requests", Samples.of(requests)).baseline("one request", Samples.of(1)).atMost(2)
                        .note("ratio = requests made by Jpkl.open over HTTP").build());
                report.add(Row.builder("remote_open_bytes_" + e[0], "remote open " + e[1] + " slices (HTTP, nginx): bytes", Units.BYTES)
                        .figure("fetched", Samples.of(bytes)).baseline("header + index + footer", Samples.of(structure)).atMost(1.05)
                        .note("the first request fetches http.head-bytes (1 KiB), the second footer and index").build());
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("requests", requests);
                d.put("bytes_fetched", bytes);
                d.put("header_index_footer_bytes", structure);
                details.put((String) e[0], d);
            }
        }
        report.detail("remote_open", details);
    }
}
