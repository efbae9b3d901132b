package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which metadata the slider labels use, and that malformed metadata is ignored rather than refused. */
class AxisAnnotationsTest {
    @Test
    void viewerConventionGivesUnitScaleOriginAndValues() {
        Map<String, Object> meta = Map.of("axes", Map.of(
                "z", Map.of("unit", "µm", "scale", 0.25, "origin", 10L),
                "c", Map.of("values", List.of("DAPI", "GFP"))));
        assertEquals(Map.of("unit", "µm", "scale", 0.25, "origin", 10.0), AxisAnnotations.of(meta, "z", 5));
        assertEquals(Map.of("values", List.of("DAPI", "GFP")), AxisAnnotations.of(meta, "c", 2));
        assertEquals(Map.of(), AxisAnnotations.of(meta, "t", 3));
    }

    @Test
    void valuesOfTheWrongLengthOrKindAreIgnored() {
        Map<String, Object> meta = Map.of("axes", Map.of(
                "c", Map.of("values", List.of("DAPI", "GFP", "RFP"), "unit", 3),
                "t", Map.of("values", List.of(Map.of("nested", 1), 2.0), "scale", "fast")));
        assertEquals(Map.of(), AxisAnnotations.of(meta, "c", 2));
        assertEquals(Map.of(), AxisAnnotations.of(meta, "t", 2));
        assertEquals(Map.of(), AxisAnnotations.of(Map.of("axes", "not an object"), "z", 2));
        assertEquals(Map.of(), AxisAnnotations.of(Map.of("axes", Map.of("z", List.of(1))), "z", 2));
    }

    @Test
    void imageJDescriptionFromTiffImportLabelsZAndT() {
        Map<String, Object> meta = Map.of("tiff", Map.of("imagej", Map.of("spacing", 0.5, "unit", "micron", "finterval", 2L)));
        assertEquals(Map.of("scale", 0.5, "unit", "micron"), AxisAnnotations.of(meta, "z", 4));
        assertEquals(Map.of("scale", 2.0, "unit", "s"), AxisAnnotations.of(meta, "T", 4));
        assertEquals(Map.of(), AxisAnnotations.of(meta, "c", 4));
    }
}
