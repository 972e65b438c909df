import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readTrainingData } from '../src/data/readTrainingData.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { calibrateMarginals, CALIBRATION_RECORDS, CALIBRATION_ROUNDS } from '../src/train/calibrateMarginals.js';
import type { EncodedRecords } from '../src/train/encodedRecords.js';

/**
 * `node dist/bench/calibrate-model.js MODEL DATA OUT [records] [rounds]`: a copy of MODEL with its
 * marginal calibration fitted afresh on DATA (the file it was trained on), with the training run's
 * seed, as synth train fits it after training — so the same weights can be scored with and
 * without calibration, and a model trained before calibration existed gets what a run today would
 * add. CALIBRATION_BY=step keys the biases by step alone (the variant measured against).
 */
const [modelDir, dataPath, outDir, recordsArg, roundsArg] = process.argv.slice(2);
if (!modelDir || !dataPath || !outDir) {
  console.error('usage: node dist/bench/calibrate-model.js MODEL DATA OUT [records] [rounds]');
  process.exit(2);
}
const model = await loadModelDirectory(modelDir);
const tokenizer = new CharTokenizer(model.manifest.tokenizer);
const data = await readTrainingData(dataPath);
const ids: number[] = [tokenizer.endOfRecord];
const offsets: number[] = [1];
for (const fields of data.records) {
  ids.push(...tokenizer.encodeRecord(fields));
  offsets.push(ids.length);
}
const records: EncodedRecords = { ids: Int32Array.from(ids), offsets: Uint32Array.from(offsets), count: data.records.length };
const started = Date.now();
const { calibration } = await calibrateMarginals(model.weights, tokenizer, model.manifest.schema!, [records], {
  records: Number(recordsArg ?? CALIBRATION_RECORDS),
  byPrevious: process.env.CALIBRATION_BY !== 'step',
  rounds: Number(roundsArg ?? CALIBRATION_ROUNDS),
  // The training run's own seed, as synth train would use it.
  randomSeed: typeof model.manifest.training.settings.randomSeed === 'number' ? model.manifest.training.settings.randomSeed : 7,
  maxTokens: model.manifest.generation.maxChars,
  warn: (m) => console.error(String(m)),
});
cpSync(modelDir, outDir, { recursive: true });
const manifestPath = path.join(outDir, 'synth.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
delete manifest.calibration;
if (calibration) manifest.calibration = calibration;
manifest.training.settings.calibrate = calibration !== undefined;
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
console.error(`calibrated ${calibration?.fields.length ?? 0} fields in ${((Date.now() - started) / 1000).toFixed(1)} s`);
