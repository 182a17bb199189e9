// The reading thread of `snc check`'s pipeline (pipeline.ts): reads the trace
// file, validates it line by line with the same TraceValidator `snc validate`
// runs, and writes each event the conformer is to replay into the shared ring
// of wire.ts, in order. The validator's report (and any I/O error) goes back
// through the port at the end, with where some lines start in the file (one in
// 65,536, in ASCII parts of it: check.ts reads a problem's context from there). It stops reading where a one-thread check
// would: when the validator is truncated (--max-errors), and with
// --stop-at-first at the first invalid line.
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Credential, Event, Input, Message } from '../../schemas/generated/trace.js';
import { timerIndex } from '../../models/effects.js';
import { readLines, type LineStart } from '../trace/reader.js';
import { TraceValidator } from '../trace/validate.js';
import {
  CONSTANT_INPUTS, CONSTANT_MESSAGES, MAX_ACK, MAX_STR, MAX_STRINGS, MSG_CONNECT_ACK, MSG_CONST, MSG_IM_BATCH, MSG_LOGIN_OK, MSG_LOGIN_REQUEST, MSG_REGISTER,
  OP_DELIVER, OP_DROP, OP_INPUT, OP_PORT, OP_PROBLEM, OP_SEND, OP_STR, OP_TIMEOUT, OP_WRAP, R, READER_WAITS, WRITER_WAITS, RING_MASK as MASK, RING_WORDS, W, MAX_STRING_CHARS,
  ActorNumbers, type PortMessage, type WorkerInput,
} from './wire.js';

/** Lines between two entries of the sparse index of line starts. */
const START_EVERY = 1 << 16;
/** Records written between two publications of the write counter. */
const PUBLISH_EVERY = 256;

const CONST_MSG_INDEX = new Map<Message, number>(CONSTANT_MESSAGES.map((m, i) => [m, i]));
const CONST_INPUT_INDEX = new Map<Input, number>(CONSTANT_INPUTS.map((m, i) => [m, i]));

/**
 * Whether a string of a message can go into the string table: at most MAX_STR units. (Only events the fast
 * parser built come here, TraceValidator.tookFast: their strings hold no JSON escape, so no lone surrogate, which
 * the table's UTF-8 would turn into U+FFFD; their keys come in the plainest spelling's order.)
 */
const tableable = (s: string): boolean => s.length <= MAX_STR;

/** Writes records into the ring (the one writer). */
class RingWriter {
  private readonly f: Float64Array;
  private readonly bytes: Buffer;
  private readonly ctrl: Int32Array;
  /** Words written (an int32 counter that wraps), and the reader's count last seen. */
  private w = 0;
  private r = 0;
  private records = 0;

  constructor(ring: SharedArrayBuffer, ctrl: SharedArrayBuffer, private readonly port: MessagePort) {
    this.f = new Float64Array(ring);
    this.bytes = Buffer.from(ring);
    this.ctrl = new Int32Array(ctrl);
  }

  /** Where a record of `n` words goes (wrapping first if it does not fit before the end); waits for room. */
  private reserve(n: number): number {
    const pos = this.w & MASK;
    const skip = pos + n > RING_WORDS ? RING_WORDS - pos : 0;
    this.room(skip + n);
    if (skip === 0) return pos;
    this.f[pos] = OP_WRAP;
    this.w = (this.w + skip) | 0;
    return 0;
  }

  private room(need: number): void {
    while (RING_WORDS - ((this.w - this.r) | 0) < need) {
      this.r = Atomics.load(this.ctrl, R);
      if (RING_WORDS - ((this.w - this.r) | 0) >= need) return;
      this.publish();
      // Say so, then look again (the reader reads the flag after acknowledging), then wait.
      Atomics.store(this.ctrl, WRITER_WAITS, 1);
      if (Atomics.load(this.ctrl, R) === this.r) Atomics.wait(this.ctrl, R, this.r, 50);
      Atomics.store(this.ctrl, WRITER_WAITS, 0);
    }
  }

