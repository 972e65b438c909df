import type { GenerateStats } from '../generate/generateStats.js';

/** The --stats summary: one line for people, one `stats: {json}` line for scripts. */
export function formatStats(stats: GenerateStats): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const human =
    `synth: ${n(stats.valid)} valid, ${n(stats.invalid)} invalid records in ${(stats.elapsedMs / 1000).toFixed(2)} s; ` +
    `${n(stats.tokensPerSecond)} tokens/s, ${n(stats.recordsPerSecond)} records/s; ` +
    `backend ${stats.backend}, ${stats.workers} worker(s) x batch ${stats.batchSize}; random seed ${stats.randomSeed}`;
  return `${human}\nstats: ${JSON.stringify(stats)}\n`;
}
