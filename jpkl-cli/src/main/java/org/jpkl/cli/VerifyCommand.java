package org.jpkl.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jpkl.JpklArray;
import org.jpkl.VerificationReport;
import org.jpkl.api.Shapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jpkl verify FILE}: checks every slice's checksum and that its codec decodes it. Exit 0 when
 * intact; exit 1 naming each damaged slice (key and slice number) otherwise. For a format without
 * slice checksums (JPkl pickles) it says that only decoding was checked.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check every slice of a container: its checksum and that it decodes (formats without checksums, such as JPkl pickles: only that it decodes). Exit 1 naming the damaged slices.",
        footerHeading = "%nExamples:%n",
        footer = {"  jpkl verify stack.jpkl", "  jpkl verify stack.jpkl --quiet && echo intact"})
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    JpklCommand root;

    @Parameters(index = "0", paramLabel = "FILE", converter = ContainerLocation.Converter.class,
            description = "A container file, or a URI such as https://host/stack.jpkl.")
    ContainerLocation file;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        VerificationReport report;
        try (JpklArray array = file.open(root.jpkl())) {
            report = array.verify();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (report.isIntact()) {
            if (!root.quiet()) {
                root.io().out().printf(Locale.ROOT, "%s: %d slices checked, %s (%.1f s)%n", file, report.slicesChecked(),
                        report.checksumsChecked() ? "all intact" : "all decode; " + VerificationReport.NO_CHECKSUMS, seconds);
            }
            return 0;
        }
        for (VerificationReport.Problem p : report.problems()) {
            root.io().out().println("damaged slice " + Shapes.format(p.key()) + " (slice number " + p.sliceNumber() + "): " + p.message());
        }
        String keys = report.problems().stream().map(p -> Shapes.format(p.key())).limit(20).collect(Collectors.joining(", "));
        throw CliException.data(file + " is damaged: " + report.problems().size() + " of " + report.slicesChecked() + " slices fail: "
                + keys + (report.problems().size() > 20 ? ", ..." : "") + "; restore it from a copy or re-encode it from the source");
    }
}
