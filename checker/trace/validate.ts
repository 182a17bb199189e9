// The streaming trace validator: takes the lines of one `supernode-trace` v1
// file in order and decides whether it is a well-formed trace (not whether it
// conforms to the models: that is `snc check`). It checks JSON per line, the
// header on line 1, each event against the schema, actor ids, hosts, mids and
// time, and collects coded problems up to `maxErrors`.
//
// Speed (issue #5): once the header is valid, the common event lines in their
// plainest spelling are parsed by fast-event.ts, without JSON.parse and the
// schema (what it accepts is schema-valid and parses to the same object); its
// actor ids are known by construction unless it says otherwise. Every other
// line takes the general path. Problems and returned events are the same.
//
// Memory: the actor and host tables (they grow with the number of actors), the
// in-flight mid table (messages sent and not yet delivered or dropped; mid-table.ts), and a
// fixed-size cache of recently settled mids (recent.ts), used to tell a second
// delivery (TRC006) from a delivery of a mid never sent (TRC005). Nothing else
// grows with the length of the file. Every id-keyed table is a Map or a Set
// (fast-event.ts: an array searched by content), so ids such as `__proto__` or
// `constructor` are plain keys.
import type { Actor, DeliverEvent, DropEvent, Event, Header, SendEvent } from '../../schemas/generated/trace.js';
import type { FileReport, Problem } from '../../schemas/generated/report.js';
import { codeInfo, type Code } from '../codes.js';
import type { LineSink } from './reader.js';
import { DEFAULT_MAX_LINE_LENGTH, readLines } from './reader.js';
import { nestingBeyond, preview, previewText } from './preview.js';
import { RecentMids, type Mid } from './recent.js';
import { MidTable } from './mid-table.js';
import { explain, jsonType, traceValidators } from './schema.js';
import { FastEvents } from './fast-event.js';

/** Default of `--max-errors`. */
export const DEFAULT_MAX_ERRORS = 20;
/** Greetings a header may leave to the default full mesh of supernodes without `peers` (about 1,000 such supernodes; see acceptHeader). */
export const MAX_DEFAULT_MESH = 1_000_000;
/** Deepest nesting accepted in a line; the schema itself needs 5 levels. */
export const MAX_DEPTH = 64;
/** Lines shorter than this cannot nest deep enough to be slow, so are not scanned. */
const DEPTH_SCAN_FROM = 4096;

/** Options of a {@link TraceValidator}. */
export interface ValidatorOptions {
  /** The file name shown in problems (`<stdin>` for standard input). */
  file: string;
  /** Stop after this many problems (default 20); 0 means no limit. */
  maxErrors?: number;
  /** The reader's line cap, quoted in TRC012 messages. */
  maxLineLength?: number;
}

/** An integer mid beyond ±(2^53 − 1): JSON.parse has rounded it to another integer. */
const unsafeMid = (mid: Mid): boolean => typeof mid === 'number' && !Number.isSafeInteger(mid);

/** The roles an input kind goes to (trace-format.md): a user acts at a client, an operator promotes a supernode and sets auth's or im's mode. */
const INPUT_ROLES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  Login: ['client'], Logout: ['client'], Lookup: ['client'], Promote: ['supernode'], SetMode: ['auth', 'im'],
});

/**
 * Validates one trace, a line at a time. Use it as a {@link LineSink} for
 * `readLines`, or call {@link TraceValidator.accept} per line to validate and
 * consume events in one pass; call {@link TraceValidator.finish} at the end.
 */
export class TraceValidator implements LineSink {
  /** The header, once line 1 has been accepted as one. */
  header: Header | null = null;
  /** Problems collected so far (at most `maxErrors`). */
  readonly problems: Problem[] = [];
  /** True once a problem was found beyond `maxErrors`: stop feeding lines. */
  truncated = false;
  /** The last line number seen; the number of event lines seen. */
  lines = 0;
  events = 0;
  /**
   * When `accept` took the fast path (fast-event.ts), the actors of the event it
   * returned by their number in declaration order (header, then joins): `from`
   * or `actor` in `actorA`, `to` in `actorB`; -1 otherwise. For a trace valid so
   * far, the index of the actor in a topology of the declared actors.
   */
  actorA = -1;
  actorB = -1;
  /**
   * Whether the last `accept` took the fast path with an event built by the fast parser:
   * the keys of the plainest spelling, in order, and strings without a JSON escape (the
   * pipeline of `snc check` sends only such events as records, conform/parse-worker.ts).
   */
  tookFast = false;

