import { formatMessage, type Message } from '../errors.js';

/** Options whose flag is not their key in kebab case. */
const FLAGS: Record<string, string> = {
  seeds: '--seed',
  validatorTimeoutMs: '--validator-timeout',
  output: '-o/--output',
  closedSetMaxValues: '--closed-set-max',
};

/**
 * The flag of an API option key, as messages show it to a CLI user: maxChars → --max-chars; a
 * switch turned off, 'validate: false', → --no-validate.
 */
export function flagName(option: string): string {
  const off = /^(\w+): false$/.exec(option);
  if (off) return `--no-${kebab(off[1]!)}`;
  return FLAGS[option] ?? `--${kebab(option)}`;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A message (an error's parts, a warning) as the CLI prints it: options named by their flags. */
export function cliText(parts: Message): string {
  return formatMessage(parts, flagName);
}
