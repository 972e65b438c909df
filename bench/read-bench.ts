import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareTrainingData } from '../src/train/prepareTrainingData.js';
import { scanTrainingFile } from '../src/data/readTrainingData.js';
import { seededRandom } from '../src/random/seededRandom.js';
import { writeRepeatedTable } from './repeatedTable.js';

/**
 * `npm run bench:read`: how fast training input is read and encoded. Makes a CSV in a temporary
 * directory from fixtures/customers.csv repeated to BENCH_ROWS data rows (default 300,000, about
 * 29 MB), then times (1) one streaming pass of checks and CSV parsing (what each of the two passes
 * costs) and (2) the whole preparation: both passes, vocabulary, split and encoding into typed
 * arrays. Prints MB/s of input (per wall second and per CPU second, the steadier figure on a shared
 * machine) and the peak RSS seen, sampled every 20 ms, with the load average.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
/** User + system CPU time: on a shared machine a steadier measure than wall time. */
const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const mb = (bytes: number) => bytes / 1e6;

const dir = await mkdtemp(path.join(os.tmpdir(), 'synth-read-bench-'));
try {
  const file = await writeRepeatedTable(dir, ROWS);
  const size = (await stat(file)).size;
  await scanTrainingFile(file, { collectGarbage: true }, () => {}); // warm-up: the JIT and the page cache
  let started = performance.now();
  let cpu = process.cpuUsage();
  let records = 0;
  await scanTrainingFile(file, { collectGarbage: true }, () => records++);
  const scanSeconds = (performance.now() - started) / 1000;
  const scanCpu = cpuSeconds(process.cpuUsage(cpu));

  started = performance.now();
  cpu = process.cpuUsage();
  const data = await prepareTrainingData(file, { validationSplit: 0.2, random: seededRandom(1), collectGarbage: true });
  const prepareSeconds = (performance.now() - started) / 1000;
  const prepareCpu = cpuSeconds(process.cpuUsage(cpu));
  const tokens = data.train.ids.length + data.validation.ids.length;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  console.log(`input: ${ROWS} rows, ${mb(size).toFixed(1)} MB, ${records} records, ${tokens} tokens (${data.train.ids.constructor.name} ids)`);
  console.log(`one pass (checks + csv-parse): ${scanSeconds.toFixed(2)} s wall, ${(mb(size) / scanSeconds).toFixed(1)} MB/s; ${scanCpu.toFixed(2)} s CPU, ${(mb(size) / scanCpu).toFixed(1)} MB per CPU second`);
  console.log(`prepare (2 passes + encode):   ${prepareSeconds.toFixed(2)} s wall, ${(mb(size) / prepareSeconds).toFixed(1)} MB/s of input, ${(tokens / prepareSeconds / 1e6).toFixed(2)} M tokens/s; ${prepareCpu.toFixed(2)} s CPU, ${(mb(size) / prepareCpu).toFixed(1)} MB per CPU second`);
  console.log(`encoded size: ${mb(data.train.ids.byteLength + data.validation.ids.byteLength + data.train.offsets.byteLength + data.validation.offsets.byteLength).toFixed(1)} MB; peak RSS ${mb(peakRss).toFixed(0)} MB; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
