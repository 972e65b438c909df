import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BaseInputs } from './fuzzCase.js';
import { repoRoot, runSynthCase } from './runSynthCase.js';

/** Flags of the tiny training runs: seconds, not minutes, and a few KB of weights to mutate. */
export const TINY_TRAINING = ['--embedding-dim', '4', '--lstm-units', '8', '--epochs', '1', '--sequence-length', '20', '--workers', '1', '--random-seed', '1', '--no-score', '-q'];

/** Rows of fixtures/customers.csv the base data keeps: every field kind, still quick to train on. */
const ROWS = 40;

/** Trains the run's two small base models through the CLI and writes the files the kinds start from. */
export async function makeBaseInputs(workDir: string): Promise<BaseInputs> {
  const lines = (await readFile(path.join(repoRoot, 'fixtures', 'customers.csv'), 'utf8')).split('\n');
  const delimitedData = path.join(workDir, 'customers.csv');
  const textData = path.join(workDir, 'lines.txt');
  await writeFile(delimitedData, `${lines.slice(0, ROWS + 1).join('\n')}\n`);
  await writeFile(textData, `${lines.slice(ROWS + 1, 2 * ROWS + 1).join('\n')}\n`);
  const delimitedModel = await trainBase(delimitedData, path.join(workDir, 'delimited-model'));
  const textModel = await trainBase(textData, path.join(workDir, 'text-model'));
  const inspect = await runSynthCase(['inspect', delimitedModel, '--json'], workDir, { cpuTimeoutMs: Infinity, timeoutMs: 120_000, maxRssKiB: Infinity });
  if (inspect.status !== 0) throw new Error(`synth inspect of the base model failed: ${inspect.stderr}`);
  return { workDir, delimitedModel, textModel, delimitedData, textData, inspectJson: inspect.stdout };
}

async function trainBase(input: string, out: string): Promise<string> {
  const result = await runSynthCase(['train', '--input', input, '--out', out, ...TINY_TRAINING], path.dirname(out), { cpuTimeoutMs: Infinity, timeoutMs: 300_000, maxRssKiB: Infinity });
  if (result.status !== 0) throw new Error(`training the base model ${out} failed (exit ${result.status}): ${result.stderr}`);
  return out;
}