  private done(n: number): void {
    this.w = (this.w + n) | 0;
    if (++this.records % PUBLISH_EVERY === 0) this.publish();
  }

  publish(): void {
    Atomics.store(this.ctrl, W, this.w);
    if (Atomics.load(this.ctrl, READER_WAITS) !== 0) Atomics.notify(this.ctrl, W);
  }

  /** A record of fields only. */
  put2(op: number, a: number): void {
    const p = this.reserve(2);
    this.f[p] = op;
    this.f[p + 1] = a;
    this.done(2);
  }

  /** A message through the port, in its place in the ring. */
  post(line: number, m: PortMessage): void {
    this.port.postMessage(m);
    this.put2(OP_PORT, line);
    this.publish();
  }

  /** Actors by number, as the validator numbers them. */
  readonly actors = new ActorNumbers();

  // The string table: ids the reader knows, restarted when full (`gen` counts the restarts). Its
  // strings are copies read back from the ring: a line's substring may keep the line's whole
  // chunk (64 KiB) alive.
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private chars = 0;
  private gen = 0;
  /**
   * Per actor number, the user and password of its last LoginRequest, their table numbers and
   * the table's `gen` then: a client logs in as the same user again and again, and a string
   * compare with its last one spares a lookup in a table of tens of thousands (a cache miss).
   */
  private readonly lastUser: string[] = [];
  private readonly lastPassword: string[] = [];
  private lastIdsOf = new Int32Array(0);

  /** The table number of `s`, writing its STR record first when new. The caller made room (`strings`). */
  str(s: string): number {
    let id = this.ids.get(s);
    if (id !== undefined) return id;
    id = this.ids.size;
    const p = this.reserve(3 + Math.ceil((s.length * 3) / 8));
    const len = this.bytes.write(s, (p + 3) * 8, 'utf8');
    const copy = this.bytes.toString('utf8', (p + 3) * 8, (p + 3) * 8 + len);
    this.ids.set(copy, id);
    this.texts[id] = copy;
    this.chars += s.length;
    this.f[p] = OP_STR;
    this.f[p + 1] = id;
    this.f[p + 2] = len;
    this.done(3 + Math.ceil(len / 8));
    return id;
  }

  /** Makes sure `n` more strings fit in the table without restarting it halfway through an event. */
  strings(n: number): void {
    if (this.ids.size + n > MAX_STRINGS || this.chars + n * MAX_STR > MAX_STRING_CHARS) {
      this.ids.clear();
      this.texts.length = 0;
      this.chars = 0;
      this.gen++;
    }
  }

  /**
   * The id word of an event's actor: its number `k` (the validator's actorA or actorB, -1 for
   * none) when that is `id`'s, else -1 - its table number. So the reader passes the conformer
   * the same actorA/actorB (the word, or -1).
   */
  private idWord(id: string, k: number): number {
    return k >= 0 && this.actors.ids[k] === id ? k : -1 - this.str(id);
  }

  /** The id word of an id in a message (a ConnectAck's supernodes): the actor's number, or -1 - its table number. */
  private nameWord(id: string): number {
    const n = this.actors.of(id);
    return n !== undefined ? n : -1 - this.str(id);
  }

  /** The table numbers of a LoginRequest's user and password from actor `k`, in `this.pair`. */
  private credentials(k: number, user: string, password: string): void {
    if (k >= 0) {
      if (k * 3 + 3 > this.lastIdsOf.length) this.growLast(k);
      const at = k * 3;
      if (this.lastIdsOf[at + 2] === this.gen + 1 && this.lastUser[k] === user && this.lastPassword[k] === password) {
        this.pair0 = this.lastIdsOf[at];
        this.pair1 = this.lastIdsOf[at + 1];
        return;
      }
      this.pair0 = this.str(user);
      this.pair1 = this.str(password);
      this.lastUser[k] = this.texts[this.pair0];
      this.lastPassword[k] = this.texts[this.pair1];
      this.lastIdsOf[at] = this.pair0;
      this.lastIdsOf[at + 1] = this.pair1;
      this.lastIdsOf[at + 2] = this.gen + 1;
      return;
    }
    this.pair0 = this.str(user);
    this.pair1 = this.str(password);
  }
  private pair0 = 0;
  private pair1 = 0;

