import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { message, option, UsageError, type OptionName } from '../errors.js';
import { openAtomicOutputFile, type AtomicOutputFile } from './atomicOutputFile.js';
import { writeFailure } from '../files/writeFailure.js';

export { isBrokenPipe } from '../files/writeFailure.js';

export interface OpenedOutput {
  stream: NodeJS.WritableStream;
  /** "stdout" or the path as given, for messages. */
  name: string;
  isStdout: boolean;
  /**
   * The run's records are written (it finished, ran out of its invalid budget, or was interrupted
   * and flushed): files are ended, fsynced and put in place. stdout is left open. Rejects on a write
   * failure, and the destination then keeps its previous content.
   */
  close(): Promise<void>;
  /** The run failed: a file's destination keeps its previous content (or stays absent). */
  discard(): Promise<void>;
}

/**
 * stdout for undefined or "-", else the file, written to a temporary sibling opened now (so that a
 * missing or read-only directory is a usage error before any work starts) and renamed over the
 * file by close(). A device or FIFO is written directly: it cannot be replaced. `flag` is the
 * option messages name.
 */
export async function openOutput(target: string | undefined, flag: OptionName = option('output')): Promise<OpenedOutput> {
  if (target === undefined || target === '-') {
    return { stream: process.stdout, name: 'stdout', isStdout: true, close: async () => {}, discard: async () => {} };
  }
  if (target === '') throw new UsageError(message`${flag} needs a file path (or - for stdout)`);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(message`${flag} ${target}: is a directory; give a file path`);
  const notWritable = (error: unknown): UsageError => new UsageError(message`${flag} ${target}: ${whyNotWritable(error as NodeJS.ErrnoException, target)}`);
  if (existing && !existing.isFile()) return openInPlace(target, await open(target, 'w').catch((error) => Promise.reject(notWritable(error))));

  let file: AtomicOutputFile;
  try {
    file = await openAtomicOutputFile(target);
  } catch (error) {
    // A writable file in a directory this user cannot add files to (a pre-created log file) is
    // still written, in place, as before temporary files: the run is not refused for it.
    const inPlace = existing?.isFile() && ['EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '') ? await open(target, 'w').catch(() => null) : null;
    if (inPlace) return openInPlace(target, inPlace);
    throw notWritable(error);
  }
  const { stream } = file;
  // Recorded here so that a failure with no write pending (or before a writer exists) is not an
  // unhandled 'error' event; close() reports it.
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= writeFailure(target, error);
  });
  return {
    stream,
    name: target,
    isStdout: false,
    async close() {
      if (failure !== undefined) {
        await file.discard();
        throw failure;
      }
      try {
        await file.commit();
      } catch (error) {
        throw failure ?? writeFailure(target, error);
      }
    },
    discard: () => file.discard(),
  };
}

/**
 * Written as it is: a device or FIFO (/dev/null, /dev/full, a named pipe), which cannot be replaced,
 * or a writable file in a directory where no temporary file can be made.
 */
function openInPlace(target: string, handle: FileHandle): OpenedOutput {
  const stream = handle.createWriteStream({ encoding: 'utf8' });
  // Recorded here so that a failure with no write pending (or before a writer exists) is not an
  // unhandled 'error' event; close() reports it.
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= writeFailure(target, error);
  });
  const close = async (): Promise<void> => {
    if (!stream.destroyed) stream.end();
    try {
      await finished(stream);
    } catch (error) {
      failure ??= writeFailure(target, error);
    }
    if (failure !== undefined) throw failure;
  };
  return { stream, name: target, isStdout: false, close, discard: () => close().catch(() => {}) };
}

function whyNotWritable(error: NodeJS.ErrnoException, target: string): string {
  const directory = path.dirname(path.resolve(target));
  switch (error.code) {
    case 'ENOENT':
      return `directory ${directory} does not exist; create it first`;
    case 'ENOTDIR':
      return `a parent of ${path.resolve(target)} is not a directory`;
    case 'EISDIR':
      return 'is a directory; give a file path';
    case 'EACCES':
    case 'EPERM':
      return `permission denied; check that directory ${directory} (and the file, if it exists) is writable`;
    case 'EROFS':
      return `directory ${directory} is on a read-only file system`;
    default:
      return `cannot open it for writing: ${error.message}`;
  }
}
