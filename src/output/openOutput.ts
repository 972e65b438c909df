import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { UsageError } from '../errors.js';
import { writeFailure } from './writeFailure.js';

export { isBrokenPipe } from './writeFailure.js';

export interface OpenedOutput {
  stream: NodeJS.WritableStream;
  /** "stdout" or the path as given, for messages. */
  name: string;
  isStdout: boolean;
  /** Files: end the stream and wait until the file is closed. stdout is left open. Rejects on a write failure. */
  close(): Promise<void>;
}

/**
 * stdout for undefined or "-", else the file, created or truncated now so that a missing or
 * read-only directory is a usage error before any work starts. `flag` names the option in messages.
 */
export async function openOutput(target: string | undefined, flag = '-o/--output'): Promise<OpenedOutput> {
  if (target === undefined || target === '-') {
    return { stream: process.stdout, name: 'stdout', isStdout: true, close: async () => {} };
  }
  if (target === '') throw new UsageError(`${flag} needs a file path (or - for stdout)`);

  let handle: FileHandle;
  try {
    handle = await open(target, 'w');
  } catch (error) {
    throw new UsageError(`${flag} ${target}: ${whyNotWritable(error as NodeJS.ErrnoException, target)}`);
  }
  const stream = handle.createWriteStream({ encoding: 'utf8' });
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
      if (!stream.destroyed) stream.end();
      try {
        await finished(stream);
      } catch (error) {
        failure ??= writeFailure(target, error);
      }
      if (failure !== undefined) throw failure;
    },
  };
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
