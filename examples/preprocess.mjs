// The deployment contract's preprocessing (README "Deploying the encoder", FILE.onnx.json "preprocessing"), step by step:
// decode to 8-bit RGB, centre square crop, PIL bilinear resize, /255, RGB or luma, (x - mean) / std, NCHW float32.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

/** Decodes a PNG or JPEG file to { width, height, rgb: Uint8Array [H, W, 3] } (alpha dropped, no EXIF rotation). */
export function decode(path) {
  const bytes = readFileSync(path);
  let width, height, rgba;
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(bytes, { skipRescale: false });
    ({ width, height } = png);
    rgba = png.data;
  } else if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    ({ width, height } = img);
    rgba = img.data;
  } else {
    throw new Error(`${path}: not a PNG or JPEG file`);
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    rgb[3 * p] = rgba[4 * p];
    rgb[3 * p + 1] = rgba[4 * p + 1];
    rgb[3 * p + 2] = rgba[4 * p + 2];
  }
  return { width, height, rgb };
}

/** PIL's bilinear (triangle) filter coefficients for inSize -> outSize: per output pixel, first tap and weights. */
function coefficients(inSize, outSize) {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale;
  const taps = [];
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const min = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - min;
    const w = [];
    let total = 0;
    for (let k = 0; k < n; k++) {
      const t = Math.abs((k + min - center + 0.5) / filterScale);
      const v = t < 1 ? 1 - t : 0;
      w.push(v);
      total += v;
    }
    taps.push({ min, w: total !== 0 ? w.map((v) => v / total) : w });
  }
  return taps;
}

/** The image as the model's input: Float32Array [in_chans, size, size], following contract.preprocessing. */
export function preprocess(image, pre) {
  const { width, height, rgb } = image;
  const size = pre.img_size;
  const side = Math.min(width, height);
  const top = Math.floor((height - side) / 2), left = Math.floor((width - side) / 2);
  const xs = coefficients(side, size), ys = coefficients(side, size);

  // Horizontal pass over the crop's rows: [side, size, 3].
  const rows = new Float64Array(side * size * 3);
  for (let y = 0; y < side; y++) {
    const rowStart = ((top + y) * width + left) * 3;
    for (let x = 0; x < size; x++) {
      const { min, w } = xs[x];
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < w.length; k++) sum += w[k] * rgb[rowStart + (min + k) * 3 + c];
        rows[(y * size + x) * 3 + c] = sum;
      }
    }
  }
  // Vertical pass, scale to [0, 1]: planes [3, size, size].
  const plane = size * size;
  const planes = new Float64Array(3 * plane);
  for (let y = 0; y < size; y++) {
    const { min, w } = ys[y];
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < w.length; k++) sum += w[k] * rows[((min + k) * size + x) * 3 + c];
        planes[c * plane + y * size + x] = Math.min(Math.max(sum, 0), 255) / 255;
      }
  }
  // Channels, then normalisation.
  const chans = pre.in_chans;
  const out = new Float32Array(chans * plane);
  for (let p = 0; p < plane; p++) {
    if (chans === 3) for (let c = 0; c < 3; c++) out[c * plane + p] = (planes[c * plane + p] - pre.mean[c]) / pre.std[c];
    else out[p] = (0.299 * planes[p] + 0.587 * planes[plane + p] + 0.114 * planes[2 * plane + p] - pre.mean[0]) / pre.std[0];
  }
  return out;
}
