import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { evaluate, UsageError, type EvaluationReport } from '../src/index.js';
import { sampleTrainingData } from '../src/data/sampleTrainingData.js';
import { loadModelDirectory } from '../src/model/loadModelDirectory.js';
import { CharTokenizer } from '../src/tokenizer/charTokenizer.js';
import { EVALUATION_PLACEMENTS } from '../src/generate/generateForEvaluation.js';
import type { ConditionPlacement } from '../src/generate/conditionalStart.js';
import { chooseConditions, type ChosenCondition, type SkippedCondition } from './chooseConditions.js';
import { REPO_ROOT } from './runCli.js';

/**
 * `npm run bench:conditions-table`: the conditions issue's table. For each model and its data file,
 * three conditions chosen from the model's schema and order (chooseConditions.ts), each scored by
 * evaluate({ where }) once per condition placement synth evaluate offers (written first, forced at
 * their own place):
 * Column Shapes / Pair Trends of the other columns against the real rows that meet the condition,
 * beside the baselines fitted on those rows and the held-out rows that meet it (the ceiling).
 * Prints a markdown table; writes CONDITIONS_TABLE_RESULTS (bench/results/conditions-table.json).
 *
 * Environment: CONDITIONS_TABLES="name=modelDir:dataFile,..." (default: the bundled model and
 * fixtures/customers.csv), CONDITIONS_LINES (records per run, 2000), CONDITIONS_SEED (1),
 * CONDITIONS_PLACEMENTS (comma-separated placements to run, default all: each is a generation per
 * condition, and exact alone is what a user gets by default).
 */
const lines = Number(process.env.CONDITIONS_LINES ?? 2000);
const randomSeed = Number(process.env.CONDITIONS_SEED ?? 1);
const resultsPath = process.env.CONDITIONS_TABLE_RESULTS ?? path.join(REPO_ROOT, 'bench/results/conditions-table.json');
const placements = parsePlacements(process.env.CONDITIONS_PLACEMENTS);
const tables = parseTables(process.env.CONDITIONS_TABLES ?? 'customers=fixtures/default-model:fixtures/customers.csv');

interface Scores {
  shapes: number | null;
  pairs: number | null;
}

interface ConditionRow {
  table: string;
  kind: ChosenCondition['kind'];
  where: string[];
  realRows?: { training: number; heldOut: number };
  /** The model's records, by condition placement. */
  synth?: Partial<Record<ConditionPlacement, Scores>>;
  independent?: Scores;
  copula?: Scores;
  heldOut?: Scores;
  /** Why the row has no scores (too few real rows, no such field). */
  note?: string;
}

function parsePlacements(spec: string | undefined): readonly ConditionPlacement[] {
  if (spec === undefined) return EVALUATION_PLACEMENTS;
  const chosen = spec.split(',').map((p) => p.trim()) as ConditionPlacement[];
  const unknown = chosen.find((p) => !EVALUATION_PLACEMENTS.includes(p));
  if (unknown !== undefined || chosen.length === 0) throw new Error(`CONDITIONS_PLACEMENTS: "${unknown ?? spec}" is not one of ${EVALUATION_PLACEMENTS.join(', ')}`);
  return chosen;
}

function parseTables(spec: string): { name: string; modelDir: string; dataPath: string }[] {
  return spec.split(',').map((entry) => {
    const match = /^([^=]+)=([^:]+):(.+)$/.exec(entry.trim());
    if (!match) throw new Error(`CONDITIONS_TABLES: "${entry}" is not name=modelDir:dataFile`);
    const resolve = (p: string) => path.resolve(REPO_ROOT, p);
    return { name: match[1]!, modelDir: resolve(match[2]!), dataPath: resolve(match[3]!) };
  });
}

const scoresOf = (report: EvaluationReport, id: string): Scores => {
  const row = report.synthesizers.find((r) => r.id === id)!;
  return { shapes: row.columnShapes, pairs: row.columnPairTrends };
};

