/** Exit statuses, as documented in the README and ARCHITECTURE.md. */
export const ExitStatus = {
  ok: 0,
  internal: 1,
  usage: 2,
  model: 3,
  budget: 4,
  interrupted: 130,
  terminated: 143,
} as const;

/** Base of every error meant for the person at the terminal: a one-line message and an exit status. */
export class SynthError extends Error {
  constructor(message: string, readonly exitStatus: number) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad flag, value or input file (exit 2). The message names the flag and what is accepted. */
export class UsageError extends SynthError {
  constructor(message: string) {
    super(message, ExitStatus.usage);
  }
}

/** A model directory that cannot be used (exit 3). The message names the file and field. */
export class ModelError extends SynthError {
  constructor(message: string) {
    super(message, ExitStatus.model);
  }
}

/** More invalid records than --max-invalid allowed (exit 4). */
export class BudgetError extends SynthError {
  constructor(message: string, readonly valid: number, readonly invalid: number) {
    super(message, ExitStatus.budget);
  }
}

/** The run was stopped by a signal after flushing what it had (exit 130 / 143). */
export class InterruptedError extends SynthError {
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}`, signal === 'SIGINT' ? ExitStatus.interrupted : ExitStatus.terminated);
  }
}

/** The reader of stdout went away (`synth generate | head -1`): not a failure, and nothing to say. */
export class OutputClosedError extends SynthError {
  constructor() {
    super('stdout was closed by its reader', ExitStatus.ok);
  }
}

/** A bug or an environment failure we did not anticipate (exit 1). */
export class InternalError extends SynthError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitStatus.internal);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
