package org.jpkl.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecSpecTest {
    @Test
    void parsesIdAndParametersInOrderAndPrintsThemBack() {
        CodecSpec spec = CodecSpec.parse(" deflate:level=6, filter=shuffle ");
        assertEquals("deflate", spec.id());
        assertEquals(List.of("level", "filter"), List.copyOf(spec.params().keySet()));
        assertEquals(Map.of("level", "6", "filter", "shuffle"), spec.params());
        assertEquals("deflate:level=6,filter=shuffle", spec.toString());
        assertEquals(spec, CodecSpec.parse(spec.toString()));
        assertEquals(CodecSpec.of("png"), CodecSpec.parse("png"));
        assertEquals("", CodecSpec.of("png").paramsText());
        assertEquals(Map.of("quality", ""), CodecSpec.parse("jpeg:quality=").params(), "an empty value is the codec's to judge");
        assertThrows(UnsupportedOperationException.class, () -> spec.params().put("x", "y"));
    }

    @Test
    void malformedSpecsAreRejectedNamingTheText() {
        for (String[] bad : new String[][] {
            {"JPEG", "id 'JPEG' is not valid"},
            {":quality=3", "id '' is not valid"},
            {"jpeg:quality", "parameter 'quality' is not KEY=VALUE"},
            {"jpeg:=3", "parameter '=3' is not KEY=VALUE"},
            {"jpeg:", "parameter '' is not KEY=VALUE"},
            {"jpeg:quality=1,quality=2", "parameter 'quality' is given twice"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CodecSpec.parse(bad[0]), bad[0]);
            assertTrue(e.getMessage().contains("codec spec '" + bad[0] + "'") && e.getMessage().contains(bad[1]), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> CodecSpec.of("png", java.util.Collections.singletonMap("level", null)));
    }
}
