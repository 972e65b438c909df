import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

/** Runs a script that writes to stderr until told to stop; the parent closes stderr's read end early. */
async function runWithClosedStderr(guard: boolean): Promise<{ status: number | null; stdout: string }> {
  const guardModule = new URL('../src/output/guardStderr.js', import.meta.url).href;
  const script = `
    import { guardStderr } from ${JSON.stringify(guardModule)};
    if (${guard}) guardStderr();
    for (let i = 0; i < 200; i++) {
      process.stderr.write('progress ' + i + '\\n');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    process.stdout.write('records done\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.once('data', () => child.stderr.destroy());
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout };
}

test('with stderr guarded, a closed stderr does not stop the run', { timeout: 20000 }, async () => {
  assert.deepEqual(await runWithClosedStderr(true), { status: 0, stdout: 'records done\n' });
});

test('without the guard a closed stderr crashes the run (why the guard exists)', { timeout: 20000 }, async () => {
  const { status, stdout } = await runWithClosedStderr(false);
  assert.notEqual(status, 0);
  assert.equal(stdout, '');
});
