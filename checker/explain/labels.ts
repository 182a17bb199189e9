// Short texts for the sequence diagram and the prose of `snc explain`: a
// message as its kind and key fields, an event time in the trace's clock,
// and a sanitiser that keeps trace-supplied text from being read as Mermaid
// syntax (or as HTML by GitHub's sanitiser).
import type { Header, Message } from '../../schemas/generated/trace.js';

const MAX_LABEL = 72;

/** Text safe in a Mermaid sequence-diagram message, note or participant alias, cut at `max` characters. */
export function seqText(text: string, max = MAX_LABEL): string {
  const s = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'))
    .replace(/;/g, ',')
    .replace(/#/g, 'no.')
    .replace(/%/g, ' pct')
    .replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Long text for a note: sanitised, then broken into lines of about `width` characters with `<br/>`. */
export function wrapped(text: string, width = 48, max = 400): string {
  const words = seqText(text, max).split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('<br/>');
}

function fieldText(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(fieldText).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // A credential reads best as whose it is and until when.
    if (typeof o.user === 'string' && 'expiresAt' in o) return `cred(${o.user}, until ${String(o.expiresAt)})`;
    return Object.values(o).map(fieldText).join(' ');
  }
  return String(v);
}

/** `ConnectReject busy`, `LookupResult bob sn1`, `LoginOk cred(alice, until 86400000)`. */
export function messageLabel(msg: Message): string {
  const fields = Object.entries(msg).filter(([k]) => k !== 'kind' && k !== 'password').map(([, v]) => fieldText(v));
  return [msg.kind, ...fields].join(' ');
}

/** `step 15` or `t=30000 ms`, as the header's clock says. */
export function timeText(header: Header, t: number): string {
  return header.clock === 'step' ? `step ${t}` : `t=${t} ms`;
}