  private growLast(k: number): void {
    const next = new Int32Array(Math.max((k + 1) * 3, this.lastIdsOf.length * 2));
    next.set(this.lastIdsOf);
    this.lastIdsOf = next;
  }

  /** Writes `ev` as a record; false when it has no record form (it then goes through the port). */
  event(ev: Event, line: number, a: number, b: number): boolean {
    switch (ev.type) {
      case 'deliver':
      case 'drop': {
        const mid = this.mid(ev.mid);
        if (mid === undefined) return false;
        const p = this.reserve(4);
        this.f[p] = ev.type === 'deliver' ? OP_DELIVER : OP_DROP;
        this.f[p + 1] = line;
        this.f[p + 2] = ev.t;
        this.f[p + 3] = mid;
        this.done(4);
        return true;
      }
      case 'timeout':
      case 'input': {
        // A timer by its number in TIMERS (models/effects.ts timerIndex), an input by its in CONSTANT_INPUTS.
        const arg = ev.type === 'timeout' ? timerIndex(ev.timer) : CONST_INPUT_INDEX.get(ev.input) ?? -1;
        if (arg < 0 || ev.actor.length > MAX_STR) return false;
        this.strings(1);
        const actor = this.idWord(ev.actor, a);
        const p = this.reserve(5);
        this.f[p] = ev.type === 'timeout' ? OP_TIMEOUT : OP_INPUT;
        this.f[p + 1] = line;
        this.f[p + 2] = ev.t;
        this.f[p + 3] = actor;
        this.f[p + 4] = arg;
        this.done(5);
        return true;
      }
      case 'send':
        return this.send(ev.t, ev.from, ev.to, ev.mid, ev.msg, line, a, b);
      default:
        return false;
    }
  }

  private send(t: number, from: string, to: string, mid0: string | number, msg: Message, line: number, a: number, b: number): boolean {
    // The ids and a string mid of a line the fast parser took are plain text (no escape): only their length is checked.
    if (from.length > MAX_STR || to.length > MAX_STR || (typeof mid0 === 'string' ? mid0.length > MAX_STR : !(mid0 >= 0))) return false;
    let kind: number;
    let x = 0;
    let acks: readonly string[] | undefined;
    let cred: Credential | undefined;
    const c = CONST_MSG_INDEX.get(msg);
    if (c !== undefined) {
      kind = MSG_CONST;
      x = c;
    } else if (msg.kind === 'LoginRequest') {
      if (!tableable(msg.user) || !tableable(msg.password)) return false;
      kind = MSG_LOGIN_REQUEST;
    } else if (msg.kind === 'ConnectAck') {
      acks = msg.supernodes;
      if (acks.length > MAX_ACK || !acks.every(tableable)) return false;
      kind = MSG_CONNECT_ACK;
      x = acks.length;
    } else if (msg.kind === 'OfflineImBatch') {
      kind = MSG_IM_BATCH;
      x = msg.count;
    } else if (msg.kind === 'Register' || msg.kind === 'LoginOk') {
      cred = msg.credential;
      if (!tableable(cred.user) || !tableable(cred.sig)) return false;
      kind = msg.kind === 'Register' ? MSG_REGISTER : MSG_LOGIN_OK;
    } else return false;
    this.strings(6 + (acks ? acks.length : 0)); // from, to, mid, two of the message's, and its supernodes
    const fromW = this.idWord(from, a);
    const toW = this.idWord(to, b);
    const mid = typeof mid0 === 'number' ? mid0 : -1 - this.str(mid0);
    let y = 0;
    if (kind === MSG_LOGIN_REQUEST) {
      const m = msg as Extract<Message, { kind: 'LoginRequest' }>;
      this.credentials(a, m.user, m.password);
      x = this.pair0;
      y = this.pair1;
    } else if (cred) {
      x = this.str(cred.user);
      y = this.str(cred.sig);
    }
    let ackWords: number[] | undefined;
    if (acks) { ackWords = []; for (const s of acks) ackWords.push(this.nameWord(s)); }
    const n = kind === MSG_CONNECT_ACK ? 8 + x : kind === MSG_LOGIN_REQUEST ? 9 : cred ? 11 : 8;
    const p = this.reserve(n);
    const f = this.f;
    f[p] = OP_SEND;
    f[p + 1] = line;
    f[p + 2] = t;
    f[p + 3] = fromW;
    f[p + 4] = toW;
    f[p + 5] = mid;
    f[p + 6] = kind;
    f[p + 7] = x;
    if (kind === MSG_LOGIN_REQUEST) f[p + 8] = y;
    else if (cred) { f[p + 8] = cred.issuedAt; f[p + 9] = cred.expiresAt; f[p + 10] = y; }
    else if (ackWords) for (let i = 0; i < ackWords.length; i++) f[p + 8 + i] = ackWords[i];
    this.done(n);
    return true;
  }

