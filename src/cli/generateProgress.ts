import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr over valid records; only created when stderr is a terminal. Its total
 * comes with the first update: a run knows it only once its --seed-file is read against the model.
 */
export function createGenerateProgress(): { update: (valid: number, invalid: number, total: number) => void; stop: () => void } {
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
  let started = false;
  let stopped = false;
  return {
    update: (valid, invalid, total) => {
      if (stopped) return;
      if (!started) bar.start(total, 0, { invalid: 0 });
      started = true;
      bar.update(valid, { invalid });
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (started) bar.stop();
    },
  };
}
