import { Command } from 'commander';
import { loadModelDirectory } from '../model/loadModelDirectory.js';
import type { SynthManifest } from '../model/manifest.js';
import { describeField } from '../schema/describeField.js';
import { describeKey } from '../schema/keyColumns.js';
import { defaultModelDir } from './defaultModel.js';

/** `synth inspect [MODEL]`: what a model directory holds, for people (default) or scripts (--json). */
export function inspectCommand(): Command {
  return new Command('inspect')
    .description("show a model's field schema and facts: architecture, vocabulary, training metrics")
    .argument('[model]', 'model directory', defaultModelDir())
    .option('--json', 'print one JSON object on stdout (its "schema" can be edited and given to generate --schema-file)')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const { manifest, dir: resolved } = await loadModelDirectory(dir);
      const facts = modelFacts(manifest, resolved);
      process.stdout.write(flags.json ? `${JSON.stringify(facts, null, 2)}\n` : formatFacts(facts, manifest));
    });
}

function modelFacts(manifest: SynthManifest, dir: string) {
  const valueTokens = manifest.tokenizer.valueTokens?.length ?? 0;
  return {
    dir,
    format: manifest.format,
    version: manifest.version,
    architecture: manifest.architecture,
    vocabulary: { size: manifest.architecture.vocabSize, valueTokens, characters: manifest.architecture.vocabSize - valueTokens },
    records: manifest.records,
    /** The order the model writes fields in, by name; absent when it is the table's order. */
    ...(manifest.tokenizer.fieldOrder && manifest.records.kind === 'delimited'
      ? { fieldOrder: manifest.tokenizer.fieldOrder.map((f) => (manifest.records as { header: string[] }).header[f]!) }
      : {}),
    /** Whether the model can write the fields a condition fixes first (field tokens). */
    anyOrder: manifest.tokenizer.fieldTokens !== undefined,
    /** Copy tokens: which text field copies which field's value, by name. */
    ...(manifest.tokenizer.copyTokens
      ? { copies: manifest.tokenizer.copyTokens.map((c) => ({ field: tableFieldName(manifest, c.field), source: tableFieldName(manifest, c.source), normalized: c.normalized })) }
      : {}),
    /** Fields the model learned as blank (keys, whose values generation makes), by name. */
    ...(manifest.tokenizer.blankFields ? { blankFields: manifest.tokenizer.blankFields.map((f) => tableFieldName(manifest, f)) } : {}),
    generation: manifest.generation,
    training: manifest.training,
    schema: manifest.schema ?? null,
  };
}

function formatFacts(facts: ReturnType<typeof modelFacts>, manifest: SynthManifest): string {
  const a = manifest.architecture;
  const m = manifest.training.metrics;
  const lines = [
    `model: ${facts.dir} (${facts.format} version ${facts.version})`,
    `architecture: ${a.kind}, embedding ${a.embeddingDim}, LSTM ${a.lstmUnits.join('+')}, dropout ${a.dropout}`,
    `vocabulary: ${facts.vocabulary.size} tokens (${facts.vocabulary.characters} characters and special tokens, ${facts.vocabulary.valueTokens} value tokens)`,
    `records: ${manifest.records.kind === 'delimited' ? `delimited by ${JSON.stringify(manifest.records.delimiter)}, ${manifest.records.header.length} fields` : 'text, one per line'}; length limit ${manifest.generation.maxChars} tokens`,
    ...(facts.fieldOrder ? [`field order: the model writes ${facts.fieldOrder.join(', ')} (records come out in the table's order)`] : []),
    ...(manifest.records.kind === 'delimited'
      ? [`conditions: any field (--where), met exactly${facts.anyOrder ? '' : ' (a model from before field tokens: copy tokens and written-first conditions need a retrain)'}`]
      : []),
    ...(facts.copies ? [`copies: ${facts.copies.map((c) => `${c.field} copies ${c.source}${c.normalized ? ' (lower case, letters and digits)' : ''}`).join('; ')}`] : []),
    `training: ${Object.entries(m).map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) && Math.abs(v) < 100 ? v.toFixed(4) : v}`).join(', ')}`,
  ];
  const schema = manifest.schema;
  if (!schema) {
    lines.push('schema: none (a model from before schemas; generation is unconstrained unless --schema-file is given)');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`schema (closed set: at most ${schema.closedSetMaxValues} distinct values):`);
  const width = Math.max(5, ...schema.fields.map((f) => f.name.length));
  lines.push(`  ${'field'.padEnd(width)}  ${'kind'.padEnd(8)}  ${'blank'.padStart(6)}  repeats  values`);
  for (const f of schema.fields) {
    const tokens = manifest.tokenizer.valueTokens?.some((t) => t.field === schema.fields.indexOf(f)) ? ' (value tokens)' : '';
    lines.push(`  ${f.name.padEnd(width)}  ${f.kind.padEnd(8)}  ${`${(100 * f.blankShare).toFixed(1)}%`.padStart(6)}  ${(f.repeats ? 'yes' : 'no').padEnd(7)}  ${describeField(f)}${tokens}`);
  }
  for (const [i, f] of schema.fields.entries()) {
    if (!f.key) continue;
    const learned = manifest.tokenizer.blankFields?.includes(i) ? 'the model learned it as blank' : 'the model writes a value, which is replaced';
    lines.push(`key: ${f.name} — ${describeKey(f.key)}; unique in every run and never a training value (${learned})`);
  }
  for (const { fields, values } of schema.neverTogether ?? []) {
    const [a, b] = fields.map((i) => schema.fields[i]!.name);
    const shown = values.slice(0, 3).map(([x, y]) => `${a}=${x} with ${b}=${y}`);
    lines.push(`never together: ${values.length} pair${values.length === 1 ? '' : 's'} of ${a} and ${b} values (${shown.join('; ')}${values.length > 3 ? '; ...' : ''})`);
  }
  const calibrated = manifest.calibration?.fields.map((f) => tableFieldName(manifest, f.field)) ?? [];
  if (calibrated.length > 0) lines.push(`calibration: ${calibrated.join(', ')} (each field's own distribution, fitted after training)`);
  return `${lines.join('\n')}\n`;
}

function tableFieldName(manifest: SynthManifest, field: number): string {
  return manifest.records.kind === 'delimited' ? manifest.records.header[field]! : 'text';
}