  /** A mid as a record word: the number, or -1 - its string's table number; undefined if too long. */
  private mid(mid: string | number): number | undefined {
    if (typeof mid === 'number') return mid >= 0 ? mid : undefined; // (a negative word is a string's)
    if (mid.length > MAX_STR) return undefined;
    this.strings(1);
    return -1 - this.str(mid);
  }
}

async function run(input: WorkerInput): Promise<void> {
  const out = new RingWriter(input.ring, input.ctrl, input.port);
  try {
    const v = new TraceValidator({ file: input.file, maxErrors: input.maxErrors, maxLineLength: input.maxLineLength });
    // Where some lines start in the file, one every START_EVERY or so: the main thread reads a
    // problem's context lines again from the nearest one before them (check.ts, contextFor).
    const starts: LineStart[] = [];
    let nextStart = START_EVERY;
    let headerSent = false;
    let problem = false;
    await readLines(input.path, {
      line(text, lineNo, bytes, at, base) {
        if (lineNo >= nextStart && bytes && base !== undefined && base >= 0 && at !== undefined && at >= 0) {
          starts.push({ line: lineNo, offset: base + at });
          nextStart = lineNo + START_EVERY;
        }
        const ev = v.accept(text, lineNo, bytes ?? null, at ?? -1);
        if (!headerSent && v.header) {
          headerSent = true;
          for (const a of v.header.actors) out.actors.learn(a.id);
          out.post(lineNo, { t: 'header' });
        }
        if (!problem) {
          if (v.problems.length > 0) {
            problem = true;
            out.put2(OP_PROBLEM, lineNo);
          } else if (ev !== null && headerSent) {
            const a = v.actorA;
            const b = v.actorB;
            if (!(v.tookFast && out.event(ev, lineNo, a, b))) out.post(lineNo, { t: 'event', ev, a, b });
            // The validator numbered a valid join's actor (the reader does the same with the event).
            if (ev.type === 'join') out.actors.learn(ev.actor.id);
          }
        }
        if (input.stopAtFirst && v.problems.length > 0) return false;
        return !v.truncated;
      },
      overlong(lineNo, length, head) {
        return v.overlong(lineNo, length, head);
      },
    }, { maxLineLength: input.maxLineLength, highWaterMark: input.highWaterMark, sync: true });
    out.post(v.lines, { t: 'end', report: v.finish(), starts });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    out.post(0, { t: 'error', error: { message: String(e?.message ?? err), code: e?.code, errno: e?.errno, syscall: e?.syscall, path: e?.path } });
  }
  out.publish();
  input.port.close();
}

await run(workerData as WorkerInput);
