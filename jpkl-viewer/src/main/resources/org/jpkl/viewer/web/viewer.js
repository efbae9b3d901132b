// jpkl viewer: a dependency-free page that scrubs through the key axes of jpkl containers served by
// org.jpkl.viewer.ViewerServer. Slices arrive as stored JPEG (uint8 jpeg-codec files) or as raw
// little-endian samples; either way the page holds the sample values, windows them (min/max, then a
// linear, gamma, log or asinh stretch) into 8-bit levels and colours them with a lookup table or, in
// composite mode, one colour per channel. A plane stored as tiles or with resolution levels is
// fetched tile by tile: only the tiles in view, at the level that fits the zoom (one level pixel per
// screen pixel or finer), as OpenSeadragon and neuroglancer do; an untiled plane without levels is
// one tile, fetched whole from the slice endpoint.
'use strict';

(function () {
  const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const HISTOGRAM_OFFSET = { uint8: 0, uint16: 0, int16: 32768 };
  const HISTOGRAM_SIZE = { uint8: 256, uint16: 65536, int16: 65536 };
  // Fiji's default channel colours, in order: red, green, blue, grey, cyan, magenta, yellow.
  const PALETTE = ['#ff0000', '#00ff00', '#0000ff', '#ffffff', '#00ffff', '#ff00ff', '#ffff00'];
  const LOW_PERCENTILE = 0.001;
  const HIGH_PERCENTILE = 0.999;
  const CACHE_BUDGET_BYTES = 384 * 1024 * 1024;
  const MAX_IN_FLIGHT = 4;
  const PREFETCH_AHEAD = 8;
  const PREFETCH_BEHIND = 2;
  const MAX_COMPOSITE_CHANNELS = 16;
  const WORKERS = 2;
  // The window, histogram and Auto of a tiled plane come from its coarsest level of at most this
  // many pixels (one whole-plane overview, cheap), else from the tiles in view.
  const OVERVIEW_MAX_PIXELS = 1 << 18;
  // More tiles than this in view (a huge plane zoomed out without reduced levels) are not fetched.
  const MAX_VIEW_TILES = 64;
  const MAX_TILE_CANVASES = 256;
  const MIN_ZOOM = 1 / 64;
  // Non-linear stretches: level = floor(255 * f(u) + 0.5), u = (v - min) / (max - min) clamped to [0, 1].
  const LOG_A = 1000;
  const ASINH_B = 10;
  const STRETCHES = {
    linear: null,
    gamma: (g) => (u) => Math.pow(u, g),
    log: () => (u) => Math.log1p(LOG_A * u) / Math.log1p(LOG_A),
    asinh: () => (u) => Math.asinh(ASINH_B * u) / Math.asinh(ASINH_B),
  };

  const $ = (id) => document.getElementById(id);
  const ui = {};

  // ---------------------------------------------------------------- lookup tables

  /** sRGB 0..255 of an OKLab colour (clamped to the gamut). */
  function oklabToSrgb(L, a, b) {
    const l = Math.pow(L + 0.3963377774 * a + 0.2158037573 * b, 3);
    const m = Math.pow(L - 0.1055613458 * a - 0.0638541728 * b, 3);
    const s = Math.pow(L - 0.0894841775 * a - 1.2914855480 * b, 3);
    const linear = [
      4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
      -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
      -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s,
    ];
    return linear.map((c) => {
      const v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(Math.max(c, 0), 1 / 2.4) - 0.055;
      return Math.round(255 * Math.min(1, Math.max(0, v)));
    });
  }

  /**
   * Packed RGBA (as the platform's Uint32 reads ImageData) for each of the 256 levels.
   * 'perceptual' is this viewer's own map: lightness rises linearly in OKLab (a perceptually uniform
   * space) from 0.25 to 0.94 while the hue turns from blue-violet through teal and green to yellow,
   * so equal steps in value look like equal steps in brightness, also to colour-blind readers.
   */
  function makeLut(name) {
    const packed = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let rgb;
      if (name === 'inverted') {
        rgb = [255 - i, 255 - i, 255 - i];
      } else if (name === 'perceptual') {
        const t = i / 255;
        const L = 0.25 + 0.69 * t;
        const chroma = 0.055 + 0.11 * Math.sin(Math.PI * Math.min(1, 0.2 + 0.8 * t));
        const hue = (285 - 180 * t) * Math.PI / 180;
        rgb = oklabToSrgb(L, chroma * Math.cos(hue), chroma * Math.sin(hue));
      } else {
        rgb = [i, i, i];
      }
      packed[i] = pack(rgb[0], rgb[1], rgb[2]);
    }
    return packed;
  }

  function pack(r, g, b) {
    return LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
  }

  const LUTS = { grey: makeLut('grey'), perceptual: makeLut('perceptual'), inverted: makeLut('inverted') };

  // ---------------------------------------------------------------- state

  const state = {
    file: 0,
    pos: [],          // one position per key axis
    active: 0,        // the key axis the arrows step
    lut: 'grey',
    stretch: 'linear',
    gamma: 0.5,
    composite: false,
    chanAxis: -1,     // the key axis holding channels, or -1
    windows: {},      // channel index (0 without a channel axis) -> [min, max]
    colors: {},       // channel index -> '#rrggbb'
    zoom: 0,          // CSS px per image px; 0 = fit
    panX: 0, panY: 0, // CSS px offset of the image's top-left corner
    fmt: 'auto',
    fps: 20,
    loop: true,
    autoEach: false,
  };
  let files = [];
  let info = null;
  let playing = false;
  let lastDrawn = null;       // {slices, channels} currently on screen
  let mouse = null;           // last cursor position in CSS px within the canvas
  let windowBounds = null;    // [lo, hi] of the window sliders
  let showToken = 0;
  let currentShow = Promise.resolve();
  let opening = Promise.resolve();
  const tileCanvases = new Map(); // tile id -> {canvas, key}: coloured tiles, least recently used first
  const overviews = new Map();    // file|level|position|format -> assembled whole plane of a coarse level
  let pending = null;             // {token, tiles}: tiles of a view still loading, drawn as they arrive

  // ---------------------------------------------------------------- slice store

  /** Decoded slices by URL, least recently used evicted past the byte budget; fetches queued, current first. */
  const store = {
    entries: new Map(),   // url -> {promise, slice, bytes}
    bytes: 0,
    queue: [],            // not yet started: {url, resolve, reject, prefetch}
    inFlight: 0,
    loads: [],            // {format, ms, bytes} of every load, for measurements

    peek(url) {
      const e = this.entries.get(url);
      if (e && e.slice) {
        this.entries.delete(url);
        this.entries.set(url, e);
        return e.slice;
      }
      return null;
    },

    get(url, prefetch) {
      let e = this.entries.get(url);
      if (e) {
        if (!prefetch) {
          const i = this.queue.findIndex((t) => t.url === url);
          if (i > 0) {
            const [task] = this.queue.splice(i, 1);
            task.prefetch = false;
            this.queue.unshift(task);
          }
        }
        return e.promise;
      }
      e = { slice: null, bytes: 0 };
      e.promise = new Promise((resolve, reject) => {
        const task = { url, resolve, reject, prefetch };
        if (prefetch) {
          this.queue.push(task);
        } else {
          this.queue.unshift(task);
        }
      });
      e.promise.catch(() => this.entries.delete(url));
      this.entries.set(url, e);
      this.pump();
      return e.promise;
    },

    /** Drops queued prefetches (not started) that are no longer wanted. */
    cancelPrefetches(keep) {
      this.cancelQueued(keep, true);
    },

    /** Drops queued fetches (not started; only prefetches when `onlyPrefetches`) that are not in `keep`. */
    cancelQueued(keep, onlyPrefetches) {
      this.queue = this.queue.filter((t) => {
        if ((t.prefetch || !onlyPrefetches) && !keep.has(t.url)) {
          this.entries.delete(t.url);
          t.reject(new Error('prefetch cancelled'));
          return false;
        }
        return true;
      });
    },

    pump() {
      while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
        const task = this.queue.shift();
        this.inFlight++;
        const started = performance.now();
        loadSlice(task.url).then((slice) => {
          slice.ms = performance.now() - started;
          this.loads.push({ format: slice.format, ms: slice.ms, bytes: slice.transferBytes });
          if (this.loads.length > 10000) {
            this.loads.splice(0, 5000);
          }
          const e = this.entries.get(task.url);
          if (e) {
            e.slice = slice;
            e.bytes = slice.data.byteLength;
            this.bytes += e.bytes;
            this.evict();
          }
          task.resolve(slice);
        }, task.reject).finally(() => {
          this.inFlight--;
          this.pump();
        });
      }
    },

    evict() {
      for (const [url, e] of this.entries) {
        if (this.bytes <= CACHE_BUDGET_BYTES) {
          break;
        }
        if (e.slice) {
          this.entries.delete(url);
          this.bytes -= e.bytes;
        }
      }
    },

    clear() {
      this.cancelPrefetches(new Set());
      this.entries.clear();
      this.bytes = 0;
    },
  };

  // Slices are fetched and decoded by Web Workers running loader.js, so JPEG decoding and copying
  // never hold up drawing; without workers, loader.js's function runs on this thread.
  const workers = [];
  const pendingLoads = new Map();
  let nextLoadId = 1;
  let nextWorker = 0;

  function startWorkers() {
    if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined') {
      return;
    }
    for (let i = 0; i < WORKERS; i++) {
      const worker = new Worker('loader.js');
      worker.onmessage = (e) => {
        const pending = pendingLoads.get(e.data.id);
        pendingLoads.delete(e.data.id);
        if (e.data.error) {
          pending.reject(new Error(e.data.error));
        } else {
          pending.resolve(e.data.slice);
        }
      };
      worker.onerror = (e) => showError('slice loader failed: ' + e.message);
      workers.push(worker);
    }
  }

  function loadSlice(url) {
    if (workers.length === 0) {
      return self.jpklLoadSlice(url);
    }
    return new Promise((resolve, reject) => {
      const id = nextLoadId++;
      pendingLoads.set(id, { resolve, reject });
      workers[nextWorker++ % workers.length].postMessage({ id, url });
    });
  }

  /**
   * Whether this browser decodes the file's stored JPEG slices to exactly the samples jpkl decodes.
   * Checked once per file, on the first slice shown: when they differ (another JPEG decoder), 'auto'
   * fetches raw samples instead, so that the readout and the windowed pixels stay exact.
   */
  let jpegExact = true;

  async function checkJpegDecoder(pos) {
    const last = info.levels.length - 1;
    const path = '/api/files/' + state.file + (wholePlane() ? '/slice' : '/tile/' + last + '/0/0') + pos.map((p) => '/' + p).join('');
    const [jpeg, raw] = await Promise.all([loadSlice(path + '?format=jpeg'), loadSlice(path + '?format=raw')]);
    if (jpeg.data.length !== raw.data.length) {
      return false;
    }
    for (let i = 0; i < raw.data.length; i++) {
      if (jpeg.data[i] !== raw.data[i]) {
        return false;
      }
    }
    return true;
  }

  function sliceUrl(pos) {
    const fmt = state.fmt === 'raw' || !jpegExact ? 'raw' : 'auto';
    return '/api/files/' + state.file + '/slice' + pos.map((p) => '/' + p).join('') + '?format=' + fmt;
  }

  /** Whether the plane is one tile fetched whole from the slice endpoint (untiled, no reduced levels). */
  function wholePlane() {
    return info.levels.length === 1 && info.levels[0].rows === 1 && info.levels[0].columns === 1;
  }

  /** The URL of a tile ({level, row, col}) of the plane at `pos`: the slice URL for a whole plane. */
  function tileUrl(tile, pos) {
    if (wholePlane()) {
      return sliceUrl(pos);
    }
    const fmt = state.fmt === 'raw' || !jpegExact ? 'raw' : 'auto';
    return '/api/files/' + state.file + '/tile/' + tile.level + '/' + tile.row + '/' + tile.col
      + pos.map((p) => '/' + p).join('') + '?format=' + fmt;
  }

  /** Tile (row, col) of level k: its place and size in level pixels. */
  function tileAt(k, row, col) {
    const L = info.levels[k];
    const x0 = col * L.tileWidth;
    const y0 = row * L.tileHeight;
    return { level: k, row, col, x0, y0, w: Math.min(L.tileWidth, L.width - x0), h: Math.min(L.tileHeight, L.height - y0) };
  }

  // ---------------------------------------------------------------- windows

  function isIntegral(dtype) {
    return dtype === 'uint8' || dtype === 'uint16' || dtype === 'int16' || dtype === 'int32';
  }

  /** The values at the 0.1st and 99.9th percentiles (nearest rank), or the range when they coincide. */
  function percentileWindow(slice) {
    const d = slice.data;
    const n = d.length;
    const lowRank = Math.floor(LOW_PERCENTILE * (n - 1));
    const highRank = Math.ceil(HIGH_PERCENTILE * (n - 1));
    let lo;
    let hi;
    if (slice.dtype in HISTOGRAM_SIZE) {
      const offset = HISTOGRAM_OFFSET[slice.dtype];
      const counts = new Uint32Array(HISTOGRAM_SIZE[slice.dtype]);
      for (let i = 0; i < n; i++) {
        counts[d[i] + offset]++;
      }
      let seen = 0;
      for (let v = 0; v < counts.length; v++) {
        seen += counts[v];
        if (lo === undefined && seen > lowRank) {
          lo = v - offset;
        }
        if (seen > highRank) {
          hi = v - offset;
          break;
        }
      }
    } else {
      const stride = Math.max(1, Math.ceil(n / (1 << 20)));
      const sample = [];
      for (let i = 0; i < n; i += stride) {
        if (Number.isFinite(d[i])) {
          sample.push(d[i]);
        }
      }
      if (sample.length === 0) {
        return [0, 1];
      }
      const sorted = Float64Array.from(sample).sort();
      lo = sorted[Math.floor(LOW_PERCENTILE * (sorted.length - 1))];
      hi = sorted[Math.ceil(HIGH_PERCENTILE * (sorted.length - 1))];
    }
    if (!(hi > lo)) {
      const [min, max] = dataRange(slice);
      lo = min;
      hi = max > min ? max : min + 1;
    }
    return [lo, hi];
  }

  function dataRange(slice) {
    let min = Infinity;
    let max = -Infinity;
    const d = slice.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
    }
    return min <= max ? [min, max] : [0, 1];
  }

  function defaultWindow(slice) {
    return slice.dtype === 'uint8' ? [0, 255] : percentileWindow(slice);
  }

  /** The channel whose window the controls edit. */
  function currentChannel() {
    return state.chanAxis >= 0 ? state.pos[state.chanAxis] : 0;
  }

  // ---------------------------------------------------------------- drawing

  /** The stretch function u -> [0, 1] of the current state, or null for linear. */
  function stretchFunction() {
    const make = STRETCHES[state.stretch];
    return make ? make(state.gamma) : null;
  }

  /** A key naming the current stretch, for caches of levels. */
  function stretchKey() {
    return state.stretch === 'gamma' ? 'gamma' + state.gamma : state.stretch;
  }

  /**
   * Writes the 8-bit levels of a window into `levels`. Linear: level = floor((v - min) * 255 / (max - min) + 0.5)
   * clamped to 0..255. Other stretches: u = (v - min) / (max - min) clamped to [0, 1], level =
   * floor(255 * f(u) + 0.5) with f(u) = u^gamma, log(1 + 1000 u) / log(1001) or asinh(10 u) / asinh(10).
   * NaN is 0; an empty window (max <= min) gives 255 above min and 0 elsewhere.
   */
  function windowLevels(data, start, step, count, min, max, levels) {
    if (!(max > min)) {
      for (let i = 0, j = start; i < count; i++, j += step) {
        levels[i] = data[j] > min ? 255 : 0;
      }
      return;
    }
    const f = stretchFunction();
    if (f) {
      const inv = 1 / (max - min);
      for (let i = 0, j = start; i < count; i++, j += step) {
        const u = (data[j] - min) * inv;
        levels[i] = Math.floor(255 * f(u > 0 ? (u < 1 ? u : 1) : 0) + 0.5);
      }
      return;
    }
    const scale = 255 / (max - min);
    for (let i = 0, j = start; i < count; i++, j += step) {
      const t = (data[j] - min) * scale;
      levels[i] = t > 0 ? (t < 255 ? Math.floor(t + 0.5) : 255) : 0;
    }
  }

  /**
   * For integer dtypes of at most 16 bits, the level of every possible value (indexed by value +
   * offset), computed once per window with windowLevels itself, so drawing is one lookup per pixel.
   */
  const levelTables = new Map();
  function levelTable(dtype, min, max) {
    if (!(dtype in HISTOGRAM_SIZE)) {
      return null;
    }
    const key = dtype + '|' + min + '|' + max + '|' + stretchKey();
    let table = levelTables.get(key);
    if (!table) {
      const size = HISTOGRAM_SIZE[dtype];
      const offset = HISTOGRAM_OFFSET[dtype];
      const values = new Int32Array(size);
      for (let v = 0; v < size; v++) {
        values[v] = v - offset;
      }
      table = new Uint8Array(size);
      windowLevels(values, 0, 1, size, min, max, table);
      if (levelTables.size >= 16) {
        levelTables.clear();
      }
      levelTables.set(key, table);
    }
    return table;
  }

  /** For integer dtypes of at most 16 bits, the packed colour of every possible value under a window and LUT. */
  let colourCache = { key: null, table: null };
  function colourTable(dtype, min, max, lutName, lut) {
    const levels = levelTable(dtype, min, max);
    if (!levels) {
      return null;
    }
    const key = dtype + '|' + min + '|' + max + '|' + lutName + '|' + stretchKey();
    if (colourCache.key !== key) {
      const table = new Uint32Array(levels.length);
      for (let v = 0; v < levels.length; v++) {
        table[v] = lut[levels[v]];
      }
      colourCache = { key, table };
    }
    return colourCache.table;
  }

  /** The 8-bit levels of `count` samples (every `step`-th from `start`) under the window [min, max]. */
  function levelsOf(slice, start, step, count, min, max, levels) {
    const table = levelTable(slice.dtype, min, max);
    if (!table) {
      windowLevels(slice.data, start, step, count, min, max, levels);
      return;
    }
    const offset = HISTOGRAM_OFFSET[slice.dtype];
    const d = slice.data;
    for (let i = 0, j = start; i < count; i++, j += step) {
      levels[i] = table[d[j] + offset];
    }
  }

  // Buffers reused from frame to frame (no garbage while scrubbing).
  let imageData = null;
  const scratch = { n: 0, levels: [], acc: null };
  function scratchLevels(n, k) {
    if (scratch.n !== n) {
      scratch.n = n;
      scratch.levels = [];
      scratch.acc = null;
    }
    while (scratch.levels.length <= k) {
      scratch.levels.push(new Uint8Array(n));
    }
    return scratch.levels[k];
  }

  /** Colours one tile (its slices, one per channel drawn) into `canvas`, resized to the tile. */
  function renderTile(slices, channels, canvas) {
    const first = slices[0];
    const w = first.w;
    const h = first.h;
    const n = w * h;
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!imageData || imageData.width !== w || imageData.height !== h) {
      imageData = ctx.createImageData(w, h);
    }
    const out = new Uint32Array(imageData.data.buffer);
    if (first.c === 3) {
      const [min, max] = state.windows[0];
      const rgb = [0, 1, 2].map((s) => scratchLevels(n, s));
      for (let s = 0; s < 3; s++) {
        levelsOf(first, s, 3, n, min, max, rgb[s]);
      }
      for (let i = 0; i < n; i++) {
        out[i] = pack(rgb[0][i], rgb[1][i], rgb[2][i]);
      }
    } else if (slices.length === 1) {
      const [min, max] = state.windows[channels[0]];
      const lut = LUTS[state.lut] || LUTS.grey;
      const colours = colourTable(first.dtype, min, max, state.lut, lut);
      const d = first.data;
      if (colours) {
        const offset = HISTOGRAM_OFFSET[first.dtype];
        for (let i = 0; i < n; i++) {
          out[i] = colours[d[i] + offset];
        }
      } else {
        const levels = scratchLevels(n, 0);
        windowLevels(d, 0, 1, n, min, max, levels);
        for (let i = 0; i < n; i++) {
          out[i] = lut[levels[i]];
        }
      }
    } else {
      if (!scratch.acc) {
        scratch.acc = new Float32Array(3 * n);
      }
      const acc = scratch.acc;
      acc.fill(0);
      const levels = scratchLevels(n, 0);
      slices.forEach((slice, k) => {
        const ch = channels[k];
        const [min, max] = state.windows[ch];
        const [r, g, b] = hexToRgb(channelColor(ch));
        levelsOf(slice, 0, 1, n, min, max, levels);
        for (let i = 0; i < n; i++) {
          const l = levels[i] / 255;
          acc[3 * i] += l * r;
          acc[3 * i + 1] += l * g;
          acc[3 * i + 2] += l * b;
        }
      });
      for (let i = 0; i < n; i++) {
        out[i] = pack(Math.min(255, Math.floor(acc[3 * i] + 0.5)), Math.min(255, Math.floor(acc[3 * i + 1] + 0.5)),
          Math.min(255, Math.floor(acc[3 * i + 2] + 0.5)));
      }
    }
    ctx.putImageData(imageData, 0, 0);
  }

  /** What decides a tile's colours: windows, LUT, stretch, channel colours. */
  function colouringKey() {
    return JSON.stringify([state.windows, state.lut, stretchKey(), state.colors]);
  }

  /** The coloured canvas of a drawn tile, coloured again only when the colouring changed. */
  function tileCanvas(tile) {
    const id = tile.urls.join(' ');
    const key = colouringKey();
    let e = tileCanvases.get(id);
    if (e) {
      tileCanvases.delete(id);
    } else {
      e = { canvas: document.createElement('canvas'), key: null };
    }
    tileCanvases.set(id, e);
    if (e.key !== key) {
      renderTile(tile.slices, tile.channels, e.canvas);
      e.key = key;
    }
    for (const old of tileCanvases.keys()) {
      if (tileCanvases.size <= MAX_TILE_CANVASES) {
        break;
      }
      tileCanvases.delete(old);
    }
    return e.canvas;
  }

  /** The view's transform from level-0 image pixels to canvas (device) pixels: {z, x, y, dpr}. */
  function viewTransform() {
    const dpr = window.devicePixelRatio || 1;
    const cw = ui.canvas.width;
    const ch = ui.canvas.height;
    const w = info ? info.plane.width || 1 : 1;
    const h = info ? info.plane.height || 1 : 1;
    if (!state.zoom) {
      const z = Math.min(cw / w, ch / h);
      return { z, x: (cw - w * z) / 2, y: (ch - h * z) / 2, dpr };
    }
    return { z: state.zoom * dpr, x: state.panX * dpr, y: state.panY * dpr, dpr };
  }

  /** The zoom (CSS px per image pixel) at which the whole plane fits the view. */
  function fitZoom() {
    const rect = ui.view.getBoundingClientRect();
    return Math.min(rect.width / (info.plane.width || 1), rect.height / (info.plane.height || 1));
  }

  function sizeCanvas() {
    const dpr = window.devicePixelRatio || 1;
    const rect = ui.view.getBoundingClientRect();
    const cw = Math.max(1, Math.round(rect.width * dpr));
    const ch = Math.max(1, Math.round(rect.height * dpr));
    if (ui.canvas.width !== cw || ui.canvas.height !== ch) {
      ui.canvas.width = cw;
      ui.canvas.height = ch;
    }
  }

  function drawView() {
    sizeCanvas();
    const ctx = ui.canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, ui.canvas.width, ui.canvas.height);
    if (!lastDrawn) {
      return;
    }
    const t = viewTransform();
    ctx.imageSmoothingEnabled = false;
    ctx.setTransform(t.z, 0, 0, t.z, t.x, t.y);
    for (const tile of lastDrawn.tiles.concat(pending ? pending.tiles : [])) {
      const s = Math.pow(2, tile.level);
      ctx.drawImage(tileCanvas(tile), tile.x0 * s, tile.y0 * s, tile.w * s, tile.h * s);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    updateScaleBar(t);
  }

  /** The level to show at `z` device px per level-0 pixel: the coarsest whose pixel is not larger than a screen pixel. */
  function levelFor(z) {
    let k = 0;
    while (k + 1 < info.levels.length && Math.pow(2, k + 1) <= 1 / z) {
      k++;
    }
    return k;
  }

  /** The tiles in view: {level, tiles: [{level, row, col, x0, y0, w, h}], tooMany: count when more than MAX_VIEW_TILES}. */
  function viewPlan() {
    sizeCanvas();
    const t = viewTransform();
    const k = levelFor(t.z);
    if (wholePlane()) {
      return { level: 0, tiles: [tileAt(0, 0, 0)], tooMany: 0 };
    }
    const L = info.levels[k];
    const s = Math.pow(2, k);
    const x0 = Math.max(0, Math.floor(-t.x / t.z / s));
    const x1 = Math.min(L.width, Math.ceil((ui.canvas.width - t.x) / t.z / s));
    const y0 = Math.max(0, Math.floor(-t.y / t.z / s));
    const y1 = Math.min(L.height, Math.ceil((ui.canvas.height - t.y) / t.z / s));
    const tiles = [];
    if (x1 <= x0 || y1 <= y0) {
      return { level: k, tiles, tooMany: 0 };
    }
    const c0 = Math.floor(x0 / L.tileWidth);
    const c1 = Math.floor((x1 - 1) / L.tileWidth);
    const r0 = Math.floor(y0 / L.tileHeight);
    const r1 = Math.floor((y1 - 1) / L.tileHeight);
    const count = (r1 - r0 + 1) * (c1 - c0 + 1);
    if (count > MAX_VIEW_TILES) {
      return { level: k, tiles, tooMany: count };
    }
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        tiles.push(tileAt(k, r, c));
      }
    }
    return { level: k, tiles, tooMany: 0 };
  }

  function planKey(plan) {
    return plan.level + ':' + plan.tiles.map((t) => t.row + ',' + t.col).join(';') + ':' + plan.tooMany;
  }

  /** After a pan, zoom or resize: draws now, and fetches the tiles newly in view (or the level now fitting). */
  function viewChanged() {
    drawView();
    updateReadout();
    scheduleHashUpdate();
    if (info && !wholePlane() && (!lastDrawn || planKey(viewPlan()) !== lastDrawn.planKey)) {
      show();
    }
  }

  /** The positions to draw: one, or every channel in composite mode. */
  function neededPositions(pos) {
    if (compositeActive()) {
      const out = [];
      for (let c = 0; c < info.keyAxes[state.chanAxis].size; c++) {
        const p = pos.slice();
        p[state.chanAxis] = c;
        out.push(p);
      }
      return out;
    }
    return [pos.slice()];
  }

  function compositeActive() {
    return state.composite && state.chanAxis >= 0 && info.plane.samples === 1
      && info.keyAxes[state.chanAxis].size <= MAX_COMPOSITE_CHANNELS;
  }

  function channelsOf(positions) {
    return positions.map((p) => (state.chanAxis >= 0 ? p[state.chanAxis] : 0));
  }

  // ---------------------------------------------------------------- reference plane (window, histogram)

  /**
   * The level whose whole plane gives the window, the histogram and Auto of a tiled plane: the
   * finest with at most OVERVIEW_MAX_PIXELS pixels, or -1 when there is none (then the tiles in view).
   */
  function overviewLevel() {
    if (wholePlane()) {
      return 0;
    }
    for (let k = 0; k < info.levels.length; k++) {
      if (info.levels[k].width * info.levels[k].height <= OVERVIEW_MAX_PIXELS) {
        return k;
      }
    }
    return -1;
  }

  function allTiles(k) {
    const out = [];
    for (let r = 0; r < info.levels[k].rows; r++) {
      for (let c = 0; c < info.levels[k].columns; c++) {
        out.push(tileAt(k, r, c));
      }
    }
    return out;
  }

  /** One slice {w, h, c, dtype, data} covering `tiles` (their bounding box), copied from their loaded slices. */
  function assemble(tiles, slices) {
    if (tiles.length === 1) {
      return slices[0];
    }
    const ox = Math.min(...tiles.map((t) => t.x0));
    const oy = Math.min(...tiles.map((t) => t.y0));
    const w = Math.max(...tiles.map((t) => t.x0 + t.w)) - ox;
    const h = Math.max(...tiles.map((t) => t.y0 + t.h)) - oy;
    const first = slices[0];
    const c = first.c;
    const data = new first.data.constructor(w * h * c);
    tiles.forEach((t, i) => {
      const d = slices[i].data;
      for (let y = 0; y < t.h; y++) {
        data.set(d.subarray(y * t.w * c, (y + 1) * t.w * c), ((t.y0 - oy + y) * w + (t.x0 - ox)) * c);
      }
    });
    return { w, h, c, dtype: first.dtype, data };
  }

  /** The URLs of the overview tiles of a position (none for a whole plane or without an overview level). */
  function overviewUrls(pos) {
    const k = overviewLevel();
    return k < 0 || wholePlane() ? [] : allTiles(k).map((t) => tileUrl(t, pos));
  }

  /** The overview of a position if its tiles are loaded (assembled once), else null. */
  function overviewNow(pos) {
    const k = overviewLevel();
    const urls = overviewUrls(pos);
    const key = urls.join(' ');
    if (overviews.has(key)) {
      const v = overviews.get(key);
      overviews.delete(key);
      overviews.set(key, v);
      return v;
    }
    const slices = urls.map((u) => store.peek(u));
    if (!slices.every((x) => x)) {
      return null;
    }
    const v = assemble(allTiles(k), slices);
    overviews.set(key, v);
    for (const old of overviews.keys()) {
      if (overviews.size <= 16) {
        break;
      }
      overviews.delete(old);
    }
    return v;
  }

  /**
   * The reference slices (one per channel drawn) of a view: the whole plane, the overview level, or
   * without one the tiles in view; null while their tiles are loading.
   */
  function referenceNow(plan, positions, tileSlices) {
    if (wholePlane()) {
      return tileSlices[0];
    }
    if (overviewLevel() < 0) {
      return positions.map((p, k) => assemble(plan.tiles, tileSlices.map((slices) => slices[k])));
    }
    const refs = positions.map(overviewNow);
    return refs.every((r) => r) ? refs : null;
  }

  // ---------------------------------------------------------------- showing

  /** Draws the current position now when its tiles are loaded, else once they arrive; prefetches neighbours. */
  function show() {
    const token = ++showToken;
    const positions = neededPositions(state.pos);
    const channels = channelsOf(positions);
    const plan = viewPlan();
    plan.tiles.forEach((t) => {
      t.urls = positions.map((p) => tileUrl(t, p));
    });
    const needed = plan.tiles.flatMap((t) => t.urls).concat(positions.flatMap(overviewUrls));
    const keep = new Set(needed);
    for (const u of prefetch()) {
      keep.add(u);
    }
    store.cancelQueued(keep, false);
    scheduleHashUpdate();
    updateAxisLabels();
    if (plan.tooMany) {
      showError('zoom in to see this plane: ' + plan.tooMany + ' tiles of level ' + plan.level + ' are in view (at most '
        + MAX_VIEW_TILES + ' are fetched); the file has ' + info.levels.length + ' resolution level(s): jpkl pyramid adds more');
      currentShow = Promise.resolve();
      return currentShow;
    }
    const now = () => {
      const tileSlices = plan.tiles.map((t) => t.urls.map((u) => store.peek(u)));
      if (!tileSlices.every((slices) => slices.every((x) => x))) {
        return false;
      }
      const reference = referenceNow(plan, positions, tileSlices);
      if (!reference) {
        return false;
      }
      drawTiles(plan, tileSlices, channels, reference);
      return true;
    };
    if (now()) {
      currentShow = Promise.resolve();
      return currentShow;
    }
    setStatus('loading…');
    // while a pan or zoom loads, each tile is drawn as it arrives (over what was drawn before), once
    // there are windows to colour it with
    const neededSet = new Set(needed);
    pending = {
      token,
      tiles: pending ? pending.tiles.filter((t) => t.urls.every((u) => neededSet.has(u))) : [],
    };
    for (const t of plan.tiles) {
      Promise.all(t.urls.map((u) => store.get(u, false))).then((slices) => {
        if (pending && pending.token === token && lastDrawn && channels.every((c) => state.windows[c])) {
          pending.tiles.push(Object.assign({}, t, { slices, channels }));
          drawView();
        }
      }, () => {});
    }
    currentShow = Promise.all(needed.map((u) => store.get(u, false))).then(() => {
      if (token === showToken && !now()) {
        show(); // evicted meanwhile: fetch again
      }
    }, (err) => {
      if (token === showToken) {
        showError(err.message);
      }
    });
    return currentShow;
  }

  function drawTiles(plan, tileSlices, channels, reference) {
    pending = null;
    hideError();
    setStatus('');
    reference.forEach((s, k) => {
      const ch = s.c === 3 ? 0 : channels[k];
      if (!state.windows[ch] || state.autoEach) {
        state.windows[ch] = state.autoEach ? percentileWindow(s) : defaultWindow(s);
      }
      if (!windowBounds) {
        growWindowBounds(dataRange(s));
      }
    });
    lastDrawn = {
      tiles: plan.tiles.map((t, i) => Object.assign({}, t, { slices: tileSlices[i], channels })),
      channels,
      reference,
      level: plan.level,
      planKey: planKey(plan),
      pos: state.pos.slice(),
    };
    drawView();
    updateReadout();
    updateWindowControls();
    drawHistogram();
    drawColourBar();
    updateLevelInfo();
  }

  /** Queues the neighbours along the active axis (their tiles in view and overviews); returns their URLs. */
  function prefetch() {
    if (!info || info.keyAxes.length === 0) {
      return [];
    }
    const axis = state.active;
    const size = info.keyAxes[axis].size;
    const wanted = [];
    const offsets = [];
    for (let d = 1; d <= PREFETCH_AHEAD; d++) {
      offsets.push(d);
    }
    for (let d = 1; d <= PREFETCH_BEHIND; d++) {
      offsets.push(-d);
    }
    const plan = viewPlan();
    for (const d of offsets) {
      let p = state.pos[axis] + d;
      if (p < 0 || p >= size) {
        if (!state.loop) {
          continue;
        }
        p = ((p % size) + size) % size;
      }
      const pos = state.pos.slice();
      pos[axis] = p;
      for (const q of neededPositions(pos)) {
        for (const t of plan.tiles) {
          wanted.push(tileUrl(t, q));
        }
        wanted.push(...overviewUrls(q));
      }
      if (wanted.length > 4 * MAX_VIEW_TILES) {
        break;
      }
    }
    const keep = new Set(wanted);
    for (const q of neededPositions(state.pos)) {
      for (const t of plan.tiles) {
        keep.add(tileUrl(t, q));
      }
      overviewUrls(q).forEach((u) => keep.add(u));
    }
    store.cancelPrefetches(keep);
    for (const u of wanted) {
      store.get(u, true).catch(() => {});
    }
    return wanted;
  }

  // ---------------------------------------------------------------- readout

  function formatValue(v, dtype) {
    if (isIntegral(dtype)) {
      return String(v);
    }
    if (!Number.isFinite(v)) {
      return String(v);
    }
    return String(Number(v.toPrecision(6)));
  }

  function updateReadout() {
    const el = ui.readout;
    if (!mouse || !lastDrawn) {
      return;
    }
    const t = viewTransform();
    const ix = Math.floor((mouse.x * t.dpr - t.x) / t.z);
    const iy = Math.floor((mouse.y * t.dpr - t.y) / t.z);
    const s = Math.pow(2, lastDrawn.level);
    const lx = Math.floor(ix / s);
    const ly = Math.floor(iy / s);
    const tile = lastDrawn.tiles.find((d) => lx >= d.x0 && ly >= d.y0 && lx < d.x0 + d.w && ly < d.y0 + d.h);
    if (ix < 0 || iy < 0 || ix >= info.plane.width || iy >= info.plane.height || !tile) {
      el.textContent = 'x –  y –';
      el.dataset.x = '';
      el.dataset.y = '';
      el.dataset.value = '';
      return;
    }
    const first = tile.slices[0];
    const i = (ly - tile.y0) * tile.w + (lx - tile.x0);
    let values;
    let text;
    if (first.c === 3) {
      values = [0, 1, 2].map((c) => formatValue(first.data[3 * i + c], first.dtype));
      text = 'R ' + values[0] + '  G ' + values[1] + '  B ' + values[2];
    } else if (tile.slices.length > 1) {
      values = tile.slices.map((d) => formatValue(d.data[i], d.dtype));
      text = values.map((v, k) => channelName(lastDrawn.channels[k]) + ' ' + v).join('\n');
    } else {
      values = [formatValue(first.data[i], first.dtype)];
      text = 'value ' + values[0];
    }
    el.textContent = 'x ' + ix + '  y ' + iy + '\n' + text + (lastDrawn.level > 0 ? '\n(level ' + lastDrawn.level + ', 1/' + s + ')' : '');
    el.dataset.x = String(ix);
    el.dataset.y = String(iy);
    el.dataset.value = values.join(',');
    el.dataset.level = String(lastDrawn.level);
  }

  // ---------------------------------------------------------------- histogram, colour bar, scale bar, level

  const HISTOGRAM_BINS = 256;
  const WINDOW_LINE = '#ff4040';

  /** The reference slice of the channel the controls edit. */
  function currentReference() {
    const k = lastDrawn.channels.indexOf(currentChannel());
    return lastDrawn.reference[k >= 0 ? k : 0];
  }

  /** Counts of the reference's samples in HISTOGRAM_BINS equal bins over [lo, hi] (values outside go to the end bins). */
  function histogramOf(slice, lo, hi) {
    const counts = new Float64Array(HISTOGRAM_BINS);
    const d = slice.data;
    const scale = HISTOGRAM_BINS / (hi - lo);
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v === v) {
        const b = Math.floor((v - lo) * scale);
        counts[b < 0 ? 0 : (b < HISTOGRAM_BINS ? b : HISTOGRAM_BINS - 1)]++;
      }
    }
    return counts;
  }

  let histogram = null;

  /** Draws the histogram of the current plane (its reference), log counts, with the window and the stretch curve over it. */
  function drawHistogram() {
    const canvas = ui.histogram;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const w = state.windows[currentChannel()] || state.windows[0];
    if (!lastDrawn || !w || !windowBounds) {
      return;
    }
    const ref = currentReference();
    const lo = ref.dtype === 'uint8' ? 0 : windowBounds[0];
    const hi = ref.dtype === 'uint8' ? 256 : windowBounds[1];
    const counts = histogramOf(ref, lo, hi);
    const top = Math.log1p(Math.max(...counts));
    const H = canvas.height;
    ctx.fillStyle = '#8a8f98';
    for (let b = 0; b < HISTOGRAM_BINS; b++) {
      const bh = top > 0 ? Math.round((H * Math.log1p(counts[b])) / top) : 0;
      ctx.fillRect(b, H - bh, 1, bh);
    }
    const xOf = (v) => Math.max(0, Math.min(HISTOGRAM_BINS - 1, Math.floor(((v - lo) * HISTOGRAM_BINS) / (hi - lo))));
    const minX = xOf(w[0]);
    const maxX = xOf(w[1]);
    // the stretch: level (0 at the bottom, 255 at the top) across the window
    const values = new Float64Array(HISTOGRAM_BINS);
    for (let b = 0; b < HISTOGRAM_BINS; b++) {
      values[b] = lo + ((b + 0.5) * (hi - lo)) / HISTOGRAM_BINS;
    }
    const levels = new Uint8Array(HISTOGRAM_BINS);
    windowLevels(values, 0, 1, HISTOGRAM_BINS, w[0], w[1], levels);
    ctx.strokeStyle = '#5aa9ff';
    ctx.beginPath();
    for (let b = 0; b < HISTOGRAM_BINS; b++) {
      const y = H - 1 - (levels[b] * (H - 1)) / 255;
      if (b === 0) {
        ctx.moveTo(b + 0.5, y);
      } else {
        ctx.lineTo(b + 0.5, y);
      }
    }
    ctx.stroke();
    ctx.fillStyle = WINDOW_LINE;
    ctx.fillRect(minX, 0, 1, H);
    ctx.fillRect(maxX, 0, 1, H);
    const k = lastDrawn.level;
    const refLevel = overviewLevel();
    histogram = { counts: Array.from(counts), lo, hi, minX, maxX, pixels: ref.w * ref.h, level: refLevel, width: ref.w, height: ref.h };
    ui.histogramInfo.textContent = (refLevel < 0 ? 'of the tiles in view at level ' + k
      : refLevel === 0 ? 'of the whole plane' : 'of level ' + refLevel + ' (1/' + Math.pow(2, refLevel) + ' scale, cheap)')
      + ': ' + (ref.w * ref.h).toLocaleString('en') + ' pixels; ' + formatValue(lo, ref.dtype) + ' to '
      + formatValue(ref.dtype === 'uint8' ? 255 : hi, ref.dtype);
  }

  /** Draws the colour bar: the window's values from min (left) to max (right) through the stretch and the LUT. */
  function drawColourBar() {
    const canvas = ui.colourBar;
    const ctx = canvas.getContext('2d');
    const w = state.windows[currentChannel()] || state.windows[0];
    const rgb = info && info.plane.samples === 3;
    ui.colourBarRow.hidden = rgb || !w;
    if (rgb || !w) {
      return;
    }
    const n = canvas.width;
    const values = new Float64Array(n);
    for (let x = 0; x < n; x++) {
      values[x] = n === 1 ? w[0] : w[0] + ((w[1] - w[0]) * x) / (n - 1);
    }
    const levels = new Uint8Array(n);
    windowLevels(values, 0, 1, n, w[0], w[1], levels);
    const img = ctx.createImageData(n, canvas.height);
    const out = new Uint32Array(img.data.buffer);
    const lut = LUTS[state.lut] || LUTS.grey;
    const channelRgb = compositeActive() ? hexToRgb(channelColor(currentChannel())) : null;
    for (let x = 0; x < n; x++) {
      const l = levels[x];
      const colour = channelRgb ? pack(...channelRgb.map((c) => Math.min(255, Math.floor((l / 255) * c + 0.5)))) : lut[l];
      for (let y = 0; y < canvas.height; y++) {
        out[y * n + x] = colour;
      }
    }
    ctx.putImageData(img, 0, 0);
    ui.colourBarMin.textContent = formatValue(w[0], info.dtype);
    ui.colourBarMax.textContent = formatValue(w[1], info.dtype);
    ui.colourBarMid.textContent = state.stretch === 'gamma' ? 'gamma ' + state.gamma : state.stretch;
  }

  /** A length of 1, 2 or 5 times a power of ten, at most `v`. */
  function niceLength(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    const m = v / p;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
  }

  function lengthText(um) {
    const round = (v) => String(Number(v.toPrecision(6)));
    if (um >= 1000) {
      return round(um / 1000) + ' mm';
    }
    if (um < 1) {
      return round(um * 1000) + ' nm';
    }
    return round(um) + ' µm';
  }

  /** Places the scale bar: a round length in µm about 120 CSS px long, from the metadata's pixel_size_um. */
  function updateScaleBar(t) {
    const size = info && info.pixelSizeUm;
    ui.scaleBar.hidden = !size;
    if (!size) {
      return;
    }
    const cssPerPixel = t.z / t.dpr;
    const um = niceLength((120 / cssPerPixel) * size);
    const px = (um / size) * cssPerPixel;
    ui.scaleBarLine.style.width = px.toFixed(2) + 'px';
    ui.scaleBarLabel.textContent = lengthText(um);
    ui.scaleBar.dataset.um = String(um);
    ui.scaleBar.dataset.px = px.toFixed(3);
  }

  function updateLevelInfo() {
    if (!lastDrawn) {
      return;
    }
    const k = lastDrawn.level;
    ui.levelInfo.dataset.level = String(k);
    ui.levelInfo.textContent = wholePlane() ? 'one tile (whole plane)'
      : 'level ' + k + ' of ' + info.levels.length + ' (1/' + Math.pow(2, k) + ' scale), ' + lastDrawn.tiles.length + ' tile(s) in view';
  }

  // ---------------------------------------------------------------- controls

  function axisValueText(axis, i) {
    if (Array.isArray(axis.values)) {
      const v = axis.values[i];
      return (typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v)) + (axis.unit ? ' ' + axis.unit : '');
    }
    if (typeof axis.scale === 'number') {
      const v = (axis.origin || 0) + i * axis.scale;
      return String(Number(v.toPrecision(6))) + (axis.unit ? ' ' + axis.unit : '');
    }
    return '';
  }

  function channelName(c) {
    if (state.chanAxis < 0) {
      return 'c' + c;
    }
    const axis = info.keyAxes[state.chanAxis];
    return Array.isArray(axis.values) ? String(axis.values[c]) : axis.name + ' ' + c;
  }

  function channelColor(c) {
    return state.colors[c] || PALETTE[c % PALETTE.length];
  }

  function hexToRgb(hex) {
    const v = parseInt(hex.slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }

  function buildAxes() {
    ui.axes.textContent = '';
    if (info.keyAxes.length === 0) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = 'One plane: no key axes.';
      ui.axes.appendChild(p);
    }
    info.keyAxes.forEach((axis, k) => {
      const row = document.createElement('div');
      row.className = 'axis';
      row.dataset.axis = String(k);
      const label = document.createElement('div');
      label.className = 'label';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = axis.name;
      const index = document.createElement('span');
      index.className = 'index';
      index.title = 'index / last index (0-based, as in NumPy)';
      const value = document.createElement('span');
      value.className = 'value';
      label.append(name, index, value);
      const slider = document.createElement('input');
      slider.type = 'range';
      slider.min = '0';
      slider.max = String(axis.size - 1);
      slider.step = '1';
      slider.id = 'axis-' + k;
      slider.setAttribute('aria-label', axis.name);
      slider.addEventListener('input', () => {
        state.active = k;
        state.pos[k] = Number(slider.value);
        show();
      });
      slider.addEventListener('focus', () => setActive(k));
      row.addEventListener('mousedown', () => setActive(k));
      row.append(label, slider);
      ui.axes.appendChild(row);
    });
    const options = [['-1', 'none']].concat(info.keyAxes.map((a, k) => [String(k), a.name + ' (' + a.size + ')']));
    ui.channelAxis.textContent = '';
    for (const [v, text] of options) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = text;
      ui.channelAxis.appendChild(o);
    }
    ui.channelRow.hidden = info.plane.samples !== 1 || info.keyAxes.length === 0;
    ui.lut.disabled = info.plane.samples !== 1;
  }

  function setActive(k) {
    if (state.active !== k) {
      state.active = k;
      updateAxisLabels();
      prefetch();
      scheduleHashUpdate();
    }
  }

  function updateAxisLabels() {
    info.keyAxes.forEach((axis, k) => {
      const row = ui.axes.children[k];
      row.classList.toggle('active', k === state.active);
      row.querySelector('.index').textContent = state.pos[k] + ' / ' + (axis.size - 1);
      row.querySelector('.value').textContent = axisValueText(axis, state.pos[k]);
      const slider = row.querySelector('input');
      if (Number(slider.value) !== state.pos[k]) {
        slider.value = String(state.pos[k]);
      }
    });
    ui.channelAxis.value = String(state.chanAxis);
    ui.composite.checked = state.composite;
    ui.composite.disabled = state.chanAxis < 0;
    ui.lut.value = state.lut;
    ui.stretch.value = state.stretch;
    ui.gamma.value = String(state.gamma);
    ui.gamma.disabled = state.stretch !== 'gamma';
    ui.format.value = state.fmt;
    ui.fps.value = String(state.fps);
    ui.loop.checked = state.loop;
    ui.autoEach.checked = state.autoEach;
    buildChannels();
  }

  function buildChannels() {
    ui.channels.textContent = '';
    if (!compositeActive()) {
      return;
    }
    const size = info.keyAxes[state.chanAxis].size;
    for (let c = 0; c < size; c++) {
      const row = document.createElement('div');
      row.className = 'channel' + (c === currentChannel() ? ' active' : '');
      const color = document.createElement('input');
      color.type = 'color';
      color.value = channelColor(c);
      color.setAttribute('aria-label', 'colour of ' + channelName(c));
      color.addEventListener('input', () => {
        state.colors[c] = color.value;
        redraw();
        scheduleHashUpdate();
      });
      const name = document.createElement('span');
      name.textContent = channelName(c);
      name.addEventListener('click', () => {
        state.pos[state.chanAxis] = c;
        show();
      });
      const win = document.createElement('span');
      win.className = 'muted';
      const w = state.windows[c];
      win.textContent = w ? formatValue(w[0], info.dtype) + ' – ' + formatValue(w[1], info.dtype) : '';
      row.append(color, name, win);
      ui.channels.appendChild(row);
    }
  }

  function growWindowBounds(range) {
    const ch = currentChannel();
    const w = state.windows[ch] || range;
    const lo = Math.min(range[0], w[0], windowBounds ? windowBounds[0] : Infinity);
    const hi = Math.max(range[1], w[1], windowBounds ? windowBounds[1] : -Infinity);
    windowBounds = info.dtype === 'uint8' ? [0, 255] : [lo, hi > lo ? hi : lo + 1];
  }

  function updateWindowControls() {
    const w = state.windows[currentChannel()] || state.windows[0];
    if (!w) {
      return;
    }
    growWindowBounds(w);
    const integral = isIntegral(info.dtype);
    const step = integral ? '1' : String((windowBounds[1] - windowBounds[0]) / 1000);
    for (const r of [ui.winMinRange, ui.winMaxRange]) {
      r.min = String(windowBounds[0]);
      r.max = String(windowBounds[1]);
      r.step = step;
    }
    if (document.activeElement !== ui.winMin) {
      ui.winMin.value = formatValue(w[0], info.dtype);
    }
    if (document.activeElement !== ui.winMax) {
      ui.winMax.value = formatValue(w[1], info.dtype);
    }
    ui.winMinRange.value = String(w[0]);
    ui.winMaxRange.value = String(w[1]);
  }

  function setWindow(min, max) {
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      return;
    }
    state.windows[currentChannel()] = [min, max];
    state.autoEach = false;
    redraw();
    scheduleHashUpdate();
  }

  /** Draws what is on screen again (new window, LUT, stretch or colours), without fetching. */
  function redraw() {
    if (lastDrawn) {
      drawView();
      updateWindowControls();
      buildChannels();
      drawHistogram();
      drawColourBar();
    }
  }

  function autoWindow() {
    if (!lastDrawn) {
      return;
    }
    const ch = currentChannel();
    const slice = currentReference();
    state.windows[slice.c === 3 ? 0 : ch] = percentileWindow(slice);
    redraw();
    scheduleHashUpdate();
  }

  function fullWindow() {
    if (!lastDrawn) {
      return;
    }
    const ch = currentChannel();
    const slice = currentReference();
    const [min, max] = dataRange(slice);
    state.windows[slice.c === 3 ? 0 : ch] = [min, max > min ? max : min + 1];
    redraw();
    scheduleHashUpdate();
  }

  // ---------------------------------------------------------------- stepping and playing

  function step(delta) {
    if (!info || info.keyAxes.length === 0) {
      return false;
    }
    const size = info.keyAxes[state.active].size;
    let p = state.pos[state.active] + delta;
    if (p < 0 || p >= size) {
      if (!state.loop && playing) {
        return false;
      }
      p = playing || state.loop ? ((p % size) + size) % size : Math.min(size - 1, Math.max(0, p));
    }
    state.pos[state.active] = p;
    show();
    return true;
  }

  /** Whether the tiles in view (and the overview) one step ahead along the active axis are loaded. */
  function nextReady(delta) {
    const size = info.keyAxes[state.active].size;
    const pos = state.pos.slice();
    pos[state.active] = (((pos[state.active] + delta) % size) + size) % size;
    const tiles = lastDrawn ? lastDrawn.tiles : viewPlan().tiles;
    return neededPositions(pos).every((p) => tiles.every((t) => store.peek(tileUrl(t, p)))
      && overviewUrls(p).every((u) => store.peek(u)));
  }

  let lastStepTime = 0;
  function playFrame(now) {
    if (!playing) {
      return;
    }
    if (now - lastStepTime >= 1000 / state.fps - 2 && nextReady(1)) {
      lastStepTime = now;
      if (!step(1)) {
        setPlaying(false);
        return;
      }
    }
    requestAnimationFrame(playFrame);
  }

  function setPlaying(on) {
    playing = on && info && info.keyAxes.length > 0;
    ui.play.textContent = playing ? 'Pause' : 'Play';
    if (playing) {
      lastStepTime = 0;
      requestAnimationFrame(playFrame);
    }
  }

  // ---------------------------------------------------------------- URL state

  let hashTimer = 0;
  function scheduleHashUpdate() {
    if (!hashTimer) {
      hashTimer = setTimeout(() => {
        hashTimer = 0;
        history.replaceState(null, '', '#' + encodeState());
      }, 200);
    }
  }

  function encodeState() {
    const p = new URLSearchParams();
    p.set('file', String(state.file));
    p.set('pos', state.pos.join(','));
    p.set('axis', String(state.active));
    p.set('lut', state.lut);
    if (state.stretch !== 'linear') {
      p.set('st', state.stretch);
    }
    if (state.stretch === 'gamma') {
      p.set('gam', String(state.gamma));
    }
    p.set('chan', String(state.chanAxis));
    if (state.composite) {
      p.set('comp', '1');
    }
    const wins = Object.keys(state.windows).map((c) => c + ':' + state.windows[c][0] + ':' + state.windows[c][1]);
    if (wins.length) {
      p.set('win', wins.join(','));
    }
    const cols = Object.keys(state.colors).map((c) => c + ':' + state.colors[c].slice(1));
    if (cols.length) {
      p.set('col', cols.join(','));
    }
    if (state.zoom) {
      p.set('zoom', String(Number(state.zoom.toPrecision(6))));
      p.set('pan', Math.round(state.panX) + ',' + Math.round(state.panY));
    }
    if (state.fmt !== 'auto') {
      p.set('fmt', state.fmt);
    }
    if (state.fps !== 20) {
      p.set('fps', String(state.fps));
    }
    if (!state.loop) {
      p.set('loop', '0');
    }
    if (state.autoEach) {
      p.set('auto', '1');
    }
    return p.toString();
  }

  /** A gamma the page accepts: in [0.05, 20]. */
  function validGamma(g) {
    return Number.isFinite(g) && g >= 0.05 && g <= 20;
  }

  function integer(text, fallback) {
    const v = Number(text);
    return Number.isInteger(v) ? v : fallback;
  }

  /** Reads the state in the URL's fragment; anything missing or invalid keeps its default. */
  function decodeState(hash) {
    const p = new URLSearchParams(hash.replace(/^#/, ''));
    const out = { file: integer(p.get('file'), 0) };
    if (p.has('pos')) {
      out.pos = p.get('pos').split(',').filter((s) => s !== '').map((s) => integer(s, 0));
    }
    out.active = integer(p.get('axis'), 0);
    out.lut = LUTS[p.get('lut')] ? p.get('lut') : 'grey';
    out.stretch = p.get('st') in STRETCHES ? p.get('st') : 'linear';
    out.gamma = validGamma(Number(p.get('gam'))) ? Number(p.get('gam')) : 0.5;
    out.chanAxis = p.has('chan') ? integer(p.get('chan'), -1) : undefined;
    out.composite = p.get('comp') === '1';
    out.windows = {};
    for (const item of (p.get('win') || '').split(',')) {
      const [c, lo, hi] = item.split(':');
      if (Number.isInteger(Number(c)) && Number.isFinite(Number(lo)) && Number.isFinite(Number(hi)) && lo !== '' && hi !== '') {
        out.windows[Number(c)] = [Number(lo), Number(hi)];
      }
    }
    out.colors = {};
    for (const item of (p.get('col') || '').split(',')) {
      const [c, hex] = item.split(':');
      if (Number.isInteger(Number(c)) && /^[0-9a-fA-F]{6}$/.test(hex || '')) {
        out.colors[Number(c)] = '#' + hex.toLowerCase();
      }
    }
    const zoom = Number(p.get('zoom'));
    out.zoom = zoom > 0 && zoom < 1000 ? zoom : 0;
    const pan = (p.get('pan') || '0,0').split(',').map(Number);
    out.panX = Number.isFinite(pan[0]) ? pan[0] : 0;
    out.panY = Number.isFinite(pan[1]) ? pan[1] : 0;
    out.fmt = p.get('fmt') === 'raw' ? 'raw' : 'auto';
    const fps = Number(p.get('fps'));
    out.fps = fps >= 1 && fps <= 120 ? fps : 20;
    out.loop = p.get('loop') !== '0';
    out.autoEach = p.get('auto') === '1';
    return out;
  }

  // ---------------------------------------------------------------- loading files

  async function fetchJson(url) {
    const resp = await fetch(url);
    const body = await resp.json();
    if (!resp.ok) {
      throw new Error(body.error || resp.status + ' ' + resp.statusText);
    }
    return body;
  }

  /** Opens a file with the state requested (position, window, ...); ready() waits for it. */
  function openFile(requested) {
    opening = openFileNow(requested).catch((err) => showError(err.message));
    return opening;
  }

  async function openFileNow(requested) {
    const s = requested || {};
    const file = Number.isInteger(s.file) && s.file >= 0 && s.file < files.length ? s.file : 0;
    info = await fetchJson('/api/files/' + file + '/info');
    setPlaying(false);
    store.clear();
    pending = null;
    overviews.clear();
    tileCanvases.clear();
    lastDrawn = null;
    windowBounds = null;
    state.file = file;
    const sizes = info.keyAxes.map((a) => a.size);
    state.pos = sizes.map((size, k) => {
      const v = s.pos && s.pos[k];
      return Number.isInteger(v) && v >= 0 && v < size ? v : 0;
    });
    state.active = Number.isInteger(s.active) && s.active >= 0 && s.active < sizes.length ? s.active : 0;
    state.chanAxis = s.chanAxis !== undefined && s.chanAxis >= -1 && s.chanAxis < sizes.length ? s.chanAxis : info.channelKeyAxis;
    if (info.plane.samples !== 1) {
      state.chanAxis = -1;
    }
    for (const key of ['lut', 'stretch', 'gamma', 'composite', 'windows', 'colors', 'zoom', 'panX', 'panY', 'fmt', 'fps', 'loop',
      'autoEach']) {
      if (s[key] !== undefined) {
        state[key] = s[key];
      }
    }
    jpegExact = true;
    let autoLabel = 'auto (raw)';
    if ((wholePlane() ? info.formats : info.tileFormats).includes('jpeg')) {
      jpegExact = await checkJpegDecoder(state.pos).catch(() => true);
      autoLabel = jpegExact ? 'auto (jpeg as stored)' : 'auto (raw: this browser decodes JPEG differently)';
    }
    ui.format.querySelector('option[value=auto]').textContent = autoLabel;
    ui.file.value = String(file);
    ui.fileInfo.textContent = info.dtype + ' ' + '(' + info.shape.join(', ') + ')  axes ' + info.axes.join(', ')
      + '  codec ' + info.codec;
    ui.pixelSize.textContent = info.pixelSizeUm ? 'pixel ' + Number(info.pixelSizeUm.toPrecision(6)) + ' µm (metadata pixel_size_um)'
      : 'no pixel size (set metadata pixel_size_um for a scale bar)';
    buildAxes();
    return show();
  }

  // ---------------------------------------------------------------- errors and status

  function showError(message) {
    ui.error.textContent = message;
    ui.error.hidden = false;
    setStatus('');
  }

  function hideError() {
    ui.error.hidden = true;
  }

  function setStatus(text) {
    ui.status.textContent = text;
  }

  // ---------------------------------------------------------------- events

  function isTextEntry(target) {
    return target && (target.tagName === 'SELECT' || (target.tagName === 'INPUT' && target.type !== 'range'
      && target.type !== 'checkbox' && target.type !== 'color'));
  }

  function onKey(e) {
    if (!info || e.ctrlKey || e.metaKey || e.altKey || isTextEntry(e.target)) {
      return;
    }
    let handled = true;
    switch (e.key) {
      case 'ArrowRight':
        step(1);
        break;
      case 'ArrowLeft':
        step(-1);
        break;
      case 'ArrowUp':
        if (info.keyAxes.length) {
          setActive((state.active - 1 + info.keyAxes.length) % info.keyAxes.length);
        }
        break;
      case 'ArrowDown':
        if (info.keyAxes.length) {
          setActive((state.active + 1) % info.keyAxes.length);
        }
        break;
      case 'Home':
        step(-state.pos[state.active] || 0);
        break;
      case 'End':
        if (info.keyAxes.length) {
          step(info.keyAxes[state.active].size - 1 - state.pos[state.active]);
        }
        break;
      case ' ':
        setPlaying(!playing);
        break;
      case 'a':
        autoWindow();
        break;
      case '0':
        setZoom(0);
        break;
      case '1':
        setZoom(1);
        break;
      case '+':
      case '=':
        zoomAt(1.25, null);
        break;
      case '-':
        zoomAt(0.8, null);
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
    }
  }

  function setZoom(z) {
    if (z === 0) {
      state.zoom = 0;
    } else {
      const rect = ui.view.getBoundingClientRect();
      state.zoom = z;
      state.panX = Math.round((rect.width - info.plane.width * z) / 2);
      state.panY = Math.round((rect.height - info.plane.height * z) / 2);
    }
    viewChanged();
  }

  /** Zooms by `factor` keeping the image point under `at` (CSS px in the view; null = centre) in place. */
  function zoomAt(factor, at) {
    const t = viewTransform();
    const rect = ui.view.getBoundingClientRect();
    const cx = at ? at.x : rect.width / 2;
    const cy = at ? at.y : rect.height / 2;
    const z = t.z / t.dpr;
    const nz = Math.min(64, Math.max(Math.min(MIN_ZOOM, fitZoom() / 2), z * factor));
    const px = t.x / t.dpr;
    const py = t.y / t.dpr;
    state.zoom = nz;
    state.panX = cx - (cx - px) * (nz / z);
    state.panY = cy - (cy - py) * (nz / z);
    viewChanged();
  }

  function bindEvents() {
    document.addEventListener('keydown', onKey);
    ui.view.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = ui.view.getBoundingClientRect();
      zoomAt(e.deltaY < 0 ? 1.25 : 0.8, { x: e.clientX - rect.left, y: e.clientY - rect.top });
    }, { passive: false });
    let drag = null;
    ui.view.addEventListener('mousedown', (e) => {
      ui.view.focus();
      const t = viewTransform();
      drag = { x: e.clientX, y: e.clientY, panX: t.x / t.dpr, panY: t.y / t.dpr, zoom: t.z / t.dpr };
      ui.view.classList.add('dragging');
    });
    window.addEventListener('mouseup', () => {
      drag = null;
      ui.view.classList.remove('dragging');
    });
    ui.view.addEventListener('mousemove', (e) => {
      const rect = ui.view.getBoundingClientRect();
      mouse = { x: e.clientX - rect.left, y: e.clientY - rect.top };
      if (drag && (e.buttons & 1) && (e.clientX !== drag.x || e.clientY !== drag.y)) {
        state.zoom = drag.zoom;
        state.panX = drag.panX + e.clientX - drag.x;
        state.panY = drag.panY + e.clientY - drag.y;
        viewChanged();
      }
      updateReadout();
    });
    ui.view.addEventListener('mouseleave', () => {
      mouse = null;
    });
    ui.view.addEventListener('dblclick', () => setZoom(0));
    window.addEventListener('resize', viewChanged);
    window.addEventListener('hashchange', () => {
      if (location.hash.slice(1) !== encodeState()) {
        openFile(decodeState(location.hash));
      }
    });
    ui.file.addEventListener('change', () => {
      state.windows = {};
      state.colors = {};
      openFile({ file: Number(ui.file.value), lut: state.lut, fmt: state.fmt, stretch: state.stretch, gamma: state.gamma });
    });
    ui.play.addEventListener('click', () => setPlaying(!playing));
    ui.fps.addEventListener('change', () => {
      const v = Number(ui.fps.value);
      state.fps = v >= 1 && v <= 120 ? v : 20;
      scheduleHashUpdate();
    });
    ui.loop.addEventListener('change', () => {
      state.loop = ui.loop.checked;
      scheduleHashUpdate();
    });
    const applyNumbers = () => setWindow(Number(ui.winMin.value), Number(ui.winMax.value));
    ui.winMin.addEventListener('change', applyNumbers);
    ui.winMax.addEventListener('change', applyNumbers);
    ui.winMinRange.addEventListener('input', () => setWindow(Number(ui.winMinRange.value), Number(ui.winMaxRange.value)));
    ui.winMaxRange.addEventListener('input', () => setWindow(Number(ui.winMinRange.value), Number(ui.winMaxRange.value)));
    ui.auto.addEventListener('click', autoWindow);
    ui.full.addEventListener('click', fullWindow);
    ui.autoEach.addEventListener('change', () => {
      state.autoEach = ui.autoEach.checked;
      if (state.autoEach) {
        autoWindow();
      }
      scheduleHashUpdate();
    });
    ui.stretch.addEventListener('change', () => {
      state.stretch = ui.stretch.value in STRETCHES ? ui.stretch.value : 'linear';
      ui.gamma.disabled = state.stretch !== 'gamma';
      redraw();
      scheduleHashUpdate();
    });
    ui.gamma.addEventListener('change', () => {
      const g = Number(ui.gamma.value);
      // a value outside [0.05, 20] (or a field being cleared) is ignored until a valid one is typed
      if (validGamma(g) && ui.gamma.value !== '') {
        state.gamma = g;
        redraw();
        scheduleHashUpdate();
      }
    });
    ui.lut.addEventListener('change', () => {
      state.lut = ui.lut.value;
      redraw();
      scheduleHashUpdate();
    });
    ui.channelAxis.addEventListener('change', () => {
      state.chanAxis = Number(ui.channelAxis.value);
      state.windows = {};
      show();
    });
    ui.composite.addEventListener('change', () => {
      state.composite = ui.composite.checked;
      show();
    });
    ui.format.addEventListener('change', () => {
      state.fmt = ui.format.value;
      show();
    });
    ui.zoomFit.addEventListener('click', () => setZoom(0));
    ui.zoomIn.addEventListener('click', () => zoomAt(2, null));
    ui.zoomOut.addEventListener('click', () => zoomAt(0.5, null));
    ui.zoom1.addEventListener('click', () => setZoom(1));
  }

  // ---------------------------------------------------------------- hooks for tests and measurements

  /**
   * Read by the browser tests: the state, the visible canvas' pixels, and a scrubbing benchmark that
   * steps the active axis through the page's own cache and prefetch path once per animation frame
   * whenever the next slice is loaded.
   */
  window.jpklViewer = {
    state: () => JSON.parse(JSON.stringify(state)),
    ready: () => started.then(() => opening).then(() => currentShow).then(() => true),
    drawnPosition: () => (lastDrawn ? lastDrawn.pos.slice() : null),
    jpegExact: () => jpegExact,
    canvasPixels(x, y, w, h) {
      const data = ui.canvas.getContext('2d').getImageData(x, y, w, h).data;
      let s = '';
      for (let i = 0; i < data.length; i += 8192) {
        s += String.fromCharCode.apply(null, data.subarray(i, i + 8192));
      }
      return btoa(s);
    },
    loads: () => store.loads.slice(),
    histogram: () => (histogram ? JSON.parse(JSON.stringify(histogram)) : null),
    level: () => (lastDrawn ? lastDrawn.level : null),
    tilesInView: () => (lastDrawn ? lastDrawn.tiles.map((t) => [t.level, t.row, t.col]) : null),
    colourBarPixels() {
      const c = ui.colourBar;
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, 1).data);
    },
    histogramPixels() {
      const c = ui.histogram;
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
    },
    benchmark(frames) {
      return new Promise((resolve) => {
        let shown = 0;
        let stalls = 0;
        let start = 0;
        const tick = (now) => {
          if (!start) {
            start = now;
          }
          if (nextReady(1)) {
            step(1);
            shown++;
          } else {
            stalls++;
          }
          if (shown < frames) {
            requestAnimationFrame(tick);
          } else {
            const ms = performance.now() - start;
            resolve({ frames: shown, stalls, ms, fps: (1000 * shown) / ms });
          }
        };
        requestAnimationFrame(tick);
      });
    },
  };

  // ---------------------------------------------------------------- start

  async function start() {
    for (const [key, id] of [['canvas', 'canvas'], ['view', 'view'], ['axes', 'axes'], ['readout', 'readout'],
      ['file', 'file'], ['fileInfo', 'file-info'], ['status', 'status'], ['error', 'error'], ['play', 'play'],
      ['fps', 'fps'], ['loop', 'loop'], ['winMin', 'win-min'], ['winMax', 'win-max'], ['winMinRange', 'win-min-range'],
      ['winMaxRange', 'win-max-range'], ['auto', 'auto'], ['autoEach', 'auto-each'], ['full', 'full'], ['lut', 'lut'],
      ['channelAxis', 'channel-axis'], ['channelRow', 'channel-row'], ['composite', 'composite'], ['channels', 'channels'],
      ['zoomFit', 'zoom-fit'], ['zoom1', 'zoom-1'], ['format', 'format'], ['stretch', 'stretch'], ['gamma', 'gamma'],
      ['histogram', 'histogram'], ['histogramInfo', 'histogram-info'], ['colourBar', 'colour-bar'], ['colourBarRow', 'colour-bar-row'],
      ['colourBarMin', 'colour-bar-min'], ['colourBarMid', 'colour-bar-mid'], ['colourBarMax', 'colour-bar-max'],
      ['scaleBar', 'scale-bar'], ['scaleBarLine', 'scale-bar-line'], ['scaleBarLabel', 'scale-bar-label'],
      ['levelInfo', 'level-info'], ['pixelSize', 'pixel-size'], ['zoomIn', 'zoom-in'], ['zoomOut', 'zoom-out']]) {
      ui[key] = $(id);
    }
    bindEvents();
    startWorkers();
    try {
      files = await fetchJson('/api/files');
      for (const f of files) {
        const o = document.createElement('option');
        o.value = String(f.index);
        o.textContent = f.name;
        ui.file.appendChild(o);
      }
    } catch (err) {
      showError(err.message);
      return;
    }
    await openFile(decodeState(location.hash));
  }

  const started = start();
})();
