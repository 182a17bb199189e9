// A strict flag parser shared by every subcommand: node:util parseArgs with
// `strict: true`, wrapped so that a mistake becomes a coded usage error
// (CLI001, exit 2) naming the flag and the accepted ones, never a stack trace.
import { parseArgs } from 'node:util';
import { codeInfo, type Code } from '../codes.js';

/** One flag of a subcommand. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help: `--max-errors N`. */
  valueName?: string;
  /** May be given more than once (a string flag's value is then a string[]). */
  multiple?: boolean;
  description: string;
}

/** The flags of one subcommand, by long name (without `--`). */
export type FlagSpecs = Record<string, FlagSpec>;

/** Parsed flags (string flags as strings: convert with {@link intFlag}; `multiple` ones as string[]). */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** A problem with the command line or a file argument: printed with its code, exit 2. */
/**
 * Brands CliErrors, so that one thrown by another copy of this module is
 * recognised too: main.ts loads each subcommand with a dynamic import, and
 * under tsx a module can be loaded both as CommonJS and as ESM (mocha's tests
 * do), which makes two CliError classes.
 */
const CLI_ERROR = Symbol.for('supernode-check.CliError');

export class CliError extends Error {
  readonly [CLI_ERROR] = true;
  readonly hint: string;
  constructor(readonly code: Code, message: string, hint?: string, readonly exitCode = 2) {
    super(message);
    this.hint = hint ?? codeInfo(code).hint;
  }
}

/** Whether `e` is a CliError (of this or another copy of this module). */
export function isCliError(e: unknown): e is CliError {
  return e instanceof CliError || (typeof e === 'object' && e !== null && (e as { [CLI_ERROR]?: unknown })[CLI_ERROR] === true);
}

/** Shorthand for a CLI001 usage error. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError('CLI001', message, hint);
}

/**
 * Parses `argv` against `specs`; `--help`/`-h` is always accepted.
 * Throws a {@link CliError} (CLI001) on an unknown flag or a missing value.
 *
 * @example parseFlags(['a.ndjson', '--quiet'], { quiet: { type: 'boolean', description: '' } }, 'validate')
 */
export function parseFlags(argv: string[], specs: FlagSpecs, command: string): { values: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, s] of Object.entries(specs)) options[name] = { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.multiple ? { multiple: true } : {}) };
  // parseArgs takes `--hidden -3` for a flag without a value followed by a flag -3: join a
  // negative number to the valued flag before it, so its own check reports the bad value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([\w-]+)$/.exec(argv[i])?.[1];
    if (name && options[name]?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) { args.push(`${argv[i]}=${argv[i + 1]}`); i++; } else args.push(argv[i]);
  }
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: values as FlagValues, positionals };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const flag = /'(?:-\w, )?(--?[^' ,]+)/.exec(e.message)?.[1] ?? '';
    const accepted = Object.keys(options).map((n) => `--${n}`);
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const near = closest(flag.replace(/^-+/, ''), Object.keys(options));
      const guess = near ? `did you mean --${near}? ` : '';
      throw usageError(`unknown flag ${flag} for \`snc ${command}\``, `${guess}accepted: ${accepted.join(', ')}; a file name starting with - goes after --`);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const spec = specs[flag.replace(/^-+/, '')];
      const what = spec?.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value`;
      throw usageError(`${what} (\`snc ${command}\`)`, spec ? `usage: ${flagUsage(flag.replace(/^-+/, ''), spec)}` : undefined);
    }
    throw usageError(`${e.message} (\`snc ${command}\`)`);
  }
}

/** An integer flag value in [min, max], or `fallback` when the flag is absent. */
export function intFlag(values: FlagValues, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw usageError(`--${name} must be an integer ${range}, got ${JSON.stringify(raw)}`, `e.g. --${name} ${Math.max(min, fallback)}`);
  }
  return n;
}

/** A flag whose value must be one of `choices` (the first is the default). */
export function choiceFlag<T extends string>(values: FlagValues, name: string, choices: readonly T[]): T {
  const raw = values[name];
  if (raw === undefined) return choices[0];
  if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
  throw usageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`, `e.g. --${name} ${choices[choices.length - 1]}`);
}

/** `--max-errors N` / `-q, --quiet`, for help texts. */
export function flagUsage(name: string, spec: FlagSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '';
  return `${short}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
}

/** The help lines of a flag table, aligned. */
export function flagHelp(specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([n, s]) => [flagUsage(n, s), s.description] as const);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([u]) => u.length));
  return rows.map(([u, d]) => `  ${u.padEnd(width)}  ${d}`).join('\n');
}

/** The candidate within edit distance 2 of `word`, if any (for "did you mean"). */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
