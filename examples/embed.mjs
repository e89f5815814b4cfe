// Prints the embedding of images with an encoder exported by `ijepa-ort export`, in onnxruntime-node or onnxruntime-web (WASM).
//   node embed.mjs MODEL.onnx IMAGE.png|.jpg ... [--backend node|wasm]
// Reads the deployment contract MODEL.onnx.json (written beside the model) for the preprocessing; prints one JSON line
// per image: {"file": ..., "dims": [1, D], "embedding": [...]} (the model's `pooled` output).
import { readFileSync } from 'node:fs';
import { decode, preprocess } from './preprocess.mjs';

const args = process.argv.slice(2);
const backendAt = args.indexOf('--backend');
const backend = backendAt >= 0 ? args.splice(backendAt, 2)[1] : 'node';
const [modelPath, ...images] = args;
if (!modelPath || images.length === 0 || !['node', 'wasm'].includes(backend)) {
  console.error('usage: node embed.mjs MODEL.onnx IMAGE... [--backend node|wasm]');
  process.exit(2);
}

const contract = JSON.parse(readFileSync(modelPath + '.json', 'utf8'));
const pre = contract.preprocessing;
const ort = backend === 'node' ? await import('onnxruntime-node') : await import('onnxruntime-web');
if (backend === 'wasm') ort.env.wasm.numThreads = 1;
// onnxruntime-node opens the file (and its external data beside it); onnxruntime-web takes bytes, and the external data by name.
const options = { executionProviders: [backend === 'node' ? 'cpu' : 'wasm'] };
if (backend === 'wasm' && contract.external_data) {
  const folder = modelPath.slice(0, modelPath.lastIndexOf('/') + 1);
  options.externalData = [{ path: contract.external_data, data: readFileSync(folder + contract.external_data) }];
}
const session = await ort.InferenceSession.create(backend === 'node' ? modelPath : readFileSync(modelPath), options);

for (const file of images) {
  const input = preprocess(decode(file), pre);
  const images = new ort.Tensor('float32', input, [1, pre.in_chans, pre.img_size, pre.img_size]);
  const { pooled } = await session.run({ images }, ['pooled']);
  console.log(JSON.stringify({ file, dims: pooled.dims, embedding: Array.from(pooled.data) }));
}
