// `snc check` on two threads: a worker (parse-worker.ts) reads, parses and
// validates the trace and writes its events into a shared ring (wire.ts); this
// side decodes the records, in order, into the conformer's calls for the events
// the validator returned (check.ts: Conformer.sendEvent…, or `event` for the
// rarer ones). Same events, same lines, same actor indices, same report as the
// one-thread path: only where the work is done changes
// (test/check-pipeline.test.ts compares the two).
//
// Used for a regular file large enough that the worker's start, about 0.2 s
// (its imports, and the ajv compile of the header's schema), is small against
// the time the second core saves (PIPELINE_MIN_BYTES), on a machine with a
// second core.
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FileReport } from '../../schemas/generated/report.js';
import { readLinesAt, type LineStart } from '../trace/reader.js';
import type { Event, Header, Input, Message, TimerName } from '../../schemas/generated/trace.js';
import {
  CONSTANT_INPUTS, CONSTANT_MESSAGES, MSG_CONNECT_ACK, MSG_CONST, MSG_IM_BATCH, MSG_LOGIN_OK, MSG_LOGIN_REQUEST, MSG_REGISTER,
  OP_DELIVER, OP_DROP, OP_INPUT, OP_PORT, OP_PROBLEM, OP_SEND, OP_STR, OP_TIMEOUT, OP_WRAP, R, READER_WAITS, WRITER_WAITS, RING_MASK as MASK, RING_WORDS, TIMERS, W, CTRL_SLOTS,
  ActorNumbers, type PortMessage, type WorkerInput,
} from './wire.js';

/** Files from this size up are checked on two threads (when the machine has two cores): 8 MiB, ~100k events. */
export const PIPELINE_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Whether `checkFile` reads `path` on a second thread: never standard input, nor anything but a
 * regular file (a pipe or a FIFO cannot be opened twice, nor read again for context); with
 * `threads` unset, a file of PIPELINE_MIN_BYTES or more on a machine with two cores.
 */
export function pipelineFits(path: string, threads?: 1 | 2): boolean {
  if (path === '-' || threads === 1 || (threads === undefined && availableParallelism() < 2)) return false;
  try {
    const st = statSync(path);
    return st.isFile() && (threads === 2 || st.size >= PIPELINE_MIN_BYTES);
  } catch {
    return false; // the read reports it
  }
}

/** What the reading thread found, in line order. */
export interface PipeSink {
  /** The header, valid, at its line. */
  header(header: Header, line: number): void;
  /**
   * A valid event (as TraceValidator.accept returned it, with its actorA/actorB). Not called
   * once `problem` was. The common ones come to the four methods after, their fields as
   * arguments (no event object; Conformer.sendEvent…).
   */
  event(ev: Event, line: number, a: number, b: number): void;
  send(line: number, t: number, from: string, to: string, mid: string | number, msg: Message, a: number, b: number): void;
  /** A deliver (`drop` false) or a drop. */
  settle(line: number, t: number, mid: string | number, drop: boolean): void;
  timeout(line: number, t: number, actor: string, timer: TimerName, a: number): void;
  input(line: number, t: number, actor: string, input: Input, a: number): void;
  /** The validator's first problem, at this line. */
  problem(line: number): void;
  /** Called now and then with the line reached. */
  progress?(line: number): void;
}

export interface PipeOptions {
  readonly file: string;
  readonly maxErrors?: number;
  readonly maxLineLength?: number;
  readonly highWaterMark: number;
  readonly stopAtFirst: boolean;
  /** Tests: the worker's module (compiled JavaScript: no loader) instead of parse-worker, one that fails, to see the reader not hang. */
  readonly workerModule?: URL;
}

/** The worker's young generation, in MB (V8's default is several times larger). */
const WORKER_YOUNG_MB = 4;
/** Words consumed between two acknowledgements to the writer (it may be waiting for room). */
const ACK_EVERY = RING_WORDS >> 3;

