import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** The temporary siblings (`FILE.tmp-PID-XXXXXXXX`) a run writing FILE has open or left behind. */
export async function temporarySiblingsOf(file: string): Promise<string[]> {
  const base = path.basename(file);
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith(`${base}.tmp-`)).map((name) => path.join(path.dirname(file), name));
}

/** The file a running `synth generate -o FILE` is writing: its temporary sibling until the run ends, then FILE. */
export async function fileBeingWritten(file: string): Promise<string> {
  return (await temporarySiblingsOf(file))[0] ?? file;
}
