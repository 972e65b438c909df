import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

// The steps below are synchronous on purpose: they run once at the end of a run, and keeping them
// on the main thread gives one well-defined order of syscalls (the crash tests count renames).

/**
 * A temporary name beside `target` (same directory, so a rename is atomic). The writer's pid is in
 * the name so a later run can tell the leftovers of a dead writer from the files of a live one.
 */
export function temporarySibling(target: string): string {
  return `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Names in `dir` that are temporary siblings of `base` (of any file, without `base`) left by a
 * writer that is no longer running (a crash, SIGKILL).
 */
export function deadTemporarySiblings(dir: string, base?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const match = /^(.+)\.tmp-(\d+)-[0-9a-f]{8}$/.exec(name);
    if (!match || (base !== undefined && match[1] !== base)) return false;
    return !processIsAlive(Number(match[2]));
  });
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `data` to a new file and fsyncs it, so its bytes are on disk before any rename names it. */
export function writeFileDurably(file: string, data: Uint8Array | string, mode = 0o666): void {
  const fd = openSync(file, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let offset = 0; offset < bytes.byteLength; ) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `target` with `data` in one rename: a reader (or a crash) sees the old file or the new
 * one, never a mix. The directory entry is made durable by fsyncPath, which the caller runs
 * once after its last rename (`syncDir: true` here does it at once).
 */
export function replaceFileDurably(target: string, data: Uint8Array | string, options: { syncDir?: boolean } = {}): void {
  const temporary = temporarySibling(target);
  try {
    writeFileDurably(temporary, data);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  if (options.syncDir) fsyncPath(path.dirname(target));
}

/**
 * fsync by path, through a descriptor of its own: of a directory, it makes the renames, creations
 * and removals of its entries durable; of a file, the data written through another descriptor
 * (fsync applies to the file, not the descriptor).
 */
export function fsyncPath(target: string): void {
  const fd = openSync(target, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
