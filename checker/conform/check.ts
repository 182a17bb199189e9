// `snc check` as a library call: one streaming pass over a trace file — the
// validate reader and validator (same code as `snc validate`), then the
// conformer (model replay with hidden steps and property monitors), on one
// thread or, for a large file, two (pipeline.ts; the lines a problem quotes as
// context are then read again at the end) — to one
// FileReport: `invalid` (the validator's findings), `violates` (where the
// recording leaves the model, and which properties break, with the line,
// the actors, the model state and the last events), or `conforms`.
import type { FileReport, Problem, PropertyResult } from '../../schemas/generated/report.js';
import type { Event, Header } from '../../schemas/generated/trace.js';
import { readLines, readLinesAt, type LineStart, type ReadOptions } from '../trace/reader.js';
import { TraceValidator } from '../trace/validate.js';
import { instantiate, type Measure, type PropParams } from '../props/index.js';
import { Conformer, type HiddenKind } from './conformer.js';
import { pipelineFits, readPiped } from './pipeline.js';
import { codeInfo } from '../codes.js';

export interface CheckOptions extends ReadOptions {
  readonly props?: readonly string[];
  readonly overrides?: Record<string, Partial<PropParams>>;
  readonly measure?: Measure;
  readonly hidden?: number;
  readonly hiddenKinds?: readonly HiddenKind[];
  readonly maxCandidates?: number;
  /** ms traces: timer firings the replay may make between two events before it gives up on a jump in time (TRC013; default MAX_FIRINGS). */
  readonly maxFirings?: number;
  /** ms traces: how early (ms) before its deadline a timeout, recorded or hidden, may fire (default: any time). */
  readonly timerSlack?: number;
  /** ms traces: when the header's actors start (default, and at most: the first event's `t`; see ConformOptions.origin). */
  readonly start?: number;
  readonly maxErrors?: number;
  /** Stop the replay at the first conformance problem or property violation (the rest is still validated), and reading at the first invalid line. */
  readonly stopAtFirst?: boolean;
  /** Trace lines kept as context for a problem (default 5). */
  readonly context?: number;
  /** Called about once a second of a long check with the line reached (the CLI's progress line on a terminal). */
  readonly onProgress?: (p: { readonly line: number; readonly seconds: number }) => void;
  /**
   * Called with a note about the file that is not a problem (the CLI prints it on standard error):
   * `maxFirings`, `timerSlack` or `start` given for a clock "step" trace, which has no timers to apply them to.
   */
  readonly onNote?: (message: string) => void;
  /**
   * 2: read, parse and validate the file on a second thread while this one replays it
   * (pipeline.ts); 1: all on this thread. Default: 2 for a file of PIPELINE_MIN_BYTES or
   * more on a machine with two cores. Standard input, a pipe or anything else that is not a
   * regular file is read on this thread. The worker reads with synchronous reads (`sync` does
   * not apply to it).
   */
  readonly threads?: 1 | 2;
}

/** The options (and their flags) that only a clock "ms" trace has a use for: set for a "step" trace, they are ignored with a note. */
const MS_ONLY: readonly (readonly ['timerSlack' | 'maxFirings' | 'start', string])[] = [['timerSlack', '--timer-slack'], ['maxFirings', '--max-firings'], ['start', '--start']];

/**
 * Read chunk size of `snc check`: 64 KiB rather than the reader's 1 MiB. A 1 MiB
 * chunk (its Buffer and its decoded string) is a V8 large object, freed only by a
 * full GC, and the checker's heap goes long between full GCs: on the login-flood
 * bench (1M lines) peak RSS went from ~280 MB to ~240 MB, at the same speed (the
 * raw splitter + JSON.parse rate is the same with either size).
 */
const CHECK_CHUNK = 64 * 1024;
// The file is read with synchronous reads into one reused buffer (reader.ts,
// `sync`; CheckOptions.sync false: through a stream): no stream machinery and no
// promise per chunk, about a second of CPU per 10M lines (issue #5).

