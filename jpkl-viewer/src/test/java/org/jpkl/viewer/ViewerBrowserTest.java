package org.jpkl.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import org.jpkl.Jpkl;
import org.jpkl.JpklArray;
import org.junit.jupiter.api.AfterAll;
import org.jpkl.api.testing.OptionalPieces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * Drives the page in Debian's Chromium (headless) with Selenium: moves a slider, presses arrow
 * keys, changes the window and LUT, reads the pixel under the cursor, and compares the canvas'
 * pixels with the slices decoded by jpkl and windowed by the formula the page documents. Measures
 * scrubbing speed through the page's own prefetch path and prints it. Screenshots go to
 * {@code target/viewer-screenshots/}.
 *
 * <p>Skipped (with the reason) when /usr/bin/chromium or /usr/bin/chromedriver is missing, except
 * under CI ({@code CI=true}), where that is a failure.
 */
class ViewerBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int SCRUB_SLICES = 100;
    /** The page's limit for the coarse level that gives a tiled plane's histogram and window (OVERVIEW_MAX_PIXELS in viewer.js). */
    private static final long OVERVIEW_MAX_PIXELS = 1 << 18;

    @TempDir
    static Path dir;

    private static final Jpkl JPKL = Jpkl.create();
    private static Path stack16;
    private static Path stack8;
    private static Path scrub16;
    private static Path scrub8;
    private static Path zyx32;
    private static Path rgb;
    private static Path wide;
    private static Path huge;
    private static Path hugeWithoutLevels;
    private static Path tiled8;
    private static ViewerServer server;
    private static URI base;
    private static ChromeDriver driver;
    private static Path screenshots;

    @BeforeAll
    static void startBrowser() throws IOException {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM.toString() : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER.toString() : null;
        OptionalPieces.require("A browser for the viewer's tests", Optional.ofNullable(missing).map(m -> m + " is missing"),
                "chromium chromium-driver");
        stack16 = TestStacks.uint16Stack(JPKL, dir, 8, 3);
        stack8 = TestStacks.uint8JpegStack(JPKL, dir, 6, 4);
        scrub16 = TestStacks.uint16Scrub(JPKL, dir, SCRUB_SLICES);
        scrub8 = TestStacks.uint8Scrub(JPKL, dir, SCRUB_SLICES);
        zyx32 = TestStacks.float32ZYX(JPKL, dir);
        rgb = TestStacks.rgbJpeg(JPKL, dir);
        wide = TestStacks.widePlane(JPKL, dir);
        huge = TestStacks.hugeConstantPlane(JPKL, dir, 77, 7);
        hugeWithoutLevels = TestStacks.hugeConstantPlane(JPKL, dir, 77, 0);
        tiled8 = TestStacks.tiledJpeg8(JPKL, dir);
        server = ViewerServer.builder(JPKL).files(List.of(stack16, stack8, scrub16, scrub8, zyx32, rgb, wide, huge, hugeWithoutLevels,
                tiled8)).build();
        base = server.start();
        screenshots = Path.of(System.getProperty("jpkl.viewer.screenshots", "target/viewer-screenshots"));
        Files.createDirectories(screenshots);

        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--force-device-scale-factor=1", "--window-size=1400,950",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void blank() {
        driver.get("about:blank");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void sliderAndArrowKeysShowTheExpectedSlice() throws Exception {
        open("file=0&pos=0,0&axis=0&chan=-1&zoom=1&pan=0,0&win=0:500:15000");
        assertCanvasShows(stack16, new int[] {0, 0}, 500, 15000, "grey");

        WebElement slider = driver.findElement(By.id("axis-0"));
        new Actions(driver).moveToElement(slider, slider.getSize().getWidth() / 4, 0).click().perform();
        ready();
        int z = Integer.parseInt(slider.getAttribute("value"));
        assertTrue(z > 0 && z < 8, "the click moved the z slider, to " + z);
        assertArrayEquals(new int[] {z, 0}, position());
        assertCanvasShows(stack16, new int[] {z, 0}, 500, 15000, "grey");
        String label = driver.findElement(By.cssSelector(".axis[data-axis='0'] .value")).getText();
        assertEquals(String.valueOf(z * 0.5).replaceAll("\\.0$", "") + " µm", label, "z label from metadata.axes.z");

        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
        ready();
        assertArrayEquals(new int[] {z + 1, 0}, position(), "ArrowRight steps the active axis (z)");
        assertCanvasShows(stack16, new int[] {z + 1, 0}, 500, 15000, "grey");

        new Actions(driver).sendKeys(Keys.ARROW_DOWN).sendKeys(Keys.ARROW_RIGHT).sendKeys(Keys.ARROW_RIGHT).perform();
        ready();
        assertArrayEquals(new int[] {z + 1, 2}, position(), "ArrowDown makes c active, ArrowRight steps it");
        assertCanvasShows(stack16, new int[] {z + 1, 2}, 500, 15000, "grey");
        assertEquals("RFP", driver.findElement(By.cssSelector(".axis[data-axis='1'] .value")).getText());
        screenshot("01-slider-and-arrows");

        String hash = awaitHash("pos=" + (z + 1) + "%2C2", "axis=1");
        assertTrue(hash.contains("pos=" + (z + 1) + "%2C2") && hash.contains("axis=1"), "the URL records the view: " + hash);
        driver.get("about:blank");
        driver.get(base + hash);
        ready();
        assertArrayEquals(new int[] {z + 1, 2}, position(), "the link reopens the same position");
        assertCanvasShows(stack16, new int[] {z + 1, 2}, 500, 15000, "grey");

        driver.findElement(By.id("play")).click();
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        long until = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < 3 && System.nanoTime() < until) {
            seen.add(position()[1]);
            Thread.sleep(10);
        }
        driver.findElement(By.id("play")).click();
        assertEquals("[0, 1, 2]", seen.toString(), "play loops through the active axis (c)");
    }

    @Test
    void windowControlsAndLutChangeThePixelsAsComputed() throws Exception {
        open("file=0&pos=3,1&axis=0&chan=-1&zoom=1&pan=0,0&win=0:500:15000");
        assertCanvasShows(stack16, new int[] {3, 1}, 500, 15000, "grey");

        setNumber("win-min", "2000");
        setNumber("win-max", "6000");
        ready();
        assertCanvasShows(stack16, new int[] {3, 1}, 2000, 6000, "grey");
        screenshot("02-window-2000-6000");

        driver.findElement(By.id("auto")).click();
        double[] expected = percentileWindow(plane(stack16, new int[] {3, 1}));
        assertEquals(format(expected[0]), driver.findElement(By.id("win-min")).getAttribute("value"));
        assertEquals(format(expected[1]), driver.findElement(By.id("win-max")).getAttribute("value"));
        assertCanvasShows(stack16, new int[] {3, 1}, expected[0], expected[1], "grey");

        new Select(driver.findElement(By.id("lut"))).selectByValue("inverted");
        assertCanvasShows(stack16, new int[] {3, 1}, expected[0], expected[1], "inverted");
        new Select(driver.findElement(By.id("lut"))).selectByValue("perceptual");
        int[] rgba = canvasPixels(0, 0, 512, 512);
        assertTrue(countNonGrey(rgba) > 100_000, "the perceptual LUT colours the image");
        screenshot("03-auto-window-perceptual-lut");
    }

    @Test
    void readoutShowsTheValueUnderTheCursor() throws Exception {
        open("file=0&pos=5,2&axis=0&chan=-1&zoom=1&pan=0,0&win=0:500:15000");
        short[] plane = (short[]) plane(stack16, new int[] {5, 2});
        int[][] points = {{200, 300}, {0, 0}, {511, 511}, {37, 450}};
        for (int[] p : points) {
            hover(p[0], p[1]);
            WebElement readout = driver.findElement(By.id("readout"));
            assertEquals(Integer.toString(p[0]), readout.getAttribute("data-x"));
            assertEquals(Integer.toString(p[1]), readout.getAttribute("data-y"));
            int value = plane[p[1] * 512 + p[0]] & 0xFFFF;
            assertEquals(Integer.toString(value), readout.getAttribute("data-value"), "value at " + Arrays.toString(p));
            assertTrue(readout.getText().contains("value " + value), readout.getText());
        }
        new Actions(driver).sendKeys(Keys.ARROW_LEFT).perform();
        ready();
        short[] previous = (short[]) plane(stack16, new int[] {4, 2});
        assertEquals(Integer.toString(previous[450 * 512 + 37] & 0xFFFF), driver.findElement(By.id("readout")).getAttribute("data-value"),
                "the readout follows the slice under a still cursor");
        screenshot("04-readout");
    }

    @Test
    void compositeGivesEachChannelItsColour() throws Exception {
        open("file=0&pos=2,0&axis=0&chan=1&comp=1&zoom=1&pan=0,0&win=0:500:12000,1:1500:13000,2:2500:14000");
        int[] rgba = canvasPixels(0, 0, 512, 512);
        double[][] windows = {{500, 12000}, {1500, 13000}, {2500, 14000}};
        int mismatches = 0;
        short[][] channels = new short[3][];
        for (int c = 0; c < 3; c++) {
            channels[c] = (short[]) plane(stack16, new int[] {2, c});
        }
        for (int i = 0; i < 512 * 512; i++) {
            for (int c = 0; c < 3; c++) {
                if ((rgba[4 * i + c]) != level(channels[c][i] & 0xFFFF, windows[c][0], windows[c][1])) {
                    mismatches++;
                }
            }
        }
        assertEquals(0, mismatches, "composite red/green/blue = the windowed channels");
        hover(260, 210);
        String expected = (channels[0][210 * 512 + 260] & 0xFFFF) + "," + (channels[1][210 * 512 + 260] & 0xFFFF) + ","
                + (channels[2][210 * 512 + 260] & 0xFFFF);
        assertEquals(expected, driver.findElement(By.id("readout")).getAttribute("data-value"));
        assertTrue(driver.findElement(By.id("readout")).getText().contains("DAPI"), "channels named from metadata");
        driver.findElement(By.id("zoom-fit")).click();
        screenshot("05-composite");
    }

    @Test
    void uint8JpegSlicesAreDecodedByTheBrowserAsStored() throws Exception {
        open("file=1&pos=4,3&axis=0&zoom=1&pan=0,0");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> loads = (List<Map<String, Object>>) js("return window.jpklViewer.loads();");
        assertEquals(Boolean.TRUE, js("return window.jpklViewer.jpegExact();"), "Chromium decodes the stored JPEG as jpkl does");
        assertEquals("jpeg", loads.get(loads.size() - 1).get("format"), "auto sends the stored JPEG");
        byte[] expected = (byte[]) plane(stack8, new int[] {4, 3});
        int[] rgba = canvasPixels(0, 0, 512, 512);
        int maxDiff = 0;
        int differing = 0;
        for (int i = 0; i < 512 * 512; i++) {
            int d = Math.abs(rgba[4 * i] - (expected[i] & 0xFF));
            maxDiff = Math.max(maxDiff, d);
            differing += d == 0 ? 0 : 1;
        }
        System.out.printf(Locale.ROOT, "viewer: Chromium's JPEG decode vs jpkl's: max abs diff %d, %d of %d pixels differ%n", maxDiff,
                differing, 512 * 512);
        assertEquals(0, maxDiff, "the browser decodes the stored JPEG to the same samples as jpkl");
        hover(100, 400);
        assertEquals(Integer.toString(expected[400 * 512 + 100] & 0xFF), driver.findElement(By.id("readout")).getAttribute("data-value"));
        screenshot("06-jpeg-as-stored");
    }

    @Test
    void floatPlanesWithAxesLastAreWindowedAndReadOut() throws Exception {
        open("file=4&pos=2&zoom=1&pan=0,0&win=0:1900:2200");
        float[] plane;
        try (JpklArray a = JPKL.open(zyx32)) {
            plane = a.get("2, :, :").toFloatArray();
        }
        int[] rgba = canvasPixels(0, 0, 40, 30);
        for (int i = 0; i < 30 * 40; i++) {
            assertEquals(level(plane[i], 1900, 2200), rgba[4 * i], "pixel " + i + " value " + plane[i]);
        }
        hover(13, 7);
        float v = plane[7 * 40 + 13];
        assertEquals(new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString(),
                driver.findElement(By.id("readout")).getAttribute("data-value"));
        driver.findElement(By.id("auto")).click();
        assertEquals("1901.25", driver.findElement(By.id("win-min")).getAttribute("value"), "0.1st percentile of the 1200 values");
        screenshot("09-float32-zyx");
    }

    @Test
    void rgbPlanesAreShownInColour() throws Exception {
        open("file=5&pos=1&zoom=8&pan=0,0");
        byte[] plane;
        try (JpklArray a = JPKL.open(rgb)) {
            plane = a.get(":, :, :, 1").toByteArray();
        }
        int[] rgba = canvasPixels(0, 0, 32 * 8, 24 * 8);
        int mismatches = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    int canvas = rgba[4 * ((y * 8 + 4) * 32 * 8 + x * 8 + 4) + c];
                    mismatches += canvas == (plane[(y * 32 + x) * 3 + c] & 0xFF) ? 0 : 1;
                }
            }
        }
        assertEquals(0, mismatches, "zoomed 8x, each image pixel is an 8x8 block of its colour; format "
                + js("return document.getElementById('format').selectedOptions[0].textContent;"));
        hover(3 * 8 + 2, 5 * 8 + 6);
        int i = (5 * 32 + 3) * 3;
        assertEquals((plane[i] & 0xFF) + "," + (plane[i + 1] & 0xFF) + "," + (plane[i + 2] & 0xFF),
                driver.findElement(By.id("readout")).getAttribute("data-value"));
        screenshot("10-rgb-zoomed");
    }

    @Test
    void wheelZoomsAroundTheCursorDragPansAndTheFileMenuSwitches() throws Exception {
        open("file=0&pos=1,1&axis=0&chan=-1&zoom=1&pan=0,0&win=0:500:15000");
        WebElement view = driver.findElement(By.id("view"));
        hover(100, 100);
        new Actions(driver).scrollFromOrigin(org.openqa.selenium.interactions.WheelInput.ScrollOrigin.fromViewport(
                view.getRect().getX() + 100, view.getRect().getY() + 100), 0, -120).perform();
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) js("return window.jpklViewer.state();");
        assertEquals(1.25, ((Number) state.get("zoom")).doubleValue(), 1e-9, "one wheel step zooms by 1.25");
        hover(100, 100);
        assertEquals("100", driver.findElement(By.id("readout")).getAttribute("data-x"), "the point under the cursor stays");
        assertEquals("100", driver.findElement(By.id("readout")).getAttribute("data-y"));
        new Actions(driver).clickAndHold().moveToLocation(view.getRect().getX() + 160, view.getRect().getY() + 140).release().perform();
        assertEquals("100", driver.findElement(By.id("readout")).getAttribute("data-x"), "dragging moves the image with the cursor");
        assertEquals("100", driver.findElement(By.id("readout")).getAttribute("data-y"));
        String zoomed = awaitHash("zoom=1.25&pan=35%2C15");
        assertTrue(zoomed.contains("zoom=1.25&pan=35%2C15"), "zoomed by 1.25 about (100, 100): "
                + "pan 100 - 100 * 1.25 = -25, then dragged by (60, 40); " + zoomed);

        new Select(driver.findElement(By.id("file"))).selectByValue("1");
        ready();
        assertTrue(driver.findElement(By.id("file-info")).getText().startsWith("uint8 (512, 512, 6, 4)"));
        assertArrayEquals(new int[] {0, 0}, position());
        screenshot("11-zoomed-panned-then-file-1");
    }

    @Test
    void scrubbingSpeed() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(scrub("file=2&pos=0&axis=0&zoom=1&pan=0,0&win=0:0:41000", "uint16 deflate, raw"));
        screenshot("07-scrubbed-uint16");
        assertCanvasShows(scrub16, position(), 0, 41000, "grey");
        lines.add(scrub("file=3&pos=0&axis=0&zoom=1&pan=0,0", "uint8 jpeg, stored JPEG"));
        lines.add(scrub("file=3&pos=0&axis=0&zoom=1&pan=0,0&fmt=raw", "uint8 jpeg, raw"));
        screenshot("08-scrubbed-uint8");
        lines.forEach(System.out::println);
    }

    /** Runs the page's benchmark over slices it has never seen; prints and returns the figures. */
    private String scrub(String hash, String what) throws Exception {
        open(hash);
        int frames = SCRUB_SLICES - 10;
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; window.jpklViewer.benchmark(arguments[0]).then(done);", frames);
        assertEquals(frames, ((Number) r.get("frames")).intValue());
        ready();
        assertEquals(frames, position()[0], "the benchmark stepped one slice per shown frame");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> loads = (List<Map<String, Object>>) js("return window.jpklViewer.loads();");
        double ms = 0;
        double bytes = 0;
        for (Map<String, Object> l : loads) {
            ms += ((Number) l.get("ms")).doubleValue();
            bytes += ((Number) l.get("bytes")).doubleValue();
        }
        return String.format(Locale.ROOT,
                "viewer scrub 512x512 %-24s %5.1f slices/s (%d slices in %.0f ms, %d frames waited); %d loads, %.1f ms and %.0f KB each",
                what, ((Number) r.get("fps")).doubleValue(), frames, ((Number) r.get("ms")).doubleValue(),
                ((Number) r.get("stalls")).intValue(), loads.size(), ms / loads.size(), bytes / loads.size() / 1024);
    }

    // ------------------------------------------------------------------ tiles and levels (issue 15)

    /** The view's size in CSS pixels (= canvas pixels: the device scale factor is 1). */
    private static int[] viewSize() {
        @SuppressWarnings("unchecked")
        List<Number> size = (List<Number>) js("const r = document.getElementById('view').getBoundingClientRect();"
                + "return [Math.round(r.width), Math.round(r.height)];");
        return new int[] {size.get(0).intValue(), size.get(1).intValue()};
    }

    /** API bytes the server sends while the page opens {@code hash} (the blank page first, and a pause for stragglers). */
    private static long bytesToOpen(String hash) throws InterruptedException {
        driver.get("about:blank");
        Thread.sleep(300);
        long before = server.apiBytesSent();
        driver.get(base + "#" + hash);
        ready();
        return server.apiBytesSent() - before;
    }

    /** Asserts that the canvas from (0, 0) shows the wide plane's pixels from (y0, x0) at zoom 1, linear window [0, 255]. */
    private static void assertWideCanvas(int y0, int x0, int w, int h) {
        int[] rgba = canvasPixels(0, 0, w, h);
        int mismatches = 0;
        String first = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int expected = TestStacks.wideValue(y0 + y, x0 + x);
                int got = rgba[4 * (y * w + x)];
                if (got != expected) {
                    mismatches++;
                    first = first != null ? first : "(" + (x0 + x) + ", " + (y0 + y) + "): canvas " + got + ", plane " + expected;
                }
            }
        }
        assertEquals(0, mismatches, "canvas vs the wide plane from (" + x0 + ", " + y0 + "); first: " + first);
    }

    @Test
    void aPlaneWiderThanJpegOpensPansAndZoomsFetchingOnlyTheTilesInView() throws Exception {
        long planeBytes = 1024L * 70_000;
        long firstView = bytesToOpen("file=6");
        int[] view = viewSize();
        long viewportBytes = (long) view[0] * view[1];
        System.out.printf(Locale.ROOT, "viewer: 1,024 x 70,000 uint8 plane, first (fit) view: %d bytes of API answers for a %d x %d view "
                + "(level %s; plane %d bytes)%n", firstView, view[0], view[1], js("return window.jpklViewer.level();"), planeBytes);
        assertTrue(firstView <= viewportBytes, "the first view costs at most a viewport of samples: " + firstView + " > " + viewportBytes);
        assertEquals(6L, ((Number) js("return window.jpklViewer.level();")).longValue(),
                "fit: 70,000 px in about 1,000: level 6 (1/64), the coarsest whose pixel is not larger than a screen pixel");
        assertTrue(driver.findElement(By.id("level-info")).getText().startsWith("level 6 of 7 (1/64 scale), 3 tile(s) in view"),
                driver.findElement(By.id("level-info")).getText());

        int x0 = 30_000;
        long oneToOne = bytesToOpen("file=6&zoom=1&pan=-" + x0 + ",0");
        long tilesInView = (long) (view[0] / 512 + 2) * (Math.min(view[1], 1024) / 512 + 2);
        long bound = tilesInView * 512 * 512 + OVERVIEW_MAX_PIXELS + 16_384;
        System.out.printf(Locale.ROOT, "viewer: the same plane at 1:1 from x = %d: %d bytes (bound: %d tiles in view + overview + JSON = %d)%n",
                x0, oneToOne, tilesInView, bound);
        assertTrue(oneToOne <= bound, oneToOne + " > " + bound);
        assertEquals(0L, ((Number) js("return window.jpklViewer.level();")).longValue());
        int h = Math.min(view[1], 1024);
        assertWideCanvas(0, x0, view[0], h);
        hover(40, 30);
        assertEquals(Integer.toString(TestStacks.wideValue(30, x0 + 40)), driver.findElement(By.id("readout")).getAttribute("data-value"));
        assertEquals(Integer.toString(x0 + 40), driver.findElement(By.id("readout")).getAttribute("data-x"));

        // the scale bar: 0.25 um pixels at zoom 1: about 120 px is 30 um, rounded down to 20 um = 80 px
        WebElement scaleBar = driver.findElement(By.id("scale-bar"));
        assertTrue(scaleBar.isDisplayed(), "pixel_size_um gives a scale bar");
        assertEquals("20 µm", driver.findElement(By.id("scale-bar-label")).getText());
        assertEquals("80.000", scaleBar.getAttribute("data-px"));
        assertEquals(80, driver.findElement(By.id("scale-bar-line")).getSize().getWidth());
        assertTrue(driver.findElement(By.id("pixel-size")).getText().contains("pixel 0.25 µm"),
                driver.findElement(By.id("pixel-size")).getText());

        // drag the image 700 px to the left: the tiles newly in view are fetched
        WebElement canvas = driver.findElement(By.id("view"));
        Rectangle r = canvas.getRect();
        long beforeDrag = server.apiBytesSent();
        new Actions(driver).moveToLocation(r.getX() + 800, r.getY() + 100).clickAndHold()
                .moveToLocation(r.getX() + 100, r.getY() + 100).release().perform();
        ready();
        assertWideCanvas(0, x0 + 700, view[0], h);
        long panned = server.apiBytesSent() - beforeDrag;
        assertTrue(panned > 0 && panned <= 4L * 512 * 512, "a 700 px pan fetches the one or two new tile columns: " + panned);
        screenshot("12-wide-plane-1to1");

        // zoom out with the wheel: the level switches to the one that fits
        for (int k = 0; k < 10; k++) {
            new Actions(driver).scrollFromOrigin(org.openqa.selenium.interactions.WheelInput.ScrollOrigin.fromViewport(
                    r.getX() + 200, r.getY() + 200), 0, 120).perform();
        }
        ready();
        double zoom = ((Number) ((Map<?, ?>) js("return window.jpklViewer.state();")).get("zoom")).doubleValue();
        assertEquals(Math.pow(0.8, 10), zoom, 1e-9, "ten wheel steps out");
        assertEquals(3L, ((Number) js("return window.jpklViewer.level();")).longValue(), "zoom 0.107: level 3 (1/8)");
        assertTrue(driver.findElement(By.id("readout")).getText().isEmpty()
                || !driver.findElement(By.id("readout")).getText().contains("undefined"));
        driver.findElement(By.id("zoom-in")).click();
        ready();
        assertEquals(2L, ((Number) js("return window.jpklViewer.level();")).longValue(), "the + button doubles the zoom: level 2");
        screenshot("13-wide-plane-zoomed-out");
    }

    @Test
    void aPlaneOf131072PixelsASideOpensWithOneTile() throws Exception {
        long bytes = bytesToOpen("file=7");
        System.out.printf(Locale.ROOT, "viewer: 131,072 x 131,072 uint8 plane (17 GB raw), first view: %d bytes of API answers%n", bytes);
        assertEquals(7L, ((Number) js("return window.jpklViewer.level();")).longValue());
        assertTrue(bytes <= 1024 * 1024 + 16_384, "one 1,024 x 1,024 tile of level 7 and the JSON: " + bytes);
        int[] view = viewSize();
        int[] centre = canvasPixels(view[0] / 2, view[1] / 2, 1, 1);
        assertEquals(77, centre[0], "the constant plane's value under the default uint8 window [0, 255]");
        screenshot("14-huge-plane-fit");
    }

    @Test
    void aHugePlaneWithoutLevelsAsksToZoomInRatherThanFetchEveryTile() throws Exception {
        driver.get("about:blank");
        Thread.sleep(300);
        long before = server.apiBytesSent();
        driver.get(base + "#file=8");
        awaitPage();
        Object error = js("const e = document.getElementById('error'); return e.hidden ? null : e.textContent;");
        assertEquals("zoom in to see this plane: 16384 tiles of level 0 are in view (at most 64 are fetched); the file has 1 "
                + "resolution level(s): jpkl pyramid adds more", error);
        long sent = server.apiBytesSent() - before;
        assertTrue(sent < 16_384, "no tile was fetched, only the JSON: " + sent + " bytes");

        open("file=8&zoom=1&pan=-65536,-65536");
        @SuppressWarnings("unchecked")
        List<List<Number>> tiles = (List<List<Number>>) js("return window.jpklViewer.tilesInView();");
        int[] view = viewSize();
        assertEquals((long) ((view[0] + 1023) / 1024) * ((view[1] + 1023) / 1024), tiles.size(), "the tiles in view at 1:1: " + tiles);
        assertEquals(64L, tiles.get(0).get(1).longValue(), "the view starts at tile row 64 (y = 65,536)");
        assertEquals(77, canvasPixels(10, 10, 1, 1)[0]);
    }

    @Test
    void storedJpegTilesAreDrawnInTheirPlacesEdgeTilesIncluded() throws Exception {
        open("file=9&pos=1&zoom=1&pan=0,0");
        assertEquals(Boolean.TRUE, js("return window.jpklViewer.jpegExact();"), "checked on a stored tile");
        assertEquals(0L, ((Number) js("return window.jpklViewer.level();")).longValue());
        assertEquals(20L, ((Number) js("return window.jpklViewer.tilesInView().length;")).longValue(), "4 x 5 tiles of 64 x 64");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> loads = (List<Map<String, Object>>) js("return window.jpklViewer.loads();");
        assertTrue(loads.stream().allMatch(l -> "jpeg".equals(l.get("format"))), "every tile sent as stored JPEG: " + loads);
        byte[] plane;
        try (JpklArray a = JPKL.open(tiled8)) {
            plane = a.get(":, :, 1").toByteArray();
        }
        int[] rgba = canvasPixels(0, 0, 260, 200);
        int mismatches = 0;
        for (int i = 0; i < 260 * 200; i++) {
            mismatches += rgba[4 * i] == (plane[i] & 0xFF) ? 0 : 1;
        }
        assertEquals(0, mismatches, "the 20 tiles decoded by the browser sit where jpkl's plane has them");
        hover(259, 199);
        assertEquals(Integer.toString(plane[199 * 260 + 259] & 0xFF), driver.findElement(By.id("readout")).getAttribute("data-value"),
                "the readout in the corner edge tile");
        assertTrue(driver.findElement(By.id("histogram-info")).getText().startsWith("of the whole plane"), "a 200 x 260 level 0 is its own overview");
    }

    @Test
    void stretchesAndTheColourBarChangeThePixelsAsComputed() throws Exception {
        open("file=0&pos=3,1&axis=0&chan=-1&zoom=1&pan=0,0&win=0:2000:15000&st=gamma&gam=0.5");
        int[] key = {3, 1};
        assertCanvasStretched(stack16, key, 2000, 15000, "gamma", 0.5);
        assertColourBar("gamma", 0.5, false);
        assertEquals("gamma 0.5", driver.findElement(By.id("colour-bar-mid")).getText());
        assertEquals("2000", driver.findElement(By.id("colour-bar-min")).getText());
        assertEquals("15000", driver.findElement(By.id("colour-bar-max")).getText());
        screenshot("15-gamma-stretch");

        setNumber("gamma", "2");
        ready();
        assertCanvasStretched(stack16, key, 2000, 15000, "gamma", 2);
        assertColourBar("gamma", 2, false);
        String hash = awaitHash("st=gamma", "gam=2");
        assertTrue(hash.contains("st=gamma") && hash.contains("gam=2"), "the URL records the stretch: " + hash);

        for (String stretch : new String[] {"log", "asinh"}) {
            new Select(driver.findElement(By.id("stretch"))).selectByValue(stretch);
            assertCanvasStretched(stack16, key, 2000, 15000, stretch, 0);
            assertColourBar(stretch, 0, false);
            assertEquals(stretch, driver.findElement(By.id("colour-bar-mid")).getText());
        }
        assertTrue(driver.findElement(By.id("gamma")).getAttribute("disabled") != null, "gamma's value is for the gamma stretch only");
        new Select(driver.findElement(By.id("lut"))).selectByValue("inverted");
        assertColourBar("asinh", 0, true);
        screenshot("16-asinh-inverted");
        new Select(driver.findElement(By.id("lut"))).selectByValue("grey");
        new Select(driver.findElement(By.id("stretch"))).selectByValue("linear");
        assertCanvasShows(stack16, key, 2000, 15000, "grey");
        assertColourBar("linear", 0, false);
        assertTrue(!driver.findElement(By.id("scale-bar")).isDisplayed(), "no pixel_size_um, no scale bar");
    }

    @Test
    void theHistogramOfATiledPlaneComesFromACoarseLevelWithTheWindowDrawnOnIt() throws Exception {
        open("file=6");
        Map<?, ?> h = (Map<?, ?>) js("return window.jpklViewer.histogram();");
        assertEquals(5L, ((Number) h.get("level")).longValue(), "the finest level of at most 262,144 pixels: 2,188 x 32");
        long[] expected = new long[256];
        try (JpklArray a = JPKL.open(wide)) {
            for (byte b : a.level(5).get(":, :").toByteArray()) {
                expected[b & 0xFF]++;
            }
        }
        List<?> counts = (List<?>) h.get("counts");
        for (int v = 0; v < 256; v++) {
            assertEquals(expected[v], ((Number) counts.get(v)).longValue(), "count of value " + v);
        }
        assertEquals(2188L * 32, ((Number) h.get("pixels")).longValue());
        assertTrue(driver.findElement(By.id("histogram-info")).getText().startsWith("of level 5 (1/32 scale, cheap): 70,016 pixels"),
                driver.findElement(By.id("histogram-info")).getText());
        assertEquals(0L, ((Number) h.get("minX")).longValue());
        assertEquals(255L, ((Number) h.get("maxX")).longValue());

        setNumber("win-min", "50");
        setNumber("win-max", "200");
        ready();
        h = (Map<?, ?>) js("return window.jpklViewer.histogram();");
        assertEquals(50L, ((Number) h.get("minX")).longValue());
        assertEquals(200L, ((Number) h.get("maxX")).longValue());
        @SuppressWarnings("unchecked")
        List<Number> px = (List<Number>) js("return window.jpklViewer.histogramPixels();");
        for (int x : new int[] {50, 200}) {
            assertEquals("255,64,64", px.get(4 * x).intValue() + "," + px.get(4 * x + 1).intValue() + "," + px.get(4 * x + 2).intValue(),
                    "the window line at column " + x);
        }
        assertTrue(px.get(4 * 120).intValue() != 255 || px.get(4 * 120 + 1).intValue() != 64, "no line inside the window");
        // the whole-plane file says so
        open("file=0&pos=0,0&chan=-1");
        assertTrue(driver.findElement(By.id("histogram-info")).getText().startsWith("of the whole plane: 262,144 pixels"),
                driver.findElement(By.id("histogram-info")).getText());
        screenshot("17-histogram");
    }

    /** The page's stretches (viewer.js documents them): u = (v - min) / (max - min) clamped to [0, 1], level = floor(255 f(u) + 0.5). */
    static int stretchedLevel(double v, double min, double max, String stretch, double gamma) {
        if (stretch.equals("linear") || !(max > min)) {
            return level(v, min, max);
        }
        double u = (v - min) * (1 / (max - min));
        u = u > 0 ? (u < 1 ? u : 1) : 0;
        double f;
        switch (stretch) {
            case "gamma":
                f = Math.pow(u, gamma);
                break;
            case "log":
                f = Math.log1p(1000 * u) / Math.log1p(1000);
                break;
            case "asinh":
                f = asinh(10 * u) / asinh(10);
                break;
            default:
                throw new IllegalArgumentException(stretch);
        }
        return (int) Math.floor(255 * f + 0.5);
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }

    /**
     * Asserts the canvas shows the plane through a stretch: every pixel within 1 level of the formula
     * (JavaScript's and Java's pow, log1p and asinh may differ in the last bit, which moves a level
     * exactly at a rounding boundary), and at most 0.1% of them off by 1.
     */
    private static void assertCanvasStretched(Path file, int[] key, double min, double max, String stretch, double gamma)
            throws IOException {
        short[] plane = (short[]) plane(file, key);
        int[] rgba = canvasPixels(0, 0, 512, 512);
        int offByOne = 0;
        for (int i = 0; i < 512 * 512; i++) {
            int expected = stretchedLevel(plane[i] & 0xFFFF, min, max, stretch, gamma);
            int d = Math.abs(rgba[4 * i] - expected);
            if (d > 1) {
                fail(stretch + " pixel " + i + " value " + (plane[i] & 0xFFFF) + ": canvas " + rgba[4 * i] + " expected " + expected
                        + "; page state " + js("return JSON.stringify(window.jpklViewer.state());"));
            }
            offByOne += d;
        }
        assertTrue(offByOne <= 262, stretch + ": " + offByOne + " pixels off by one level");
        assertTrue(stretch.equals("linear") || countDifferentFromLinear(plane, rgba, min, max) > 10_000,
                stretch + " changes the pixels");
    }

    private static int countDifferentFromLinear(short[] plane, int[] rgba, double min, double max) {
        int n = 0;
        for (int i = 0; i < plane.length; i++) {
            n += rgba[4 * i] == level(plane[i] & 0xFFFF, min, max) ? 0 : 1;
        }
        return n;
    }

    /** Asserts the colour bar's 256 columns are the window's values from min to max through the stretch (and grey or inverted LUT). */
    private static void assertColourBar(String stretch, double gamma, boolean inverted) {
        @SuppressWarnings("unchecked")
        List<Number> px = (List<Number>) js("return window.jpklViewer.colourBarPixels();");
        assertEquals(256 * 4, px.size());
        for (int x = 0; x < 256; x++) {
            double v = 2000 + (15000.0 - 2000) * x / 255;
            int l = stretchedLevel(v, 2000, 15000, stretch, gamma);
            int expected = inverted ? 255 - l : l;
            assertEquals(expected, px.get(4 * x).intValue(), 1.0, stretch + " colour bar column " + x);
        }
    }

    // ------------------------------------------------------------------ page helpers

    /** Loads the page afresh (a new fragment alone would only fire hashchange) with the view in {@code hash}. */
    private static void open(String hash) {
        driver.get("about:blank");
        driver.get(base + "#" + hash);
        ready();
    }

    /**
     * The page's URL hash once it contains every fragment, or as it is after 3 s: the page writes
     * the URL at most every 200 ms (debounced while scrubbing), so it may lag the view briefly.
     */
    private static String awaitHash(String... fragments) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            String hash = (String) js("return location.hash;");
            if (java.util.Arrays.stream(fragments).allMatch(hash::contains) || System.nanoTime() > deadline) {
                return hash;
            }
            Thread.sleep(50);
        }
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void ready() {
        awaitPage();
        Object error = js("const e = document.getElementById('error'); return e.hidden ? null : e.textContent;");
        if (error != null) {
            fail("the page shows an error: " + error);
        }
    }

    /** Waits until the page has drawn what it was asked to (or shown why not). */
    private static void awaitPage() {
        ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "const wait = () => window.jpklViewer ? window.jpklViewer.ready().then(() => done(true)) : setTimeout(wait, 20);"
                + "wait();");
    }

    private static int[] position() {
        @SuppressWarnings("unchecked")
        List<Number> drawn = (List<Number>) js("return window.jpklViewer.drawnPosition();");
        return drawn.stream().mapToInt(Number::intValue).toArray();
    }

    private static void setNumber(String id, String value) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value, Keys.TAB);
    }

    /** Moves the mouse over image pixel (x, y) (zoom 1, pan 0: canvas pixel = image pixel). */
    private static void hover(int x, int y) {
        Rectangle view = driver.findElement(By.id("view")).getRect();
        new Actions(driver).moveToLocation(view.getX() + x, view.getY() + y).perform();
    }

    private static int[] canvasPixels(int x, int y, int w, int h) {
        String b64 = (String) js("return window.jpklViewer.canvasPixels(arguments[0], arguments[1], arguments[2], arguments[3]);", x, y, w,
                h);
        byte[] bytes = Base64.getDecoder().decode(b64);
        int[] out = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xFF;
        }
        return out;
    }

    private static void screenshot(String name) throws IOException {
        Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    // ------------------------------------------------------------------ expected pixels

    /** The decoded plane at a key, by jpkl (the reference the canvas is compared with). */
    private static Object plane(Path file, int[] key) throws IOException {
        try (JpklArray a = JPKL.open(file)) {
            StringBuilder expr = new StringBuilder(":, :");
            for (int k : key) {
                expr.append(", ").append(k);
            }
            var p = a.get(expr.toString());
            return a.dtype() == org.jpkl.api.DType.UINT8 ? p.toByteArray() : p.toShortArray();
        }
    }

    /** The page's documented window: level = floor((v - min) * 255 / (max - min) + 0.5), clamped to 0..255. */
    static int level(double v, double min, double max) {
        if (!(max > min)) {
            return v > min ? 255 : 0;
        }
        double scale = 255 / (max - min);
        double t = (v - min) * scale;
        return t > 0 ? (t < 255 ? (int) Math.floor(t + 0.5) : 255) : 0;
    }

    /** Nearest-rank 0.1st and 99.9th percentiles, as the page's Auto button computes them. */
    static double[] percentileWindow(Object plane) {
        short[] s = (short[]) plane;
        int[] v = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = s[i] & 0xFFFF;
        }
        Arrays.sort(v);
        int n = v.length;
        return new double[] {v[(int) Math.floor(0.001 * (n - 1))], v[(int) Math.ceil(0.999 * (n - 1))]};
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void assertCanvasShows(Path file, int[] key, double min, double max, String lut) throws IOException {
        Object plane = plane(file, key);
        int[] rgba = canvasPixels(0, 0, 512, 512);
        int mismatches = 0;
        String first = null;
        for (int i = 0; i < 512 * 512; i++) {
            int v = plane instanceof short[] ? ((short[]) plane)[i] & 0xFFFF : ((byte[]) plane)[i] & 0xFF;
            int l = level(v, min, max);
            int expected = lut.equals("inverted") ? 255 - l : l;
            if (rgba[4 * i] != expected || rgba[4 * i + 1] != expected || rgba[4 * i + 2] != expected || rgba[4 * i + 3] != 255) {
                if (first == null) {
                    first = "pixel (" + i % 512 + ", " + i / 512 + "): canvas " + rgba[4 * i] + "," + rgba[4 * i + 1] + ","
                            + rgba[4 * i + 2] + " expected " + expected + " (value " + v + ")";
                }
                mismatches++;
            }
        }
        assertEquals(0, mismatches, "canvas vs slice " + Arrays.toString(key) + " window [" + min + ", " + max + "] " + lut
                + "; first: " + first);
    }

    private static int countNonGrey(int[] rgba) {
        int n = 0;
        for (int i = 0; i < rgba.length; i += 4) {
            if (rgba[i] != rgba[i + 1] || rgba[i + 1] != rgba[i + 2]) {
                n++;
            }
        }
        return n;
    }
}
