package org.jpkl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jpkl.compare.Samples;
import org.junit.jupiter.api.Test;

class TiledPlaneSectionTest {
    @Test
    void regionsStayInsideThePlaneAndReachBothEdges() {
        Random random = new Random(1);
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        for (int i = 0; i < 20_000; i++) {
            int[] at = TiledPlaneSection.pickRegion(random, 300, 260, 256, 256);
            assertTrue(at[0] >= 0 && at[0] + 256 <= 300, "y0 " + at[0]);
            assertTrue(at[1] >= 0 && at[1] + 256 <= 260, "x0 " + at[1]);
            minY = Math.min(minY, at[0]);
            maxY = Math.max(maxY, at[0]);
            minX = Math.min(minX, at[1]);
            maxX = Math.max(maxX, at[1]);
        }
        assertEquals(0, minY);
        assertEquals(300 - 256, maxY);
        assertEquals(0, minX);
        assertEquals(260 - 256, maxX);
    }

    @Test
    void aRegionAsLargeAsThePlaneSitsAtTheOrigin() {
        int[] at = TiledPlaneSection.pickRegion(new Random(2), 256, 256, 256, 256);
        assertEquals(0, at[0]);
        assertEquals(0, at[1]);
    }

    @Test
    void aRegionLargerThanThePlaneOrEmptyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TiledPlaneSection.pickRegion(new Random(3), 200, 8192, 256, 256));
        assertEquals("region 256 x 256 must be non-empty and fit the plane 200 x 8192", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TiledPlaneSection.pickRegion(new Random(3), 512, 512, 0, 256));
        assertEquals("region 0 x 256 must be non-empty and fit the plane 512 x 512", e.getMessage());
    }

    @Test
    void notBuiltRowPrintsItsGoalAndNoFigure() {
        Row r = Row.builder("levels", "levels", Units.SECONDS).figure("f", Samples.of(1.0)).baseline("full decode", Samples.of(30.0))
                .speedup().atLeast(20).notBuilt().build();
        assertEquals("not built yet", r.status());
        assertEquals("not built yet", r.figureText());
        assertEquals("n/a (full decode)", r.baselineText());
        assertEquals("≥ 20", r.goalText());
        assertEquals("n/a", r.ratioText());
        assertEquals("not built yet", r.toJson().get("status"));
    }

    @Test
    void goalsAreJudgedOnTheSameRunRatios() {
        Row region = Row.builder("r", "r", Units.SECONDS).figure("tiled", Samples.of(0.01)).baseline("untiled", Samples.of(0.49))
                .speedup().atLeast(50).build();
        assertEquals("MISS", region.status());
        Row size = Row.builder("s", "s", Units.BYTES).figure("tiled", Samples.of(103)).baseline("untiled", Samples.of(100))
                .atMost(1.03).build();
        assertEquals("PASS", size.status());
    }

    @Test
    void allLevelsGoDownToOneTile() {
        assertEquals(5, TiledPlaneSection.levelsDown(16_384));
        assertEquals(4, TiledPlaneSection.levelsDown(8_192));
        assertEquals(0, TiledPlaneSection.levelsDown(512));
        assertEquals(1, TiledPlaneSection.levelsDown(513));
    }
}
