import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Command } from 'commander';
import { ONNX_HINT } from '../engine/kernels/createKernel.js';
import { probeBackends } from '../engine/kernels/probeBackends.js';
import { loadModelDirectory } from '../model/loadModelDirectory.js';
import { defaultModelDir } from './defaultModel.js';

/** `synth doctor`: which compute backends load here, and why not; the notes `auto` keeps quiet. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description('list the compute backends that load on this machine (and why the others do not)')
    .option('--model <dir>', 'model directory to start each backend on', defaultModelDir())
    .action(async (flags: { model: string }) => {
      const { weights } = await loadModelDirectory(flags.model);
      const probes = await probeBackends(weights);
      const lines = [`node ${process.version} on ${os.platform()}/${os.arch()}, ${os.availableParallelism()} cores`, `cpu: ${cpuDescription()}`];
      for (const p of probes) lines.push(`${p.backend.padEnd(11)} ${p.ok ? `ok (${p.startMs} ms to start and step)` : `unavailable: ${p.reason}`}`);
      const onnx = probes.find((p) => p.backend === 'onnx');
      if (onnx && !onnx.ok) lines.push(ONNX_HINT);
      const auto = probes.find((p) => p.ok && ['onnx', 'tensorflow', 'wasm'].includes(p.backend));
      lines.push(`--backend auto uses: ${auto?.backend ?? 'none (no backend loads)'}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** CPU model and the vector extensions that decide int8 speed (from /proc/cpuinfo on Linux). */
function cpuDescription(): string {
  const model = os.cpus()[0]?.model ?? 'unknown';
  try {
    const flags = new Set(/^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(' ') ?? []);
    const shown = ['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni'].filter((f) => flags.has(f));
    return `${model} (${shown.length > 0 ? shown.join(', ') : 'no AVX2'})`;
  } catch {
    return model;
  }
}
