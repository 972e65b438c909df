/** Options whose flag is not their key in kebab case. */
const FLAGS: Record<string, string> = {
  seeds: '--seed',
  validatorTimeoutMs: '--validator-timeout',
  output: '-o/--output',
  closedSetMaxValues: '--closed-set-max',
};

/** The flag of an API option key, as error messages show it to a CLI user: maxChars → --max-chars. */
export function flagName(option: string): string {
  return FLAGS[option] ?? `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
