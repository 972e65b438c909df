import os from 'node:os';
import { BackendError, message, option } from '../errors.js';
import { generateCandidates, type Candidate } from '../engine/generator.js';
import { createKernel, type BackendChoice } from '../engine/kernels/createKernel.js';
import { generateCandidatesParallel, type ParallelOptions } from '../engine/parallel/generateCandidatesParallel.js';

/** What a run needs to produce candidates; the same for one kernel here or worker threads. */
export type CandidateSourceOptions = Omit<ParallelOptions, 'chunkSize' | 'threadsPerWorker' | 'crash'>;

export interface CandidateSource {
  /** Candidates in index order, unbounded; stop by leaving the loop and calling close(). */
  candidates: AsyncGenerator<Candidate>;
  backend: string;
  workers: number;
  close(): Promise<void>;
}

/** One kernel in this thread for a single worker; worker threads, each with a kernel, otherwise. */
export async function openCandidateSource(options: CandidateSourceOptions): Promise<CandidateSource> {
  try {
    return await openSource(options);
  } catch (error) {
    throw asBackendError(error, options.backend) ?? error;
  }
}

/**
 * Worker threads per core at most. Each holds its own kernel and weights (~18 MB at the bundled
 * model's size): 256 of them on two cores took 4.6 GB and minutes to start, for no speed.
 */
export const MAX_WORKERS_PER_CORE = 4;

async function openSource(requested: CandidateSourceOptions): Promise<CandidateSource> {
  const cores = os.availableParallelism();
  const most = MAX_WORKERS_PER_CORE * cores;
  const options = requested.workers > most ? { ...requested, workers: most } : requested;
  if (options !== requested) {
    options.warn(message`${option('workers')} ${requested.workers}: using ${most} worker threads (${MAX_WORKERS_PER_CORE} per core on this machine's ${cores}): more add memory, not speed`);
  }
  if (options.workers <= 1) {
    const kernel = await createKernel(options.weights, options.backend, { batchSize: options.batchSize, masked: options.plan.constraint !== undefined }, options.warn);
    const candidates = generateCandidates(kernel, options.endOfRecord, options.plan);
    return {
      candidates,
      backend: kernel.backend,
      workers: 1,
      close: async () => {
        await candidates.return(undefined);
        await kernel.dispose();
      },
    };
  }
  const parallel = await generateCandidatesParallel(options);
  return { ...parallel, workers: options.workers };
}

/**
 * A backend named by the caller that cannot start here (tensorflow without tfjs-node) is theirs
 * to change (exit 2); under auto, none starting is the environment's failure (exit 1). In a worker
 * thread the error arrives wrapped ("generation worker 0 failed: ...") and cloned, so it is
 * recognised by name, which structured cloning keeps.
 */
function asBackendError(error: unknown, choice: BackendChoice): BackendError | undefined {
  const backendError = [error, (error as { cause?: unknown } | null)?.cause].find(
    (e): e is Error => e instanceof Error && e.name === 'BackendUnavailableError',
  );
  if (!backendError) return undefined;
  if (choice === 'auto') return new BackendError(backendError.message, choice, { cause: error, chosen: false });
  const reason = backendError.message.replace(/^.*? could not start: /, '');
  return new BackendError(
    message`${option('backend')} ${choice} cannot start here: ${reason}; choose another ${option('backend')}, or auto to take the fastest that loads`,
    choice,
    { cause: error },
  );
}
