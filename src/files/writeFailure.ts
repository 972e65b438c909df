import { InternalError } from '../errors.js';

/** Words for the write errors a user can meet, keyed by errno code. */
const EXPLANATIONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large (a file size limit was reached)',
  EPIPE: 'the reading end of the pipe was closed',
  EIO: 'input/output error',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
  ERR_STREAM_DESTROYED: 'the stream was closed',
};

/** Wraps a stream write error as a one-line error naming the destination; the original is its cause. */
export function writeFailure(destination: string, error: unknown): InternalError {
  if (error instanceof InternalError && error.cause !== undefined) return error;
  const code = codeOf(error);
  const detail = (code !== undefined && EXPLANATIONS[code]) || (error instanceof Error ? error.message : String(error));
  return new InternalError(`cannot write to ${destination}: ${detail}${code ? ` (${code})` : ''}`, { cause: error });
}

/**
 * True when the reader of a pipe went away (`synth generate | head -1`): EPIPE, or a write to the
 * stream after it was destroyed for that reason. Looks through writeFailure's wrapping.
 */
export function isBrokenPipe(error: unknown): boolean {
  // synth's own errors carry a code of their own, so the cause's is looked at too.
  return [codeOf(error), codeOf((error as { cause?: unknown } | null)?.cause)].some((code) => code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED');
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