async function scoreCondition(table: (typeof tables)[number], condition: ChosenCondition | SkippedCondition): Promise<ConditionRow> {
  if ('reason' in condition) return { table: table.name, kind: condition.kind, where: [], note: condition.reason };
  const row: ConditionRow = { table: table.name, kind: condition.kind, where: condition.where };
  try {
    const reports: EvaluationReport[] = [];
    for (const conditionPlacement of placements) {
      reports.push(await evaluate({ model: table.modelDir, data: table.dataPath, lines, randomSeed, where: condition.where, conditionPlacement }));
    }
    // The real rows and the baselines do not depend on the placement: the first report's serve.
    const first = reports[0]!;
    return {
      ...row,
      realRows: { training: first.counts.trainingRecords, heldOut: first.counts.heldOutRecords },
      synth: Object.fromEntries(placements.map((placement, i) => [placement, scoresOf(reports[i]!, 'synthetic')])),
      independent: scoresOf(first, 'independentColumns'),
      copula: scoresOf(first, 'gaussianCopula'),
      heldOut: scoresOf(first, 'heldOut'),
    };
  } catch (error) {
    if (UsageError.is(error)) return { ...row, note: error.message };
    throw error;
  }
}

const pair = (s: Scores | undefined) => (s ? `${fixed(s.shapes)} / ${fixed(s.pairs)}` : '—');
const fixed = (n: number | null) => (n === null ? '—' : n.toFixed(3));

function renderTable(rows: readonly ConditionRow[]): string {
  const columns = ['table', 'condition', 'real rows (training / held out)', ...placements.map((p) => `synth, ${p}`), 'independent', 'copula', 'held-out (ceiling)'];
  const body = rows.map((r) =>
    r.note !== undefined
      ? [r.table, r.where.join(', ') || r.kind, r.note, ...columns.slice(3).map(() => '')]
      : [
          r.table,
          r.where.map((w) => `\`${w}\``).join(', '),
          `${r.realRows!.training} / ${r.realRows!.heldOut}`,
          ...placements.map((p) => pair(r.synth?.[p])),
          pair(r.independent),
          pair(r.copula),
          pair(r.heldOut),
        ],
  );
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table = [line(columns), line(columns.map(() => '---')), ...body.map(line)].join('\n');
  return `Column Shapes / Pair Trends of the columns not conditioned, against the real rows that meet the condition; ${lines} records per run, seed ${randomSeed}.\n\n${table}\n`;
}

const rows: ConditionRow[] = [];
const notes: string[] = [];
for (const table of tables) {
  const { manifest } = await loadModelDirectory(table.modelDir);
  if (!manifest.schema || manifest.records.kind !== 'delimited') {
    notes.push(`${table.name}: the model has no field schema of delimited records; conditions do not apply`);
    continue;
  }
  const tokenizer = new CharTokenizer(manifest.tokenizer);
  if (!tokenizer.fieldTokens) notes.push(`${table.name}: the model writes its fields in one fixed order, so it cannot write conditioned fields first; they are met in place`);
  const data = await sampleTrainingData(table.dataPath, { delimiter: manifest.records.delimiter, option: 'data' });
  for (const condition of chooseConditions(manifest.schema, tokenizer.defaultOrder(), data.records)) {
    const row = await scoreCondition(table, condition);
    rows.push(row);
    const scores = placements.map((p) => `${p} ${pair(row.synth?.[p])}`).join(', ');
    process.stderr.write(`${table.name} ${row.where.join(', ') || row.kind}: ${row.note ?? `${scores}, ceiling ${pair(row.heldOut)}`}\n`);
  }
}

/** The conditions issue's bar: on the closed-set field written last, exact Shapes within 0.05 of the ceiling's. */
const verdicts = rows.flatMap((r) => {
  const exact = r.synth?.exact?.shapes;
  const ceiling = r.heldOut?.shapes;
  if (r.kind !== 'last closed set' || exact == null || ceiling == null) return [];
  return [`${r.table} ${r.where.join(', ')}: exact Shapes ${fixed(exact)}, ceiling ${fixed(ceiling)}, ${ceiling - exact <= 0.05 ? 'within 0.05' : 'more than 0.05 below'}`];
});
process.stdout.write(renderTable(rows) + (notes.length > 0 ? `\n${notes.map((note) => `- ${note}\n`).join('')}` : '') + (verdicts.length > 0 ? `\n${verdicts.map((v) => `- ${v}\n`).join('')}` : ''));
await mkdir(path.dirname(resultsPath), { recursive: true });
await writeFile(resultsPath, `${JSON.stringify({ lines, randomSeed, cpu: os.cpus()[0]?.model, rows, notes }, null, 2)}\n`);
process.stderr.write(`written ${path.relative(REPO_ROOT, resultsPath)}\n`);
