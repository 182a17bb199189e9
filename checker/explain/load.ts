// Reads a trace for `snc explain` and `snc export`: validates every line with
// the streaming validator (an invalid trace yields its FileReport, never a
// picture), and keeps the events to draw. Memory: the events kept (a window of
// ±`radius` events around `--around`, or at most `maxEvents`) plus the sends
// still in flight, as the validator itself keeps; the rest of the file is
// only streamed through the validator.
import type { Actor, Event, Header } from '../../schemas/generated/trace.js';
import type { FileReport } from '../../schemas/generated/report.js';
import { readLines } from '../trace/reader.js';
import { TraceValidator } from '../trace/validate.js';

export type Mid = string | number;
export type SendEvent = Extract<Event, { type: 'send' }>;

/** An event with its place in the file. */
export interface Located<E extends Event = Event> {
  /** 1-based line in the file. */
  readonly line: number;
  /** 0-based index among the events (the header is not an event). */
  readonly index: number;
  readonly ev: E;
  /** For a deliver or drop: its send (wherever it is in the file). */
  readonly send?: Located<SendEvent>;
}

/** A valid trace, or the part of it to draw. */
export interface LoadedTrace {
  readonly file: string;
  readonly header: Header;
  /** The header's actors, then those of `join` events, in order. */
  readonly actors: readonly Actor[];
  /** The events kept, in order. */
  readonly events: readonly Located[];
  /** How each kept send ended: its deliver or drop, wherever it is (absent: never delivered). */
  readonly settled: ReadonlyMap<Mid, Located>;
  readonly totalEvents: number;
  readonly lines: number;
  /** Set when `around` was asked: the line of the centre event. */
  readonly centre?: number;
  /** Events were left out at the end because of `maxEvents`. */
  readonly truncated: boolean;
}

export interface LoadOptions {
  /** Keep only the events within `radius` events of the first event on or after this line. */
  readonly around?: number;
  readonly radius?: number;
  /** Without `around`: keep at most this many events (default 1000). */
  readonly maxEvents?: number;
  readonly stdin?: NodeJS.ReadableStream;
}

export type LoadResult =
  | { readonly ok: true; readonly trace: LoadedTrace }
  | { readonly ok: false; readonly report: FileReport }
  | { readonly ok: false; readonly report?: undefined; readonly beyond: { readonly line: number; readonly lastEventLine: number } };

export const DEFAULT_RADIUS = 20;
export const DEFAULT_MAX_EVENTS = 1000;

/** Loads and validates `file` (`-`: standard input). Rejects I/O errors (ENOENT …) as thrown errors. */
export async function loadTrace(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const name = file === '-' ? '<stdin>' : file;
  const validator = new TraceValidator({ file: name, maxErrors: 20 });
  const radius = opts.radius ?? DEFAULT_RADIUS;
  const maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  const actors: Actor[] = [];
  const inFlight = new Map<Mid, Located<SendEvent>>();
  const keptSends = new Set<Mid>();
  const settled = new Map<Mid, Located>();
  let kept: Located[] = [];
  let index = 0;
  let centre: number | undefined;
  let after = 0; // events kept after the centre
  let truncated = false;
  let lastEventLine = 0;

  const keep = (e: Located) => {
    if (e.ev.type === 'send') keptSends.add(e.ev.mid);
    kept.push(e);
  };
  const evict = (n: number) => {
    for (const e of kept.slice(0, n)) if (e.ev.type === 'send') { keptSends.delete(e.ev.mid); settled.delete(e.ev.mid); }
    kept = kept.slice(n);
  };
  await readLines(file, {
    line(text, lineNo) {
      const ev = validator.accept(text, lineNo);
      if (validator.header && actors.length === 0) actors.push(...validator.header.actors);
      if (!ev) return !validator.truncated;
      lastEventLine = lineNo;
      const settles = ev.type === 'deliver' || ev.type === 'drop';
      const e: Located = settles ? { line: lineNo, index: index++, ev, send: inFlight.get(ev.mid) } : { line: lineNo, index: index++, ev };
      if (ev.type === 'join') actors.push(ev.actor);
      if (opts.around === undefined) {
        if (kept.length < maxEvents) keep(e);
        else truncated = true;
      } else if (centre === undefined) {
        if (lineNo >= opts.around) { centre = lineNo; keep(e); } else {
          keep(e);
          if (kept.length > radius) evict(kept.length - radius);
        }
      } else if (after < radius) { after++; keep(e); }
      if (ev.type === 'send') inFlight.set(ev.mid, e as Located<SendEvent>);
      else if (settles) {
        inFlight.delete(ev.mid);
        if (keptSends.has(ev.mid)) settled.set(ev.mid, e);
      }
      return true;
    },
    overlong: (lineNo, length, head) => validator.overlong(lineNo, length, head),
  }, { stdin: opts.stdin });
  const report = validator.finish();
  if (report.verdict === 'invalid' || !validator.header) return { ok: false, report };
  if (opts.around !== undefined && centre === undefined) return { ok: false, beyond: { line: opts.around, lastEventLine } };
  return {
    ok: true,
    trace: { file: name, header: validator.header, actors, events: kept, settled, totalEvents: index, lines: report.lines ?? 0, centre, truncated },
  };
}