  private found = 0;
  private headerState: 'pending' | 'ok' | 'bad' = 'pending';
  /** The line of the header (actors declared there: TRC003; by a join: TRC004). */
  private headerLine = -1;
  /** Line 1 showed a JSON document, not NDJSON: later lines are not checked (one problem, not one per line). */
  private notNdjson = false;
  private readonly actors = new Map<string, number>(); // id → line declared
  private readonly roles = new Map<string, string>(); // id → role
  /**
   * The same roles by the fast parser's number of the actor (the order of `fast.addActor`):
   * an input line from the fast path reads its actor's role here, not in `roles` (a Map
   * lookup of 10k ids: a cache miss or two per input line, issue #5).
   */
  private readonly roleByNum: string[] = [];
  /**
   * Ids a client's hostCache or a supernode's peers name before any actor declares
   * them, with where they were first named: an actor declared later with that id must
   * be a supernode. One never declared is no error: the explorer's and the simulator's
   * traces name standby mega-supernodes that have not joined when the trace ends.
   */
  private readonly named = new Map<string, { line: number; by: string; field: string }>();
  private readonly hosts = new Set<string>();
  private readonly inFlight = new MidTable(); // mid → line of its send (mid-table.ts: no Map churn)
  private readonly recent = new RecentMids(); // mid → line settled (negative: dropped)
  /**
   * The largest integer mid ever put in `recent`: a send of a greater one (recorders
   * number their messages upward) cannot be in it, and is spared that lookup (a cache
   * miss per send in its 64K slots).
   */
  private maxSettled = -Infinity;
  private lastT = 0;
  private lastTLine = 0;
  private readonly file: string;
  private readonly schema = traceValidators();
  private readonly fast = new FastEvents();
  private readonly maxErrors: number;
  private readonly maxLineLength: number;

  constructor(options: ValidatorOptions) {
    this.file = options.file;
    this.maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  }

