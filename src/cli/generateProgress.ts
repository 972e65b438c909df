import cliProgress from 'cli-progress';

/** A progress bar on stderr over valid records; only created when stderr is a terminal. */
export function createGenerateProgress(total: number): { update: (valid: number, invalid: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'generating [{bar}] {value}/{total} valid, {invalid} invalid, {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 200,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { invalid: 0 });
  let stopped = false;
  return {
    update: (valid, invalid) => bar.update(valid, { invalid }),
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
