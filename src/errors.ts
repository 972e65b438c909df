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

/**
 * An option named inside an error message. The API's callers read its key (`maxChars`); the CLI
 * renders its flag (`--max-chars`). One message, each caller's names.
 */
export interface OptionName {
  readonly option: string;
}

/** A message as text and option names, in order. */
export type Message = readonly (string | OptionName)[];

/**
 * An option's key, for `message`. A switch turned off is named with its value, `'validate: false'`,
 * which the API shows as it is and the CLI as `--no-validate`.
 */
export function option(key: string): OptionName {
  return { option: key };
}

/**
 * Tag for error messages that name options: message`${option('maxChars')} ${n} is too small`. A
 * value that is itself a Message is spliced in, its options kept.
 */
export function message(strings: TemplateStringsArray, ...values: unknown[]): Message {
  const parts: (string | OptionName)[] = [];
  const push = (part: string | OptionName) => {
    const last = parts.at(-1);
    if (typeof part === 'string' && typeof last === 'string') parts[parts.length - 1] = last + part;
    else if (part !== '') parts.push(part);
  };
  strings.forEach((text, i) => {
    push(text);
    if (i >= values.length) return;
    const value = values[i];
    if (messages.has(value as Message)) (value as Message).forEach(push);
    else push(isOptionName(value) ? value : String(value));
  });
  messages.add(parts);
  return parts;
}

/** A message with each option rendered by `name`. */
export function formatMessage(parts: Message, name: (option: string) => string): string {
  return parts.map((part) => (typeof part === 'string' ? part : name(part.option))).join('');
}

/** How the API names an option in a message: by its key (`maxChars`). */
export function apiOptionName(option: string): string {
  return option;
}

/**
 * Receives a non-fatal note. A warning is a Message, like an error's, so each caller reads its own
 * option names: the API renders it with the keys, the CLI with its flags.
 */
export type Warn = (warning: Message) => void;

/**
 * A public warning hook, `(line, warning) => ...`: the line in the API's option names, and the
 * warning's parts for a caller that names options otherwise (the CLI renders them as flags).
 */
export type WarningHook = (line: string, warning: Message) => void;

/** A Warn that hands each warning to `hook` (nothing when there is none). */
export function warnTo(hook: WarningHook | undefined): Warn {
  return hook ? (warning) => hook(formatMessage(warning, apiOptionName), warning) : () => {};
}

/**
 * The first line of another library's error (onnxruntime's, TensorFlow.js'), at most 200
 * characters, for quoting inside one of synth's one-line messages.
 */
export function firstLineOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 200);
}

/** Messages made by `message`, told apart from other arrays interpolated into one. */
const messages = new WeakSet<Message>();

function isOptionName(value: unknown): value is OptionName {
  return typeof value === 'object' && value !== null && typeof (value as OptionName).option === 'string' && Object.keys(value).length === 1;
}

/** Marks synth's errors so `is()` recognises them from another realm or another copy of this module. */
const SYNTH_ERROR = Symbol.for('synth.error');

/**
 * Base of every error synth throws: a one-line message for the person reading it, an exit status
 * for the CLI, a `code` string, and the `cause` it wraps. `message` names options as the API does;
 * `format(name)` renders them another way (the CLI passes its flag names).
 */
export class SynthError extends Error {
  static readonly code: string = 'ERR_SYNTH';
  readonly code: string;
  /** The message's parts, options kept apart from the text. */
  readonly parts: Message;

  constructor(
    text: string | Message,
    readonly exitStatus: number,
    options?: { cause?: unknown },
  ) {
    const parts = typeof text === 'string' ? [text] : text;
    super(formatMessage(parts, apiOptionName), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = (new.target as typeof SynthError).code;
    this.parts = parts;
  }

  /** The option keys the message names, in order (e.g. ['maxChars']). */
  get options(): string[] {
    return this.parts.flatMap((part) => (typeof part === 'string' ? [] : [part.option]));
  }

  /** The message with each option rendered by `name` (the CLI: `--max-chars`). */
  format(name: (option: string) => string): string {
    return formatMessage(this.parts, name);
  }

  /**
   * Whether `value` is an error of this class, also across realms and copies of synth, where
   * `instanceof` fails: `UsageError.is(error)`, or `SynthError.is(error)` for any of them.
   */
  static is<E extends SynthError>(this: (abstract new (...args: never[]) => E) & { readonly code: string }, value: unknown): value is E {
    if (value instanceof this) return true;
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[SYNTH_ERROR] !== true) return false;
    const code = (value as { code?: unknown }).code;
    return this.code === SynthError.code || code === this.code;
  }
}
Object.defineProperty(SynthError.prototype, SYNTH_ERROR, { value: true });

/** A bad option, value or input (exit 2). The message names the option and what is accepted. */
export class UsageError extends SynthError {
  static override readonly code: string = 'ERR_SYNTH_USAGE';
  constructor(text: string | Message, options?: { cause?: unknown }) {
    super(text, ExitStatus.usage, options);
  }
}

/**
 * A compute backend (onnxruntime-node, TensorFlow.js) that could not start; `cause` is its own
 * error. Named by the caller, it is theirs to change (exit 2); under `auto` none started (exit 1).
 */
export class BackendError extends SynthError {
  static override readonly code: string = 'ERR_SYNTH_BACKEND';
  constructor(
    text: string | Message,
    readonly backend: string,
    options?: { cause?: unknown; chosen?: boolean },
  ) {
    super(text, options?.chosen === false ? ExitStatus.internal : ExitStatus.usage, options);
  }
}

/** A model directory that cannot be used (exit 3). The message names the file and field. */
export class ModelError extends SynthError {
  static override readonly code: string = 'ERR_SYNTH_MODEL';
  constructor(text: string | Message, options?: { cause?: unknown }) {
    super(text, ExitStatus.model, options);
  }
}

/** More invalid records than `maxInvalid` allowed (exit 4); `valid` records came before it. */
export class BudgetError extends SynthError {
  static override readonly code: string = 'ERR_SYNTH_BUDGET';
  constructor(
    text: string | Message,
    readonly valid: number,
    readonly invalid: number,
  ) {
    super(text, ExitStatus.budget);
  }
}

/**
 * The CLI's run was stopped by a signal after flushing what it had (exit 130 / 143). The CLI
 * aborts its runs with one of these as the reason; an API caller's runs reject with its own reason.
 */
export class InterruptedError extends SynthError {
  static override readonly code: string = 'ERR_SYNTH_INTERRUPTED';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}`, signal === 'SIGINT' ? ExitStatus.interrupted : ExitStatus.terminated);
  }
}

/** The reader of stdout went away (`synth generate | head -1`): not a failure, and nothing to say. */
export class OutputClosedError extends SynthError {
  static override readonly code: string = 'ERR_SYNTH_OUTPUT_CLOSED';
  constructor() {
    super('stdout was closed by its reader', ExitStatus.ok);
  }
}

/** A bug or an environment failure we did not anticipate (exit 1); `cause` is the original error. */
export class InternalError extends SynthError {
  static override readonly code: string = 'ERR_SYNTH_INTERNAL';
  constructor(text: string | Message, options?: { cause?: unknown }) {
    super(text, ExitStatus.internal, options);
  }
}
