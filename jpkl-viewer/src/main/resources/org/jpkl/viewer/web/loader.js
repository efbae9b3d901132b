// jpkl viewer: fetches one slice and turns it into sample values. Runs as a Web Worker (so JPEG
// decoding and copying stay off the page's main thread), and is also loaded by the page as a plain
// script, which then defines self.jpklLoadSlice for browsers without workers or OffscreenCanvas.
'use strict';

(function () {
  const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const TYPED = {
    uint8: Uint8Array, uint16: Uint16Array, int16: Int16Array,
    int32: Int32Array, float32: Float32Array, float64: Float64Array,
  };
  let scratch = null;

  function scratchContext(w, h) {
    if (!scratch) {
      scratch = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(w, h) : document.createElement('canvas');
    }
    if (scratch.width !== w || scratch.height !== h) {
      scratch.width = w;
      scratch.height = h;
    }
    return scratch.getContext('2d', { willReadFrequently: true });
  }

  function fromLittleEndian(buffer, Type, dtype) {
    const view = new DataView(buffer);
    const n = buffer.byteLength / Type.BYTES_PER_ELEMENT;
    const out = new Type(n);
    const read = {
      uint16: (i) => view.getUint16(2 * i, true), int16: (i) => view.getInt16(2 * i, true),
      int32: (i) => view.getInt32(4 * i, true), float32: (i) => view.getFloat32(4 * i, true),
      float64: (i) => view.getFloat64(8 * i, true),
    }[dtype];
    for (let i = 0; i < n; i++) {
      out[i] = read(i);
    }
    return out;
  }

  /**
   * Fetches a slice URL of the viewer's API and returns {w, h, c, dtype, data, format, transferBytes}:
   * `data` holds h x w x c samples (row-major, samples interleaved) as the dtype's typed array.
   * A stored JPEG is decoded by the browser without colour conversion.
   */
  async function loadSlice(url) {
    const resp = await fetch(url);
    if (!resp.ok) {
      let message = resp.status + ' ' + resp.statusText;
      try {
        message = (await resp.json()).error || message;
      } catch (ignored) {
        // the body was not the server's JSON error
      }
      throw new Error(message);
    }
    const format = resp.headers.get('X-Jpkl-Format');
    const dtype = resp.headers.get('X-Jpkl-Dtype');
    const shape = resp.headers.get('X-Jpkl-Shape').split(',').map(Number);
    const h = shape[0];
    const w = shape[1];
    const c = shape.length > 2 ? shape[2] : 1;
    let data;
    let transferBytes;
    if (format === 'jpeg') {
      const blob = await resp.blob();
      transferBytes = blob.size;
      const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      const ctx = scratchContext(w, h);
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      const rgba = ctx.getImageData(0, 0, w, h).data;
      data = new Uint8Array(w * h * c);
      if (c === 1) {
        for (let i = 0, j = 0; i < w * h; i++, j += 4) {
          data[i] = rgba[j];
        }
      } else {
        for (let i = 0, j = 0; i < w * h; i++, j += 4) {
          data[3 * i] = rgba[j];
          data[3 * i + 1] = rgba[j + 1];
          data[3 * i + 2] = rgba[j + 2];
        }
      }
    } else {
      const buffer = await resp.arrayBuffer();
      transferBytes = buffer.byteLength;
      const Type = TYPED[dtype];
      if (!Type) {
        throw new Error('unknown dtype ' + dtype);
      }
      data = LITTLE_ENDIAN || Type.BYTES_PER_ELEMENT === 1 ? new Type(buffer) : fromLittleEndian(buffer, Type, dtype);
      if (data.length !== w * h * c) {
        throw new Error('slice has ' + data.length + ' samples, expected ' + w * h * c);
      }
    }
    return { w, h, c, dtype: format === 'jpeg' ? 'uint8' : dtype, data, format, transferBytes };
  }

  const isWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;
  if (isWorker) {
    self.onmessage = (e) => {
      const { id, url } = e.data;
      loadSlice(url).then((slice) => {
        self.postMessage({ id, slice }, [slice.data.buffer]);
      }, (err) => {
        self.postMessage({ id, error: err.message });
      });
    };
  } else {
    self.jpklLoadSlice = loadSlice;
  }
})();
