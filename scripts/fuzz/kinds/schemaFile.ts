import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FuzzCase, FuzzKind } from '../fuzzCase.js';
import { damageJsonText, mutateJson, stringifyMutated } from '../jsonMutation.js';
import { placeSpecialFile } from '../specialFiles.js';

/** --schema-file: the inspect output's schema with fields changed, removed or added, damaged JSON, and paths that are no file. */
export const schemaFileKind: FuzzKind = {
  name: 'schema-file',
  summary: '--schema-file: edited field kinds, ranges, formats and values; damaged JSON; special files',
  async makeCase(random, caseDir, base) {
    const file = path.join(caseDir, 'schema.json');
    const inspected = JSON.parse(base.inspectJson);
    const wholeOutput = random.chance(0.3);
    const doc = wholeOutput ? inspected : { schema: inspected.schema };
    let what: string;
    const choice = random.weighted([[8, 'fields'], [2, 'text'], [1, 'special']] as const);
    if (choice === 'fields') {
      what = mutateJson(random, doc.schema.fields, random.int(1, 4)).map((m) => `fields${m}`).join('; ');
      await writeFile(file, stringifyMutated(wholeOutput || random.chance(0.5) ? doc : doc.schema, 2));
    } else if (choice === 'text') {
      const damaged = damageJsonText(random, JSON.stringify(doc, null, 2));
      what = damaged.what;
      await writeFile(file, damaged.text);
    } else {
      what = await placeSpecialFile(random, file);
    }
    const schemaMode = random.pick(['strict', 'strict', 'lenient', 'off']);
    return {
      description: `${what} (--schema ${schemaMode})`,
      args: ['generate', '--model', base.delimitedModel, '--schema-file', file, '--schema', schemaMode, '--lines', '3', '--random-seed', '1', '--max-invalid', '30', '--workers', '1', '-q'],
      names: ['--schema-file', file, '--max-invalid'],
    } satisfies FuzzCase;
  },
};
