import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readTrainingData } from '../src/data/readTrainingData.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { calibrateMarginals, CALIBRATION_RECORDS, CALIBRATION_ROUNDS } from '../src/train/calibrateMarginals.js';
import type { EncodedRecords } from '../src/train/encodedRecords.js';

/**
 * `node dist/bench/calibrate-model.js MODEL DATA OUT [records] [rounds]`: a copy of MODEL with its
 * marginal calibration fitted afresh on DATA (the file it was trained on), so the same weights can
 * be scored with and without calibration (synth evaluate on both). Without it OUT is MODEL as is.
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
const calibration = await calibrateMarginals(model.weights, tokenizer, model.manifest.schema!, [records], {
  records: Number(recordsArg ?? CALIBRATION_RECORDS),
  byPrevious: process.env.CALIBRATION_BY !== 'step',
  rounds: Number(roundsArg ?? CALIBRATION_ROUNDS),
  randomSeed: 7,
  maxTokens: model.manifest.generation.maxChars,
  warn: (m) => console.error(String(m)),
});
cpSync(modelDir, outDir, { recursive: true });
const manifestPath = path.join(outDir, 'synth.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
delete manifest.calibration;
if (calibration) manifest.calibration = calibration;
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
console.error(`calibrated ${calibration?.fields.length ?? 0} fields in ${((Date.now() - started) / 1000).toFixed(1)} s`);