  /** Messages sent and not yet delivered or dropped. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Validates line `lineNo`. Returns the event when the line is a valid event
   * (the header and blank lines return null, and so does any line with a problem).
   * `bytes`, `at`: the line as bytes, when the reader has them (LineSink.line).
   */
  accept(text: string, lineNo: number, bytes: Uint8Array | null = null, at = -1): Event | null {
    this.lines = lineNo;
    // The common event lines in their plainest spelling: no JSON.parse, no schema (fast-event.ts).
    if (this.headerState === 'ok' && !this.truncated) {
      const fast = this.fast;
      const ev = at >= 0 ? fast.parse(text, bytes, at) : fast.parse(text);
      if (ev !== null) {
        this.events++;
        this.tookFast = !fast.messageByJson;
        this.actorA = fast.actorA;
        this.actorB = fast.actorB;
        return this.acceptParsed(ev, lineNo);
      }
    }
    this.actorA = -1;
    this.actorB = -1;
    this.tookFast = false;
    if (this.truncated || this.notNdjson || text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return null;
    // The first non-blank line is the header; if it is not even JSON, the trace has none.
    const isHeader = this.headerState === 'pending';
    if (isHeader) {
      this.headerState = 'bad';
      // A JSON document given as a trace (pretty-printed, or an array): one problem, not one per line.
      const first = text.trim();
      if (first === '{' || first === '[') {
        this.bad('TRC001', lineNo, `a JSON ${first === '{' ? 'object' : 'array'} spread over several lines (pretty-printed), not NDJSON (one JSON object per line, the header first); the other lines are not checked`, previewText(text));
        this.notNdjson = true;
        return null;
      }
    } else this.events++;
    if (text.length > DEPTH_SCAN_FROM) {
      const at = nestingBeyond(text, MAX_DEPTH);
      if (at >= 0) return this.bad('TRC001', lineNo, `JSON nested deeper than ${MAX_DEPTH} levels (at column ${at + 1})`, previewText(text));
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.bad('TRC001', lineNo, `invalid JSON: ${jsonErrorMessage(err, text)}`, previewText(text));
    }
    return isHeader ? this.acceptHeader(value, lineNo) : this.acceptEvent(value, lineNo);
  }

  /** {@link LineSink} method: validates a line, asks to stop once truncated. */
  line(text: string, lineNo: number, bytes?: Uint8Array | null, at?: number): boolean {
    this.accept(text, lineNo, bytes ?? null, at ?? -1);
    return !this.truncated;
  }

  /** {@link LineSink} method: a line over the reader's cap was skipped. */
  overlong(lineNo: number, length: number, head: string): boolean {
    this.lines = lineNo;
    if (this.headerState === 'pending') this.headerState = 'bad';
    else this.events++;
    this.report('TRC012', lineNo, `line is ${length} characters long, over the limit of ${this.maxLineLength}; skipped`, previewText(head) + '…');
    return !this.truncated;
  }

  /** Ends the file: reports a missing header, and returns the file's report. */
  finish(): FileReport {
    if (this.headerState === 'pending') {
      this.headerState = 'bad';
      this.report('TRC002', 1, this.lines === 0 ? 'empty file: no header' : 'no header: the file has only blank lines', '""');
    }
    const report: FileReport = {
      file: this.file,
      verdict: this.found > 0 ? 'invalid' : 'valid',
      lines: this.lines,
      events: this.events,
      actors: this.actors.size,
      problems: this.problems,
    };
    if (this.truncated) report.truncated = true;
    return report;
  }

  private acceptHeader(value: unknown, lineNo: number): null {
    if (!isObject(value) || value.type !== 'header') {
      const got = isObject(value) ? `an object of type ${preview(value.type)}` : `a JSON ${jsonType(value)}`;
      this.report('TRC002', lineNo, `line ${lineNo} must be the header ({"type":"header",…}), not ${got}`, preview(value));
      this.events++;
      // Most often the header was left out and line 1 is the first event: check it as one.
      if (isObject(value) && typeof value.type === 'string') this.acceptEvent(value, lineNo);
      return null;
    }
    const validate = this.schema.header;
    if (!validate(value)) {
      const e = explain(validate.errors, value, 'header');
      this.report('TRC003', lineNo, `invalid header: ${e.message}`, preview(e.value));
      return null;
    }
    // A supernode without `peers` greets every other one at start: fine for a few, but n(n−1) messages
    // for n of them (20,000 supernodes: 400 M, more than any machine replays). Refused with a count.
    const sns = value.actors.filter((a) => a.role === 'supernode');
    const greetings = sns.filter((a) => (a as { peers?: unknown }).peers === undefined).length * Math.max(0, sns.length - 1);
    if (greetings > MAX_DEFAULT_MESH) {
      this.report('TRC003', lineNo, `invalid header: ${sns.length} supernodes, ${greetings.toLocaleString('en')} of whose greetings come from the default full mesh (a supernode without "peers" greets every other one), over the limit of ${MAX_DEFAULT_MESH.toLocaleString('en')}`, `${sns.length} supernodes`);
      return null;
    }
    this.header = value;
    this.headerState = 'ok';
    this.headerLine = lineNo;
    for (const actor of value.actors) this.addActor(actor, lineNo);
    return null;
  }

  private acceptEvent(value: unknown, lineNo: number): Event | null {
    if (!isObject(value)) return this.bad('TRC004', lineNo, `an event must be a JSON object, got ${jsonType(value)}`, preview(value));
    const type = value.type; // read once: property loads on JSON.parse output are megamorphic
    if (type === 'header') return this.bad('TRC004', lineNo, 'a second header: only line 1 may be a header', preview(value));
    // The validator of this event type alone: its property loads see one shape.
    const validate = this.schema.eventFor(type);
    if (!validate(value)) {
      const e = explain(validate.errors, value, 'event');
      // Keep the mid of a broken send, so its deliver does not add a TRC005 to the TRC004.
      const mid = value.mid;
      if (type === 'send' && (typeof mid === 'string' || Number.isSafeInteger(mid)) && !this.inFlight.has(mid as Mid)) {
        this.inFlight.set(mid as Mid, lineNo);
      }
      return this.bad('TRC004', lineNo, `invalid ${typeof type === 'string' ? `"${type.slice(0, 40)}" ` : ''}event: ${e.message}`, preview(e.value));
    }
    // One method per hot event type, for the same reason.
    const before = this.found;
    if (type === 'send') this.onSend(value as SendEvent, lineNo);
    else if (type === 'deliver' || type === 'drop') this.onSettle(value as DeliverEvent | DropEvent, lineNo);
    else this.onOther(value as Event, lineNo);
    return this.found === before ? (value as Event) : null;
  }

  /** An event from the fast parser: schema-valid by construction, its actor ids checked there unless `unknownIds`. */
  private acceptParsed(ev: Event, lineNo: number): Event | null {
    const before = this.found;
    const ids = this.fast.unknownIds;
    const type = ev.type;
    if (type === 'send') this.onSend(ev, lineNo, ids);
    else if (type === 'deliver' || type === 'drop') this.onSettle(ev, lineNo);
    else this.onOther(ev, lineNo, ids);
    return this.found === before ? ev : null;
  }

  private onSend(ev: SendEvent, lineNo: number, ids = true): void {
    this.time(ev.t, lineNo);
    if (ids) {
      this.knownActor(ev.from, 'from', lineNo);
      this.knownActor(ev.to, 'to', lineNo);
    }
    const mid = ev.mid;
    if (unsafeMid(mid)) return this.roundedMid(mid, lineNo);
    const open = this.inFlight.get(mid);
    const done = open === undefined && !(typeof mid === 'number' && mid > this.maxSettled) ? this.recent.get(mid) : undefined;
    if (open !== undefined) {
      this.report('TRC007', lineNo, `duplicate mid ${preview(mid)}: already sent on line ${open}, still in flight`, preview(mid));
    } else if (done !== undefined) {
      this.report('TRC007', lineNo, `duplicate mid ${preview(mid)}: already sent, and ${settledHow(done)}`, preview(mid));
    } else {
      this.inFlight.set(mid, lineNo);
    }
  }

  private onSettle(ev: DeliverEvent | DropEvent, lineNo: number): void {
    this.time(ev.t, lineNo);
    const mid = ev.mid;
    if (unsafeMid(mid)) return this.roundedMid(mid, lineNo);
    if (this.inFlight.delete(mid)) {
      this.recent.add(mid, ev.type === 'drop' ? -lineNo : lineNo);
      if (typeof mid === 'number' && mid > this.maxSettled) this.maxSettled = mid;
      return;
    }
    const done = this.recent.get(mid);
    if (done !== undefined) {
      this.report('TRC006', lineNo, `${ev.type} of mid ${preview(mid)}, which was already ${settledHow(done)}`, preview(mid));
      return;
    }
    // A common slip: the send wrote the mid as a number and the deliver as a string.
    const twin = typeof mid === 'string' ? (/^-?\d+$/.test(mid) ? Number(mid) : undefined) : String(mid);
    const aside = twin !== undefined && this.inFlight.has(twin) ? ` (a send has mid ${preview(twin)}, of another JSON type)` : '';
    this.report('TRC005', lineNo, `${ev.type} of unknown mid ${preview(mid)}${aside}`, preview(mid));
  }

  private roundedMid(mid: Mid, lineNo: number): void {
    this.report('TRC004', lineNo, `integer mid beyond 2^53 (read as ${preview(mid)}): JSON readers round such numbers, so two mids can collide; write it as a string`, preview(mid));
  }

  private onOther(ev: Event, lineNo: number, ids = true): void {
    this.time(ev.t, lineNo);
    switch (ev.type) {
      case 'input': {
        if (ids) this.knownActor(ev.actor, 'actor', lineNo);
        // An input at another role was dropped by check, which then inferred one where it belongs.
        const role = !ids && this.fast.actorA >= 0 ? this.roleByNum[this.fast.actorA] : this.roles.get(ev.actor);
        const kind = ev.input.kind;
        const wants = INPUT_ROLES[kind];
        if (role !== undefined && wants !== undefined && !wants.includes(role)) {
          this.report('TRC004', lineNo, `input ${kind} at ${preview(ev.actor)}, a ${role}: ${kind} is an input of ${wants.join(' or ')}`, preview(ev.actor));
        }
        break;
      }
      case 'timeout':
      case 'leave':
        if (ids) this.knownActor(ev.actor, 'actor', lineNo);
        break;
      case 'observe':
        this.knownActor(ev.actor, 'actor', lineNo);
        if (typeof ev.upstream === 'string') this.knownActor(ev.upstream, 'upstream', lineNo);
        break;
      case 'crash':
      case 'restart':
        if (this.headerState === 'ok' && !this.hosts.has(ev.host)) {
          this.report('TRC011', lineNo, `${ev.type} of unknown host ${preview(ev.host)}`, preview(ev.host));
        }
        break;
      case 'join':
        this.addActor(ev.actor, lineNo);
        break;
      default: // note, and send/deliver/drop handled above
        break;
    }
  }

  /** `t` never decreases; each backward step is reported once. */
  private time(t: number, lineNo: number): void {
    if (t < this.lastT) this.report('TRC010', lineNo, `t went back from ${this.lastT} (line ${this.lastTLine}) to ${t}`, preview(t));
    this.lastT = t;
    this.lastTLine = lineNo;
  }

  private addActor(actor: Actor, lineNo: number): void {
    const first = this.actors.get(actor.id);
    if (first !== undefined) {
      const where = first === lineNo ? `earlier on line ${lineNo}` : `on line ${first}`;
      this.report('TRC009', lineNo, `duplicate actor id ${preview(actor.id)} (already declared ${where})`, preview(actor.id));
      return;
    }
    this.actors.set(actor.id, lineNo);
    this.roles.set(actor.id, actor.role);
    this.fast.addActor(actor.id);
    this.roleByNum.push(actor.role);
    if (actor.host) this.hosts.add(actor.host);
    const code = lineNo === this.headerLine ? 'TRC003' : 'TRC004';
    const earlier = this.named.get(actor.id);
    if (earlier) {
      this.named.delete(actor.id);
      if (actor.role !== 'supernode') this.report(code, lineNo, `${earlier.by}'s ${earlier.field}${earlier.line !== lineNo ? ` (line ${earlier.line})` : ''} names ${preview(actor.id)}, which is a ${actor.role}, not a supernode`, preview(actor.id));
    }
    const field = actor.role === 'client' ? 'hostCache' : actor.role === 'supernode' ? 'peers' : undefined;
    const refs = field === undefined ? undefined : (actor as { hostCache?: readonly string[]; peers?: readonly string[] })[field];
    for (const id of refs ?? []) {
      const role = this.roles.get(id);
      if (role === undefined) { if (!this.named.has(id)) this.named.set(id, { line: lineNo, by: actor.id, field: field! }); }
      else if (role !== 'supernode') this.report(code, lineNo, `${actor.id}'s ${field} names ${preview(id)}, which is a ${role}, not a supernode`, preview(id));
    }
  }

  private knownActor(id: string, field: string, lineNo: number): void {
    if (this.headerState === 'ok' && !this.actors.has(id)) {
      this.report('TRC008', lineNo, `unknown actor ${preview(id)} in "${field}"`, preview(id));
    }
  }

  private bad(code: Code, lineNo: number, message: string, value: string): null {
    this.report(code, lineNo, message, value);
    return null;
  }

  private report(code: Code, line: number, message: string, value: string): void {
    this.found++;
    if (this.maxErrors > 0 && this.problems.length >= this.maxErrors) {
      this.truncated = true;
      return;
    }
    this.problems.push({ code, message, file: this.file, line, value: jsonText(value), hint: codeInfo(code).hint });
  }
}

// report.schema.json leaves `value` untyped, which json-schema-to-typescript
// renders as an object type; we always store the value's (truncated) JSON text.
const jsonText = (s: string) => s as unknown as Problem['value'];

/** V8's JSON.parse message, without its copy of the input, plus a word on binary data. */
function jsonErrorMessage(err: unknown, text: string): string {
  const why = String((err as Error)?.message ?? err)
    .replace(/, ".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/ (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/, (_, n: string) => ` at column ${Number(n) + 1}`)
    .slice(0, 160);
  return /[\u0000\ufffd]/.test(text) ? `${why} (the line holds NUL bytes or bytes that are not UTF-8: is this a binary file?)` : why;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function settledHow(line: number): string {
  return line > 0 ? `delivered on line ${line}` : `dropped on line ${-line}`;
}

/** Options of {@link validateFile}. */
export interface ValidateFileOptions {
  maxErrors?: number;
  maxLineLength?: number;
  /** The stream read for `-` (default `process.stdin`). */
  stdin?: NodeJS.ReadableStream;
}

/**
 * Validates the trace at `path` (`-`: standard input) and returns its report.
 * Rejects with the I/O error (`ENOENT`, `EISDIR`, …) if the file cannot be read.
 *
 * @example const r = await validateFile('traces/samples/valid-login.ndjson'); r.verdict === 'valid'
 */
export async function validateFile(path: string, options: ValidateFileOptions = {}): Promise<FileReport> {
  const validator = new TraceValidator({ file: path === '-' ? '<stdin>' : path, ...options });
  await readLines(path, validator, options);
  return validator.finish();
}
