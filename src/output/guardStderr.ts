const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * Keeps a stderr whose reader went away (`synth generate 2>&1 >out | head -1`) from crashing the
 * run with an unhandled 'error' event: progress and warnings are lost, records are not.
 * A closed fd 2 (`2>&-`) needs nothing: Node reopens it on /dev/null at startup.
 */
export function guardStderr(stream: NodeJS.WritableStream = process.stderr): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', () => {}); // nowhere left to report it
}
