// `synth` on the doc check's PATH: logs the call, applies the check's substitutions and runs the
// real CLI in this process (bin/synth.js reads process.argv), so the command runs as written.
import { appendFileSync } from 'node:fs';
import { cliPath } from '../runCli.js';
import { substituteSynthArgs } from '../docSubstitutions.js';

const args = process.argv.slice(2);
const ran = substituteSynthArgs(args);
if (process.env.SYNTH_DOC_LOG) appendFileSync(process.env.SYNTH_DOC_LOG, JSON.stringify({ args, ran }) + '\n');
process.argv = [process.argv[0]!, cliPath, ...ran];
await import(cliPath);
