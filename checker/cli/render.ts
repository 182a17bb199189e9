// Text renderings of reports for the terminal: one line per problem, a
// verdict line per file, a closing summary. Pure functions from report data
// to strings; the commands decide where they go.
import type { FileReport, Problem, Report } from '../../schemas/generated/report.js';
import { printable } from './io.js';
import type { CliError } from './args.js';

/**
 * One problem on one line: `file:line: CODE message (value) — hint: …`.
 * The value is shown when the message does not already quote it.
 */
export function problemLine(p: Problem): string {
  const place = p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : '';
  const value = typeof p.value === 'string' ? p.value : p.value === undefined ? '' : JSON.stringify(p.value);
  const shown = value && !p.message.includes(value) ? ` (got ${value})` : '';
  const hint = p.hint ? ` — hint: ${p.hint}` : '';
  return printable(`${place}${p.code} ${p.message}${shown}${hint}`);
}

/** `1 line`, `2 lines`: the count (as `show` writes it, e.g. with thousands separators) and the word, plural unless the count is 1. */
export const plural = (count: number, word: string, show: (n: number) => string = String): string => `${show(count)} ${word}${count === 1 ? '' : 's'}`;

/** The verdict line of one file, with its counts. */
export function verdictLine(f: FileReport): string {
  const counts = `${plural(f.lines ?? 0, 'line')}, ${plural(f.events ?? 0, 'event')}, ${plural(f.actors ?? 0, 'actor')}`;
  if (f.verdict !== 'invalid') return printable(`${f.file}: ${f.verdict} (${counts})`);
  const first = f.problems[0]?.line;
  const stop = f.truncated ? `; stopped after ${plural(f.problems.length, 'problem')} (raise --max-errors to see more)` : '';
  const where = first ? `, first on line ${first}` : '';
  return printable(`${f.file}: invalid: ${plural(f.problems.length, 'problem')}${where} (${counts} read)${stop}`);
}

/** The closing line of a multi-file run. */
export function summaryLine(r: Report): string {
  const files = r.files ?? [];
  const bad = files.filter((f) => f.verdict === 'invalid').length;
  return `${plural(files.length, 'file')}: ${files.length - bad} valid, ${bad} invalid`;
}

/** A CLI error: `snc validate: CLI002 file not found: "x" — hint: …`. */
export function cliErrorLine(command: string, e: CliError): string {
  return printable(`snc${command ? ` ${command}` : ''}: ${e.code} ${e.message} — hint: ${e.hint}`);
}
