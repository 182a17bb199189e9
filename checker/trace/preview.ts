// Safe, bounded renderings of untrusted input for problem reports: the JSON
// text of an offending value cut to ~80 characters, and a nesting-depth scan.
// Both are written to survive hostile input: the serializer stops as soon as
// its budget is spent (so it never recurses deeper than the budget, unlike
// JSON.stringify, which overflows the stack on a 100k-deep array), and reads
// only own properties (a `__proto__` key is just a key).

/** Default length of a preview, in characters. */
export const PREVIEW_LENGTH = 80;
const ELLIPSIS = '…';

/**
 * The JSON text of `value`, cut to at most `max` characters (plus `…`).
 *
 * @example preview({ mid: 'm9' }) === '{"mid":"m9"}'
 */
export function preview(value: unknown, max = PREVIEW_LENGTH): string {
  const out = { text: '', full: false };
  write(value, out, max);
  return out.full ? out.text.slice(0, max) + ELLIPSIS : out.text;
}

/** The start of a raw line (not valid JSON), cut to `max` characters (plus `…`). */
export function previewText(text: string, max = PREVIEW_LENGTH): string {
  const cut = text.length > max ? text.slice(0, max) + ELLIPSIS : text;
  // A fresh copy: a slice would keep the whole 1 MiB read chunk alive.
  return Buffer.from(cut, 'utf8').toString('utf8');
}

interface Out { text: string; full: boolean }

function put(out: Out, s: string, max: number): boolean {
  out.text += s;
  if (out.text.length > max) out.full = true;
  return !out.full;
}

function write(value: unknown, out: Out, max: number): boolean {
  if (value === null || typeof value !== 'object') {
    // JSON.parse output holds only strings, finite numbers, booleans and null.
    const s = typeof value === 'string' ? JSON.stringify(value.length > max ? value.slice(0, max + 1) : value)
      : value === undefined ? 'undefined' : String(value);
    return put(out, s, max);
  }
  if (Array.isArray(value)) {
    if (!put(out, '[', max)) return false;
    for (let i = 0; i < value.length; i++) {
      if (i > 0 && !put(out, ',', max)) return false;
      if (!write(value[i], out, max)) return false;
    }
    return put(out, ']', max);
  }
  if (!put(out, '{', max)) return false;
  let first = true;
  for (const key of Object.keys(value)) {
    if (!first && !put(out, ',', max)) return false;
    first = false;
    if (!put(out, JSON.stringify(key.length > max ? key.slice(0, max + 1) : key) + ':', max)) return false;
    if (!write((value as Record<string, unknown>)[key], out, max)) return false;
  }
  return put(out, '}', max);
}

/**
 * The 0-based offset at which `text` opens its `limit + 1`-th nested array or
 * object, or -1 if it never nests that deep. Strings are skipped, so brackets
 * inside them do not count. Linear, no allocation.
 */
export function nestingBeyond(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return -1;
}
