// The BFS queue, packed: a queued state is a record of numbers in one
// Int32Array (its node id, next message id, step, the sums of its messages'
// fingerprint lanes, the id of each actor's local state, and the id of each
// message in flight, interned by message id and content), plus the object
// parts it shares with others (budget, down hosts, monitors, partition flag,
// clock: `Extras`, one object for every run of states that have the same
// ones, kept once per run of records in a side array). A state is rebuilt as a SysState when it is
// expanded, and dropped after: the queue holds no object per state for the
// garbage collector to copy and promote (as a queue of SysStates did: a
// SysState, a locals array, a network and its array per queued state).
//
// Local states are kept by identity (ids from Transitions.localId), so a
// rebuilt state has the very same local state objects. Messages in flight are
// interned by (message id, interned message): a rebuilt state's messages
// are the first ones seen with that id and content (equal in every field; the
// explorer's message ids are numbers).
//
// A successor by a cached transition (checker/explore/successors.ts) is
// written from the record of the state being expanded, without building it:
// `pushStep`.
import { SysState, type BudgetLeft, type InFlight, type Mid, type MonitorState } from '../system/state.js';
import type { Local } from '../../models/index.js';
import { PackedNet } from '../system/packed-net.js';
import type { Transition, Transitions } from './successors.js';
import { messageLanes } from './fingerprint.js';

/** The object parts of a queued state. */
interface Extras {
  readonly budget: BudgetLeft;
  readonly down: ReadonlySet<string>;
  readonly monitors: MonitorState[];
  readonly partitioned: boolean;
  readonly time: number;
}

/**
 * Record layout: node, nextMid, step, message count k, the sums of the
 * messages' fingerprint lanes (fingerprint.ts: netPart), 1 when its Extras
 * differ from the previous record's (and are the next in `side`) else 0, then
 * n local ids, then k interned message ids.
 */
const HEAD = 7;

export class StateQueue {
  private buf = new Int32Array(1 << 16);
  private head = 0;
  private tail = 0;
  /** The Extras of the queued records, in queue order, each once for a run of records that have the same. */
  private side: (Extras | undefined)[] = [];
  private sideHead = 0;
  /** The Extras of the last record queued, and of the last taken. */
  private pushed: Extras | undefined;
  private taken: Extras | undefined;
  private count = 0;
  private last: Extras | undefined;
  /** Interned messages in flight: ids by interned message (tid), then by message id; and the messages by id. */
  private readonly iids: (Map<number, number> | undefined)[] = [];
  private readonly table: InFlight[] = [];

  // The record of the state last taken by `shift` (what `pushStep` builds on).
  /** Its node id. */
  node = -1;
  /** Its local state ids. */
  readonly curIds: Int32Array;
  private curIids = new Int32Array(16);
  private curMs: InFlight[] = [];
  private curK = 0;
  private curNextMid = 0;
  private curStep = 0;
  private curExtras: Extras | undefined;
  /** The sums of its messages' fingerprint lanes (uint32). */
  curNa = 0;
  curNb = 0;

  constructor(private readonly trans: Transitions, private readonly n: number) {
    this.curIds = new Int32Array(n);
  }

  /** Queued states. */
  get size(): number { return this.count; }

  private room(words: number): void {
    if (this.tail + words <= this.buf.length) return;
    // Move the live records to the front when that frees enough, else grow.
    const live = this.tail - this.head;
    if (this.head >= this.buf.length / 2 && live + words <= this.buf.length / 2) {
      this.buf.copyWithin(0, this.head, this.tail);
    } else {
      let size = this.buf.length * 2;
      while (size < live + words) size *= 2;
      const b = new Int32Array(size);
      b.set(this.buf.subarray(this.head, this.tail));
      this.buf = b;
    }
    this.tail = live;
    this.head = 0;
  }

  private extrasOf(st: SysState): Extras {
    const x = this.last;
    if (x && x.budget === st.budget && x.down === st.down && x.monitors === st.monitors && x.partitioned === st.partitioned && x.time === st.time) return x;
    return (this.last = { budget: st.budget, down: st.down, monitors: st.monitors, partitioned: st.partitioned, time: st.time });
  }

  /** Queues the Extras of a record unless they are the previous record's: 1 if queued, else 0. */
  private pushSide(x: Extras): number {
    this.count++;
    if (x === this.pushed) return 0;
    if (this.sideHead > 65536 && this.sideHead * 2 > this.side.length) { this.side = this.side.slice(this.sideHead); this.sideHead = 0; }
    this.side.push(x);
    this.pushed = x;
    return 1;
  }

