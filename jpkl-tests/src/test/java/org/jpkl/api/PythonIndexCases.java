package org.jpkl.api;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the 4,000 random index expressions of {@code IndexConformanceTest} ({@link NaiveIndexing#conformanceCases})
 * with what this library answers for each (result shape and values on an arange array of the case's
 * dtype, or the exception class), one JSON object a line, for the Python reader to replay. In this
 * package because the cases are package-private test code of jpkl-api (jpkl-tests runs on the class path).
 */
public final class PythonIndexCases {
    private PythonIndexCases() {
    }

    /** Writes every case to {@code target}; returns how many. */
    public static int write(Path target) throws IOException {
        Gson gson = new Gson();
        List<NaiveIndexing.RandomCase> cases = NaiveIndexing.conformanceCases();
        try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            for (int k = 0; k < cases.size(); k++) {
                NaiveIndexing.RandomCase c = cases.get(k);
                DType dtype = NumpyFixture.dtypeFor(k, c.shape);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("shape", c.shape);
                o.put("dtype", dtype.toString());
                o.put("expression", c.expression);
                try {
                    NdArray result = NumpyFixture.arange(dtype, c.shape).get(c.expression);
                    o.put("result_shape", result.shape());
                    o.put("values", NumpyFixture.valuesOf(result));
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    o.put("error", e.getClass().getSimpleName());
                    o.put("message", e.getMessage());
                }
                w.write(gson.toJson(o));
                w.write('\n');
            }
        }
        return cases.size();
    }
}
