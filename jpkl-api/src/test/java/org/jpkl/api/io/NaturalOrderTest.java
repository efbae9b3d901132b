package org.jpkl.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {
    @Test
    void numbersCompareByValue() {
        List<String> names = new ArrayList<>(List.of("img_10.png", "img_2.png", "img_1.png", "img_02.png", "IMG_3.png",
                "img_100.png", "img_99999999999999999999.png", "img.png", "img_2b.png"));
        names.sort(NaturalOrder.NAMES);
        assertEquals(List.of("img.png", "img_1.png", "img_2.png", "img_02.png", "img_2b.png", "IMG_3.png", "img_10.png",
                "img_100.png", "img_99999999999999999999.png"), names);
    }

    @Test
    void pathsSortByFileNameThenPath() {
        List<Path> paths = new ArrayList<>(List.of(Path.of("b/t10.tif"), Path.of("a/t2.tif"), Path.of("a/t10.tif")));
        paths.sort(NaturalOrder.PATHS);
        assertEquals(List.of(Path.of("a/t2.tif"), Path.of("a/t10.tif"), Path.of("b/t10.tif")), paths);
    }
}