/** The worker, from its compiled module, or (tests, tsx) from its TypeScript source through tsx's loader. */
function startWorker(data: WorkerInput, transfer: MessagePort[], module?: URL): Worker {
  const ts = !module && import.meta.url.endsWith('.ts');
  const url = module ?? new URL(ts ? './parse-worker.ts' : './parse-worker.js', import.meta.url);
  // No options of this process's command line: the worker needs none, and some would stop it
  // (`node --input-type=module -e …`, as bench/check runs the checker, passes on an --input-type
  // a worker started from a file refuses). V8's flags are the process's, the worker's too.
  // A small young generation: what the worker allocates (a string per line, its event) dies at once,
  // so scavenges stay cheap, and the process's peak RSS ~30 MB lower (login-flood bench, 1M lines:
  // 181–189 → 157–161 MB at the same speed).
  const options = { workerData: data, transferList: transfer, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };
  if (!ts) return new Worker(url, options);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * Reads, validates and decodes `path` on a worker thread into `sink`; resolves to the
 * validator's report, and where some lines start in the file (for `readLinesAt`). Rejects
 * with the read's I/O error, as `readLines` does.
 */
export async function readPiped(path: string, opts: PipeOptions, sink: PipeSink): Promise<{ report: FileReport; starts: readonly LineStart[] }> {
  const ring = new SharedArrayBuffer(RING_WORDS * 8);
  const ctrlBuf = new SharedArrayBuffer(CTRL_SLOTS * 4);
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker({ path, file: opts.file, maxErrors: opts.maxErrors, maxLineLength: opts.maxLineLength, highWaterMark: opts.highWaterMark, stopAtFirst: opts.stopAtFirst, ring, ctrl: ctrlBuf, port: port2 }, [port2], opts.workerModule);
  // The header as JSON.parse reads it (what the validator validates): parsed here while the
  // worker starts (its imports and the header's validation take ~0.2 s), used if line 1 is it.
  let first: unknown;
  try {
    const text = readLinesAt(path, [1], { maxLineLength: opts.maxLineLength }).get(1);
    if (text !== undefined) first = JSON.parse(text);
  } catch {
    // not JSON, or unreadable: the worker says what is wrong with it
  }
  let failed: Error | undefined;
  let exited = false;
  worker.on('error', (e) => { failed = e; });
  worker.on('exit', () => { exited = true; });
  const rd = new RingReader(ring, ctrlBuf, sink);
  try {
    for (;;) {
      const got = rd.drain(BUDGET);
      if (got === DRAIN_PORT) {
        const m = await take(port1);
        const line = rd.line;
        if (m.t === 'header') {
          const header = (line === 1 && first !== undefined ? first : JSON.parse(readLinesAt(path, [line], { maxLineLength: opts.maxLineLength }).get(line)!)) as Header;
          for (const a of header.actors) rd.actors.learn(a.id);
          sink.header(header, line);
        } else if (m.t === 'event') {
          const ev = m.ev as Event;
          // A valid join: the validator numbered its actor (the worker did the same).
          if (ev.type === 'join') rd.actors.learn(ev.actor.id);
          sink.event(ev, line, m.a, m.b);
        } else if (m.t === 'end') return { report: m.report as FileReport, starts: m.starts };
        else {
          // The worker's I/O error, as readLines would have thrown it (its code, errno, syscall and path).
          const e: NodeJS.ErrnoException = new Error(m.error.message);
          for (const [k, v] of Object.entries(m.error)) if (v !== undefined && k !== 'message') (e as unknown as Record<string, unknown>)[k] = v;
          throw e;
        }
      } else if (got === DRAIN_BUDGET) {
        // The event loop's turn now and then (timers, I/O of the program that called checkFile),
        // as the one-thread reader gives it every SYNC_YIELD_EVERY chunks.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (got === DRAIN_EMPTY && rd.wait() === 'timed-out') {
        // Let the worker's error or exit events in; nothing is coming while it has ended.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (failed) throw failed;
        if (exited && rd.empty()) throw new Error('snc check: the reading thread stopped before the end of the trace');
      }
    }
  } finally {
    port1.close();
    await worker.terminate();
  }
}

/** `RingReader.drain` stopped: the ring is empty; it read a PORT record; it read its budget of records. */
const DRAIN_EMPTY = 0;
const DRAIN_PORT = 1;
const DRAIN_BUDGET = 2;
/** Records read between two turns of the event loop. */
const BUDGET = 16 * 1024;

/**
 * The reading end of the ring: decodes records into the sink's calls. Its `drain` is the hot
 * loop, a plain method called again and again (an async function's loop is compiled on-stack
 * only, and falls back to the interpreter after every `await` in it: 10% more CPU measured).
 */
class RingReader {
  private readonly f: Float64Array;
  private readonly bytes: Buffer;
  private readonly ctrl: Int32Array;
  private readonly strings: string[] = [];
  // Actors by number, as the validator numbers them (the header's, then each valid join's).
  readonly actors = new ActorNumbers();
  /** Words read (an int32 counter that wraps), the writer's count last seen, the count last acknowledged. */
  private r = 0;
  private w = 0;
  private acked = 0;
  private progressAt = 0;
  /** The line of the last PORT record read. */
  line = 0;

  constructor(ring: SharedArrayBuffer, ctrl: SharedArrayBuffer, private readonly sink: PipeSink) {
    this.f = new Float64Array(ring);
    this.bytes = Buffer.from(ring);
    this.ctrl = new Int32Array(ctrl);
  }


  /** Whether every published word has been read. */
  empty(): boolean {
    return Atomics.load(this.ctrl, W) === this.r;
  }

  /** Waits (up to 20 ms) for the writer to publish more: call after `drain` said DRAIN_EMPTY. */
  wait(): 'ok' | 'not-equal' | 'timed-out' {
    const { ctrl, r } = this;
    // Say so, then look again (the writer reads the flag after publishing), then wait.
    Atomics.store(ctrl, READER_WAITS, 1);
    const waited = Atomics.load(ctrl, W) === r ? Atomics.wait(ctrl, W, r, 20) : 'not-equal';
    Atomics.store(ctrl, READER_WAITS, 0);
    return waited;
  }

  private acknowledge(): void {
    Atomics.store(this.ctrl, R, this.r);
    if (Atomics.load(this.ctrl, WRITER_WAITS) !== 0) Atomics.notify(this.ctrl, R);
    this.acked = this.r;
  }

  /** Reads records into the sink until the ring is empty, a PORT record (its line in `line`), or `budget` records. */
  drain(budget: number): number {
    const { f, strings, sink } = this;
    const actorIds = this.actors.ids;
    let r = this.r;
    for (let done = 0; done < budget; done++) {
      if (r === this.w) {
        this.r = r;
        this.acknowledge();
        this.w = Atomics.load(this.ctrl, W);
        if (r === this.w) return DRAIN_EMPTY;
      }
      if (((r - this.acked) | 0) >= ACK_EVERY) { this.r = r; this.acknowledge(); }
      const p = r & MASK;
      const op = f[p];
      if (op === OP_WRAP) {
        r = (r + RING_WORDS - p) | 0;
        continue;
      }
      if (op === OP_STR) {
        const len = f[p + 2];
        const id = f[p + 1];
        if (id === 0) strings.length = 0; // the writer started its table again
        strings[id] = this.bytes.toString('utf8', (p + 3) * 8, (p + 3) * 8 + len);
        r = (r + 3 + Math.ceil(len / 8)) | 0;
        continue;
      }
      const line = f[p + 1];
      if (line - this.progressAt >= 1024) { this.progressAt = line; sink.progress?.(line); }
      switch (op) {
        case OP_SEND: {
          const kind = f[p + 6];
          const x = f[p + 7];
          let msg: Message;
          let n = 8;
          if (kind === MSG_CONST) msg = CONSTANT_MESSAGES[x];
          else if (kind === MSG_LOGIN_REQUEST) { msg = { kind: 'LoginRequest', user: strings[x], password: strings[f[p + 8]] }; n = 9; }
          else if (kind === MSG_CONNECT_ACK) {
            const supernodes: string[] = [];
            for (let i = 0; i < x; i++) { const w = f[p + 8 + i]; supernodes.push(w >= 0 ? actorIds[w] : strings[-1 - w]); }
            msg = { kind: 'ConnectAck', supernodes };
            n += x;
          } else if (kind === MSG_IM_BATCH) msg = { kind: 'OfflineImBatch', count: x };
          else if (kind === MSG_REGISTER || kind === MSG_LOGIN_OK) {
            const credential = { user: strings[x], issuedAt: f[p + 8], expiresAt: f[p + 9], sig: strings[f[p + 10]] };
            msg = kind === MSG_REGISTER ? { kind: 'Register', credential } : { kind: 'LoginOk', credential };
            n = 11;
          } else throw new Error(`snc check: unknown message record ${kind}`);
          const a = f[p + 3];
          const b = f[p + 4];
          const m = f[p + 5];
          r = (r + n) | 0;
          sink.send(line, f[p + 2], a >= 0 ? actorIds[a] : strings[-1 - a], b >= 0 ? actorIds[b] : strings[-1 - b], m >= 0 ? m : strings[-1 - m], msg, a >= 0 ? a : -1, b >= 0 ? b : -1);
          break;
        }
        case OP_DELIVER:
        case OP_DROP: {
          const m = f[p + 3];
          r = (r + 4) | 0;
          sink.settle(line, f[p + 2], m >= 0 ? m : strings[-1 - m], op === OP_DROP);
          break;
        }
        case OP_TIMEOUT:
        case OP_INPUT: {
          const a = f[p + 3];
          const actor = a >= 0 ? actorIds[a] : strings[-1 - a];
          r = (r + 5) | 0;
          if (op === OP_TIMEOUT) sink.timeout(line, f[p + 2], actor, TIMERS[f[p + 4]] as TimerName, a >= 0 ? a : -1);
          else sink.input(line, f[p + 2], actor, CONSTANT_INPUTS[f[p + 4]] as Input, a >= 0 ? a : -1);
          break;
        }
        case OP_PROBLEM:
          r = (r + 2) | 0;
          sink.problem(line);
          break;
        case OP_PORT:
          this.r = (r + 2) | 0;
          this.line = line;
          return DRAIN_PORT;
        default:
          throw new Error(`snc check: unknown record ${op} from the reading thread`);
      }
    }
    this.r = r;
    return DRAIN_BUDGET;
  }
}

/** The next message on `port`: posted before its PORT record was published, so there (waited for, should it not be yet). */
async function take(port: MessagePort): Promise<PortMessage> {
  for (let i = 0; ; i++) {
    const got = receiveMessageOnPort(port);
    if (got) return got.message as PortMessage;
    if (i > 1000) throw new Error('snc check: a message from the reading thread went missing');
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}
