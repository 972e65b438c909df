import { generateCandidates, type Candidate, type GenerationPlan } from '../engine/generator.js';
import { createKernel, type BackendChoice } from '../engine/kernels/createKernel.js';
import { generateCandidatesParallel } from '../engine/parallel/generateCandidatesParallel.js';
import type { ModelWeights } from '../model/manifest.js';

export interface CandidateSourceOptions {
  weights: ModelWeights;
  backend: BackendChoice;
  batchSize: number;
  workers: number;
  endOfRecord: number;
  plan: GenerationPlan;
  warn: (line: string) => void;
}

export interface CandidateSource {
  /** Candidates in index order, unbounded; stop by leaving the loop and calling close(). */
  candidates: AsyncGenerator<Candidate>;
  backend: string;
  workers: number;
  close(): Promise<void>;
}

/** One kernel in this thread for a single worker; worker threads, each with a kernel, otherwise. */
export async function openCandidateSource(options: CandidateSourceOptions): Promise<CandidateSource> {
  if (options.workers <= 1) {
    const kernel = await createKernel(options.weights, options.backend, { batchSize: options.batchSize }, options.warn);
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
