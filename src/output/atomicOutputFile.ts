import { renameSync, rmSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { deadTemporarySiblings, fsyncPath, temporarySibling } from '../files/durableFiles.js';

/** An output file written beside its destination and put in place only when the run says so. */
export interface AtomicOutputFile {
  stream: NodeJS.WritableStream;
  /** Ends the stream, fsyncs the file and renames it over the destination. Rejects on a write failure (the temporary file is then removed). */
  commit(): Promise<void>;
  /** Ends the stream and removes the temporary file: the destination stays as it was. */
  discard(): Promise<void>;
}

/**
 * Opens a temporary sibling of `target` (of the file a link points to, so the link survives). Until
 * commit() the destination holds its previous content or nothing; a crash or SIGKILL therefore never
 * leaves a truncated file under the destination's name, only a `NAME.tmp-PID-XXXXXXXX` that the next
 * run writing NAME removes. Open errors are the errno errors of creating that file.
 */
export async function openAtomicOutputFile(target: string): Promise<AtomicOutputFile> {
  const existing = await stat(target).catch(() => null);
  const destination = existing?.isFile() ? await realpath(target) : path.resolve(target);
  const dir = path.dirname(destination);
  for (const name of deadTemporarySiblings(dir, path.basename(destination))) rmSync(path.join(dir, name), { force: true });

  const temporary = temporarySibling(destination);
  const handle = await open(temporary, 'wx');
  // A replaced file keeps its permissions (a 0600 file stays private).
  if (existing?.isFile()) await handle.chmod(existing.mode & 0o7777).catch(() => {});
  const removeOnExit = (): void => rmSync(temporary, { force: true });
  process.on('exit', removeOnExit);
  const stream = handle.createWriteStream({ encoding: 'utf8' });
  let done = false;

  return {
    stream,
    async commit() {
      if (done) return;
      done = true;
      try {
        if (!stream.destroyed) stream.end();
        await finished(stream);
        fsyncPath(temporary);
        renameSync(temporary, destination);
        fsyncPath(dir);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      } finally {
        process.off('exit', removeOnExit);
      }
    },
    async discard() {
      if (done) return;
      done = true;
      stream.destroy();
      await finished(stream).catch(() => {});
      rmSync(temporary, { force: true });
      process.off('exit', removeOnExit);
    },
  };
}


/** Writes a whole file (a report) through openAtomicOutputFile: the destination is the new file or the previous one. */
export async function writeOutputFileAtomically(target: string, text: string): Promise<void> {
  const file = await openAtomicOutputFile(target);
  file.stream.on('error', () => {}); // reported by commit()
  file.stream.write(text);
  await file.commit();
}
