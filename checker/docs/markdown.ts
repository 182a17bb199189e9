// Small Markdown writers shared by the docs generator and `snc explain`:
// the "generated" banner, tables with escaped cells, code spans, and the
// human form of durations. Pure string functions.

/** The first line of every generated page. */
export const BANNER = '<!-- generated — do not edit — regenerate with npm run docs -->';

/** A page: the banner, then `lines`, ending in one newline. */
export function page(lines: readonly string[]): string {
  return [BANNER, '', ...lines].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** Escapes text for a table cell: pipes, newlines, and HTML-significant `<`. */
export function cell(text: string | number | boolean | null | undefined): string {
  if (text === undefined || text === null || text === '') return '';
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

/** A code span that survives any backticks inside `text`. */
export function code(text: string): string {
  if (text === '') return '';
  const fence = text.includes('`') ? '`` ' : '`';
  const close = text.includes('`') ? ' ``' : '`';
  return `${fence}${text}${close}`;
}

/** A GitHub-flavoured Markdown table. Cells are taken as already formatted Markdown. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  // A pipe inside a cell (even inside a code span) ends the cell in GFM unless escaped.
  const esc = (c: string) => c.replace(/(?<!\\)\|/g, '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map((c) => esc(c) || ' ').join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)];
}

/** A comma-separated list of code spans, or `—` when empty. */
export function codes(items: readonly string[]): string {
  return items.length ? items.map(code).join(', ') : '—';
}

/** The GitHub anchor of a heading (lower case, spaces to `-`, punctuation dropped). */
export function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}

/** `5000` ms → `5 s`, `600000` → `10 min`, `86400000` → `24 h`. */
export function duration(ms: number): string {
  if (ms === 0) return '0';
  const units: [number, string][] = [[3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}

/** A parameter or field value as Markdown: durations humanised when the unit is ms. */
export function value(v: unknown, unit?: string): string {
  if (unit === 'ms' && typeof v === 'number') return `${duration(v)}${v >= 1000 ? ` (${v} ms)` : ''}`;
  if (Array.isArray(v)) return v.length ? v.map((x) => code(String(x))).join(', ') : '*none*';
  return code(JSON.stringify(v));
}