  /** The id of the interned message in flight `mid` with content `tid` (`m`, if given and none is yet). */
  private intern(mid: number, tid: number, m?: InFlight): number {
    let row = this.iids[tid];
    if (row === undefined) { row = new Map(); this.iids[tid] = row; }
    let x = row.get(mid);
    if (x === undefined) {
      if (m === undefined) {
        const p = this.trans.tidMsg[tid];
        // The shape System.send gives every message.
        m = { mid, from: p.from, to: p.to, msg: p.msg, key: p.key, fpa: p.fpa, fpb: p.fpb, tid };
      }
      x = this.table.length;
      this.table.push(m);
      row.set(mid, x);
    }
    return x;
  }

  /**
   * Queues `st` as node `node`. `parent` (optional): the locals of the state
   * being expanded, whose ids are those of the last `shift` (saves lookups).
   */
  push(node: number, st: SysState, parent?: readonly (Local | null)[]): void {
    const n = this.n;
    const k = st.net.size;
    this.room(HEAD + n + k);
    const b = this.buf;
    let t = this.tail;
    b[t++] = node;
    b[t++] = st.nextMid;
    b[t++] = st.step;
    b[t++] = k;
    const sums = t;
    t += 2;
    const flag = t++;
    const ls = st.locals;
    for (let i = 0; i < n; i++) b[t++] = parent !== undefined && ls[i] === parent[i] ? this.curIds[i] : this.trans.localId(ls[i]);
    let na = 0;
    let nb = 0;
    for (const m of st.net.values()) {
      const mid = m.mid;
      if (typeof mid !== 'number') throw new Error(`explorer: message id ${JSON.stringify(mid)} is not a number`);
      b[t++] = this.intern(mid, this.trans.tidOf(m), m);
      if (m.fpa === undefined) messageLanes(m);
      na = (na + m.fpa!) >>> 0;
      nb = (nb + m.fpb!) >>> 0;
    }
    b[sums] = na;
    b[sums + 1] = nb;
    this.tail = t;
    b[flag] = this.pushSide(this.extrasOf(st));
  }

  /**
   * Queues as node `node` the successor of the last state taken by `shift`
   * by the cached transition `e` (the message `gone` delivered; undefined: a timer).
   * Its monitors are the state's (a cached transition starts and ends with the shared fresh ones).
   */
  pushStep(node: number, e: Transition, gone: InFlight | undefined): void {
    const n = this.n;
    const outs = e.outs;
    const k = this.curK - (gone !== undefined ? 1 : 0) + outs.length;
    this.room(HEAD + n + k);
    const b = this.buf;
    let t = this.tail;
    b[t++] = node;
    b[t++] = this.curNextMid + outs.length;
    b[t++] = this.curStep + 1;
    b[t++] = k;
    b[t++] = (this.curNa - (gone !== undefined ? gone.fpa! : 0) + e.outA) >>> 0;
    b[t++] = (this.curNb - (gone !== undefined ? gone.fpb! : 0) + e.outB) >>> 0;
    const flag = t++;
    const ids = this.curIds;
    for (let i = 0; i < n; i++) b[t++] = ids[i];
    b[t - n + e.actor] = e.nextId;
    const ms = this.curMs;
    const iids = this.curIids;
    for (let j = 0; j < this.curK; j++) if (ms[j] !== gone) b[t++] = iids[j];
    for (let j = 0; j < outs.length; j++) b[t++] = this.intern(this.curNextMid + j, outs[j].tid);
    this.tail = t;
    b[flag] = this.pushSide(this.curExtras!);
  }

  /** Takes the next state off the queue, rebuilt (its node id in `node`). */
  shift(): SysState {
    const b = this.buf;
    let h = this.head;
    this.node = b[h++];
    const nextMid = b[h++];
    const step = b[h++];
    const k = b[h++];
    this.curNa = b[h++] >>> 0;
    this.curNb = b[h++] >>> 0;
    const fresh = b[h++];
    const n = this.n;
    const localOf = this.trans.localOf;
    const locals = new Array<Local | null>(n);
    const ids = this.curIds;
    for (let i = 0; i < n; i++) {
      const id = b[h++];
      ids[i] = id;
      locals[i] = id < 0 ? null : localOf[id];
    }
    if (this.curIids.length < k) this.curIids = new Int32Array(k * 2);
    const ms = new Array<InFlight>(k);
    const table = this.table;
    for (let j = 0; j < k; j++) {
      const iid = b[h++];
      this.curIids[j] = iid;
      ms[j] = table[iid];
    }
    this.curMs = ms;
    this.head = h;
    this.curK = k;
    this.curNextMid = nextMid;
    this.curStep = step;
    let x = this.taken!;
    if (fresh) {
      x = this.side[this.sideHead]!;
      this.side[this.sideHead++] = undefined;
      this.taken = x;
    }
    this.count--;
    this.curExtras = x;
    return new SysState(locals, new PackedNet(ms) as unknown as Map<Mid, InFlight>, nextMid, x.budget, x.monitors, x.down, x.partitioned, step, x.time);
  }
}