export const CHECK_DEFAULTS = { hidden: 2, hiddenKinds: ['timeout', 'input'] as HiddenKind[], maxCandidates: 64, context: 5 };

/** Checks one trace file (`-`: standard input). Rejects with the I/O error if it cannot be read. */
export async function checkFile(path: string, opts: CheckOptions = {}): Promise<FileReport> {
  const t0 = performance.now();
  const file = path === '-' ? '<stdin>' : path;
  const props = instantiate(opts.props, opts.overrides, opts.measure);
  // Every property is monitored: `sometimes` ones are witnessed (the first line
  // that shows it) or unwitnessed, which does not make a trace violate.
  const keep = Math.max(0, Math.floor(opts.context ?? CHECK_DEFAULTS.context));
  const recent = new RecentLines(keep);
  const contextOf = new Map<number, string[]>();
  // Bounded-response properties measured in clock time (`--measure time`) need clock ms: in a
  // "step" trace `t` counts steps, and N would be compared with step numbers. Such a file is
  // not replayed (TRC014, invalid, as TRC013's unreplayable clock); it is still validated.
  const timed = props.filter((p) => p.def.kind === 'response' && p.params.measure === 'time').map((p) => p.def.id);
  let headerLine = 0;
  let refused = false;
  let conformer: Conformer | undefined;
  let stopped = false;
  let stoppedAt = 0;
  let shown = t0;
  const progress = opts.onProgress && ((line: number) => {
    const now = performance.now();
    if (now - shown >= 1000) { shown = now; opts.onProgress!({ line, seconds: (now - t0) / 1000 }); }
  });
  const start = (header: Header, origin: number) => new Conformer(header, {
    props, hidden: opts.hidden ?? CHECK_DEFAULTS.hidden,
    hiddenKinds: new Set(opts.hiddenKinds ?? CHECK_DEFAULTS.hiddenKinds),
    maxCandidates: opts.maxCandidates ?? CHECK_DEFAULTS.maxCandidates,
    ...(opts.maxFirings !== undefined ? { maxFirings: opts.maxFirings } : {}),
    ...(opts.timerSlack !== undefined ? { timerSlack: opts.timerSlack } : {}),
    maxDivergences: opts.maxErrors || Infinity,
    origin,
  });
  let seenDivergences = 0;
  let seenListed = 0;
  let seenViolations = 0;
  // What the reading side found so far (this thread's validator, or the pipeline's worker).
  let header: Header | null = null;
  let invalid = false;
  const piped = pipelineFits(path, opts.threads);
  // The lines whose context a problem needs: taken from the ring of recent lines as they pass, or
  // (pipelined: the lines are read on the other thread) read again at the end (`contextFor`).
  const wanted: number[] = [];
  const want = (lineNo: number) => { if (piped) wanted.push(lineNo); else contextOf.set(lineNo, recent.list()); };
  const onHeader = (h: Header, lineNo: number) => {
    header = h;
    headerLine = lineNo;
    refused = h.clock === 'step' && timed.length > 0;
    // Options for ms clocks given for a step trace: nothing to apply them to, so harmless (unlike
    // --measure time, which would compare ms with steps): the file is checked, with a note.
    const unused = h.clock === 'step' ? MS_ONLY.filter(([k]) => opts[k] !== undefined).map(([, flag]) => flag) : [];
    if (unused.length && opts.onNote) opts.onNote(`${unused.join(', ')} ${unused.length === 1 ? 'applies' : 'apply'} to clock "ms" traces; ${file} has clock "step": ignored`);
  };
  /** The conformer to replay an event at `t` with (made at the first event), or undefined while none is to. */
  const ready = (t: number): Conformer | undefined => {
    if (invalid) return undefined;
    // Made at the first event: the header's actors start at its time (ConformOptions.origin).
    if (!conformer && !refused && header) conformer = start(header, Math.min(opts.start ?? t, t));
    return conformer && !stopped ? conformer : undefined;
  };
  /** After `c` replayed line `lineNo`: a jump in time stops the replay; a new problem gets its context. */
  const after = (c: Conformer, lineNo: number) => {
    if (c.jump) { stopped = true; stoppedAt = lineNo; want(lineNo); }
    if (c.divergenceCount !== seenDivergences || c.violations.size !== seenViolations) {
      // Context only for the problems the report lists (the kept divergences, first violations).
      const listed = c.divergences.length !== seenListed || c.violations.size !== seenViolations;
      seenDivergences = c.divergenceCount;
      seenListed = c.divergences.length;
      seenViolations = c.violations.size;
      if (listed) want(lineNo);
      // The replay stops; the rest is still validated, so that an invalid file stays `invalid`.
      if (opts.stopAtFirst) { stopped = true; stoppedAt = lineNo; }
    }
  };
  const onEvent = (ev: Event, lineNo: number, a: number, b: number) => {
    const c = ready(ev.t);
    if (c) { c.event(ev, lineNo, a, b); after(c, lineNo); }
  };
  const readOpts = { ...opts, highWaterMark: opts.highWaterMark ?? CHECK_CHUNK, sync: opts.sync ?? true };
  let base: FileReport;
  if (piped) {
    let starts: readonly LineStart[];
    ({ report: base, starts } = await readPiped(path, { file, maxErrors: opts.maxErrors, maxLineLength: opts.maxLineLength, highWaterMark: readOpts.highWaterMark, stopAtFirst: !!opts.stopAtFirst }, {
      header: onHeader,
      event: onEvent,
      send(line, t, from, to, mid, msg, a, b) { const c = ready(t); if (c) { c.sendEvent(line, t, from, to, mid, msg, a, b); after(c, line); } },
      settle(line, t, mid, drop) { const c = ready(t); if (c) { c.settleEvent(line, t, mid, drop); after(c, line); } },
      timeout(line, t, actor, timer, a) { const c = ready(t); if (c) { c.timeoutEvent(line, t, actor, timer, a); after(c, line); } },
      input(line, t, actor, input, a) { const c = ready(t); if (c) { c.inputEvent(line, t, actor, input, a); after(c, line); } },
      problem: () => { invalid = true; },
      ...(progress ? { progress } : {}),
    }));
    if (wanted.length && base.verdict !== 'invalid') for (const [lineNo, lines] of contextFor(path, wanted, keep, opts.maxLineLength, starts)) contextOf.set(lineNo, lines);
  } else {
    // This thread reads the file itself: its own validator.
    const validator = new TraceValidator({ file, maxErrors: opts.maxErrors, maxLineLength: opts.maxLineLength });
    const sink = {
      line(text: string, lineNo: number, bytes?: Uint8Array | null, at?: number): boolean {
        if (progress && (lineNo & 0x3ff) === 0) progress(lineNo);
        const ev = validator.accept(text, lineNo, bytes ?? null, at ?? -1);
        if (headerLine === 0 && validator.header) onHeader(validator.header, lineNo);
        if (validator.problems.length > 0) invalid = true;
        if (ev) onEvent(ev, lineNo, validator.actorA, validator.actorB);
        if (opts.stopAtFirst && invalid) return false;
        recent.push(lineNo, text);
        return !validator.truncated;
      },
      overlong(lineNo: number, length: number, head: string): boolean {
        return validator.overlong(lineNo, length, head);
      },
    };
    await readLines(path, sink, readOpts);
    base = validator.finish();
  }
  if (refused) {
    const problems: Problem[] = [...base.problems, {
      code: 'TRC014', file, line: headerLine,
      message: `--measure time measures ${timed.join(', ')} in clock ms, but the header says clock "step": its t are step numbers, so time bounds would be compared with steps`,
      hint: codeInfo('TRC014').hint,
    }].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { ...base, verdict: 'invalid', problems, seconds: secs(t0) };
  }
  if (!conformer && base.verdict !== 'invalid' && header) conformer = start(header, opts.start ?? 0); // a header and no event
  if (base.verdict === 'invalid' || !conformer) return { ...base, seconds: secs(t0) };

  const c = conformer;
  const problems: Problem[] = c.divergences.map((d) => ({
    code: d.code, message: d.message, file, line: d.line, actors: d.actors, property: 'conformance',
    hint: codeInfo(d.code).hint, model: d.model, context: contextOf.get(d.line) ?? [],
  }));
  const violation = (id: string, v: { line: number; actors: readonly string[]; explanation: string }): Problem => ({
    code: 'PRP001', message: `property ${id} violated: ${v.explanation}`, file, line: v.line, actors: [...v.actors], property: id, hint: codeInfo('PRP001').hint, context: contextOf.get(v.line) ?? [],
  });
  if (c.jump) {
    // Not a verdict on the implementation: the trace's clock cannot be replayed (a bad t, or two clocks
    // mixed). What was found before the jump stays in the report.
    const j = c.jump;
    const from = j.fromLine > 0 ? `t=${j.fromT} (line ${j.fromLine})` : `the start (t=${j.fromT})`;
    const message = `the clock jumps from ${from} to t=${j.t} (line ${j.line}), ${(j.t - j.fromT).toLocaleString('en')} ms: replaying the model's timers across the gap takes more than ${j.firings.toLocaleString('en')} firings`;
    for (const [id, v] of c.violations) problems.push(violation(id, v));
    problems.push({ code: 'TRC013', message, file, line: j.line, hint: codeInfo('TRC013').hint, context: contextOf.get(j.line) ?? [] });
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { ...base, verdict: 'invalid', problems, seconds: secs(t0) };
  }
  // After the first conformance problem the monitors follow the model's run, which no longer is quite
  // the implementation's. A property they still find to hold is not judged: "holds" claims that
  // nothing went wrong, which they can no longer see (an implementation over capacity read "capacity
  // holds"). A violation they find stays one, marked as found after that line: it names the event and
  // the actors, which the user can hold against the trace, and it is often the implementation's own
  // (the forged Register registered in traces/explored/violates-auth-before-service.ndjson).
  const left = c.divergences[0];
  const leftAt = left && `line ${left.line}, where the recording left the model (${left.code})`;
  const lastLine = base.lines;
  const properties: PropertyResult[] = props.map((p, i) => {
    const v = c.violations.get(p.def.id);
    const base = { id: p.def.id, kind: p.def.kind };
    if (v) return { ...base, status: 'violated', line: v.line, actors: [...v.actors], explanation: left && v.line > left.line ? `${v.explanation}; found after ${leftAt}: check it against the trace` : v.explanation };
    if (left && p.def.kind !== 'sometimes') return { ...base, status: 'not-checked', explanation: `not judged after ${leftAt}` };
    // A witness stands, also one found before --stop-at-first stopped the replay; nothing else after the stop is known.
    const w = p.def.kind === 'sometimes' ? c.witnesses.get(p.def.id) : undefined;
    if (w) return { ...base, status: 'witnessed', line: w.line, actors: [...w.actors], explanation: w.explanation };
    if (stopped) return { ...base, status: 'not-checked', explanation: `the replay stopped at line ${stoppedAt} (--stop-at-first)` };
    if (p.def.kind === 'sometimes') return { ...base, status: 'unwitnessed' };
    const end = p.finish?.(c.st.monitors[i], c.st, c.sys, false);
    if (end?.violations.length) return { ...base, status: 'violated', line: lastLine, actors: [...end.violations[0].actors], explanation: end.violations[0].explanation };
    if (end?.pending.length) return { ...base, status: 'pending', actors: end.pending.flatMap((x) => x.actors).slice(0, 10), explanation: `${end.pending.length} ${end.pending.length === 1 ? 'obligation' : 'obligations'} still open at the end of the trace: ${end.pending[0].explanation}` };
    return { ...base, status: 'holds' };
  });
  for (const p of properties) {
    if (p.status !== 'violated' || p.line === undefined) continue;
    problems.push(violation(p.id, { line: p.line, actors: p.actors ?? [], explanation: p.explanation ?? '' }));
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const violates = problems.length > 0;
  // More conformance problems than --max-errors: the first are listed, and the report says some were left out.
  const truncated = c.divergenceCount > c.divergences.length ? { truncated: true } : {};
  // After --stop-at-first the replay ended early: what the models still owe then says nothing.
  const owed = stopped ? [] : c.owed();
  return {
    ...base, verdict: violates ? 'violates' : 'conforms', problems, ...truncated, properties, hiddenSteps: c.hiddenSteps,
    ...(c.hiddenInputCount ? { hiddenInputs: { count: c.hiddenInputCount, first: c.hiddenInputs } } : {}),
    ...(owed.length ? { owed: { count: owed.length, first: owed.slice(0, 10) } } : {}),
    seconds: secs(t0),
  };
}

/**
 * The last `keep` lines read, as the context of a problem (the lines before its own), as a
 * ring: no array allocated or shifted per line. The text ring is copied every 1024 lines:
 * one kept for the whole file is promoted to the old generation, and storing each line's
 * new string into it takes V8's write-barrier slow path (remembered set) once a line
 * (issue #5: -47 instructions a line in that builtin on the login-flood bench, --hidden 0).
 */
class RecentLines {
  private readonly nos: number[];
  private texts: string[];
  private n = 0;
  constructor(private readonly keep: number) {
    this.nos = new Array<number>(keep).fill(0);
    this.texts = new Array<string>(keep).fill('');
  }
  push(lineNo: number, text: string): void {
    const keep = this.keep;
    if (keep === 0) return;
    if ((this.n & 1023) === 0) this.texts = this.texts.slice();
    const j = this.n++ % keep;
    this.nos[j] = lineNo;
    this.texts[j] = text;
  }
  list(): string[] {
    const { keep, n } = this;
    const out: string[] = [];
    for (let j = Math.max(0, n - keep); j < n; j++) {
      out.push(quoted(this.nos[j % keep], this.texts[j % keep]));
    }
    return out;
  }
}

/**
 * The context of each of `lines` as the one-thread check takes it
 * (RecentLines: the `keep` lines before it), read again from the file (readLinesAt, from the
 * nearest line start the reading thread noted before them): after
 * a pipelined check, whose lines were read on the other thread. Only files with problems to
 * report pay for it, and only for the lines quoted. Exact for a file with no over-long line
 * (RecentLines skips one; such a file is invalid, and its report quotes no context).
 */
function contextFor(path: string, lines: readonly number[], keep: number, maxLineLength: number | undefined, starts: readonly LineStart[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const l of new Set(lines)) {
    const nums: number[] = [];
    for (let j = Math.max(1, l - keep); j < l; j++) nums.push(j);
    // Counting from the last known line start at or before the first of them, not from line 1
    // (one read per problem: problems far apart do not make a read of all that lies between).
    let from: LineStart | undefined;
    for (const st of starts) { if (st.line > (nums[0] ?? l)) break; from = st; }
    const texts = readLinesAt(path, nums, { maxLineLength, ...(from ? { from } : {}) });
    const list: string[] = [];
    for (const j of nums) {
      const x = texts.get(j);
      if (x !== undefined) list.push(quoted(j, x));
    }
    out.set(l, list);
  }
  return out;
}

/** A line as a problem's context quotes it. */
const quoted = (no: number, text: string) => `${no}: ${text.length > 200 ? text.slice(0, 200) + '…' : text}`;

const secs = (t0: number) => Math.round(performance.now() - t0) / 1000;
