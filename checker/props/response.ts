// The bounded-response properties of PROTOCOL.md: after a trigger, a response
// must follow within N steps (global, of the obliged actor, or clock ms).
// Each keeps its open obligations as monitor state (checker/props/obligations.ts).
// Speed (issue #5): the per-observation loops are indexed and allocate no
// closure or array; `for…of` iterators and closures here were allocated on
// every observation (~20 MB per 300k events of the login-flood bench, with
// directory-fresh's), as they are not always optimised away.
import type { ClientContext, Local, SupernodeContext } from '../../models/index.js';
import { keptPrefix } from '../../models/client.js';
import type { Observation, System } from '../system/system.js';
import type { SysState } from '../system/state.js';
import { CLIENT, SUPERNODE, actorIndex } from '../system/topology.js';
import { Obligations, type Obligation } from './obligations.js';
import type { Pending, PropertyDef, PropParams, Verdict } from './types.js';

interface ResponseSpec {
  readonly id: string;
  readonly statement: string;
  readonly defaults: PropParams;
  readonly paramNote: string;
  /** Opens and discharges obligations for one observation. */
  update(ob: Obligations, o: Observation, st: SysState, sys: System): void;
  /** At the deadline: the violation, or null when the obligation is excused. */
  expire(ob: Obligation, st: SysState, sys: System): string | null;
  /** Describes an obligation still open at the end. */
  describe(ob: Obligation, sys: System): string;
  /** Whether a step of the obliged actor counts towards N (default: always). */
  counts?(actor: number, st: SysState, sys: System): boolean;
  /**
   * False when `update` cannot open an obligation at `o` (a cheap over-approximation):
   * with none open, such an observation is then skipped altogether.
   */
  mayOpen?(o: Observation): boolean;
}

/** Whether an actor the observation touched was online before it (a module-level function: no closure per call). */
function touchedOnline(o: Observation): boolean {
  const t = o.touched;
  for (let k = 0; k < t.length; k++) if (t[k].before?.value === 'online') return true;
  return false;
}

function responseProperty(spec: ResponseSpec): PropertyDef {
  const def: PropertyDef = {
    id: spec.id, kind: 'response', statement: spec.statement, defaults: spec.defaults, paramNote: spec.paramNote,
    create(params) {
      const verdictOf = (ob: Obligation, st: SysState, sys: System): Verdict | null => {
        const why = spec.expire(ob, st, sys);
        if (why === null) return null;
        const actors = [sys.topo.ids[ob.actor], ...(ob.other >= 0 ? [sys.topo.ids[ob.other]] : [])];
        return { type: 'violation', property: spec.id, actors, explanation: `${why} (N=${params.measure === 'time' ? `${params.within} ms` : `${params.within}, ${params.measure} steps`})` };
      };
      return {
        def, params,
        init: () => new Obligations(params.measure, params.within),
        observe(m, o, st, sys) {
          const ob = m as Obligations;
          if (!ob.size && spec.mayOpen && !spec.mayOpen(o)) return null;
          const touched = o.touched;
          for (let k = 0; k < touched.length; k++) {
            const i = touched[k].idx;
            if (!spec.counts || (ob.has(i) && spec.counts(i, st, sys))) ob.tick(i);
          }
          spec.update(ob, o, st, sys);
          if (!ob.size) return null;
          // Each due obligation is one violation (several fall due at once: the clients of one crashed
          // supernode); the first is returned with the number of them all (Verdict.count).
          let first: Verdict | null = null;
          let n = 0;
          for (const e of ob.takeExpired(st.step, st.time, touched)) {
            const v = verdictOf(e, st, sys);
            if (v) { n++; first ??= v; }
          }
          return n > 1 ? { ...first!, count: n } : first;
        },
        finish(m, st, sys, terminal) {
          const ob = m as Obligations;
          const violations: Verdict[] = [];
          const due = terminal ? ob.takeAll() : ob.takeExpired(st.step, st.time);
          for (const e of due) { const v = verdictOf(e, st, sys); if (v) violations.push(v); }
          const pending: Pending[] = ob.list.map((e) => ({ property: spec.id, actors: [sys.topo.ids[e.actor]], explanation: spec.describe(e, sys) }));
          return { violations, pending };
        },
      };
    },
  };
  return def;
}

/** Clients registered at supernode `sn` (before a crash) that are online there. */
function clientsOnlineAt(sn: SupernodeContext, st: SysState, sys: System): number[] {
  const out: number[] = [];
  for (const a of sn.clients) {
    if (a.user === null) continue;
    const i = sys.topo.index.get(a.client);
    const l = i === undefined ? null : st.locals[i];
    if (l && l.value === 'online' && (l.ctx as ClientContext).target === sn.cfg.id) out.push(i!);
  }
  return out;
}

/** Opens an obligation for each client online at a supernode that crashed in this observation. */
function openOnUpstreamCrash(ob: Obligations, o: Observation, st: SysState, sys: System): void {
  if (o.type !== 'crash') return;
  for (let ti = 0; ti < o.touched.length; ti++) {
    const t = o.touched[ti];
    if (sys.topo.roleCode[t.idx] !== SUPERNODE || !t.before) continue;
    for (const c of clientsOnlineAt(t.before.ctx as SupernodeContext, st, sys)) ob.open(c, t.idx, st.step, st.time);
  }
}

/**
 * Memos of `hasLiveRoom`, per topology, by actor index. reattach-within asks, at every step of
 * an obliged client, whether a supernode of its host cache is serving with spare capacity: in
 * the login-flood storm (issue #5) a million times over 10M lines, 28 cache entries each on
 * average, 99% of the calls finding none. With a WeakMap from each cache array to its indices
 * and each supernode's state, context, client list and config read every time, that was 4.7%
 * of `snc check --hidden 2` on that bench; 3.1% with these dense arrays by actor:
 * - per client, the indices of its host cache, recomputed when the cache array changes (a
 *   context's arrays are never written: a new cache is a new array);
 * - per actor, whether its local state is a supernode serving with spare capacity, recomputed
 *   when the state object changes (local states are never written: a step makes a new one).
 *   At most one old state per supernode stays alive through it.
 */
export class RoomMemo {
  private readonly lists: (readonly string[] | null)[];
  private readonly idx: Int32Array[];
  private readonly of: (Local | null)[];
  private readonly room: Uint8Array;

  constructor(private readonly topo: System['topo']) {
    const n = topo.ids.length;
    this.lists = new Array<readonly string[] | null>(n).fill(null);
    this.idx = new Array<Int32Array>(n).fill(NO_INDICES);
    this.of = new Array<Local | null>(n).fill(null);
    this.room = new Uint8Array(n);
  }

  /**
   * The actor indices of `list`, the host cache of actor `actor` (-1: not an actor). A ConnectAck appends to a
   * cache (models/client.ts mergeHostCache: a copy with the new ids after the old): when the new list starts with
   * the last one's ids, only the rest are looked up (each a hash lookup; a cache holds dozens of ids, and the full
   * recount was 0.6% of the 100k-client outage's storm hours).
   */
  indices(actor: number, list: readonly string[]): Int32Array {
    const old = this.lists[actor];
    if (old === list) return this.idx[actor];
    const n = keptPrefix(list, old);
    const idx = new Int32Array(list.length);
    if (n > 0) idx.set(this.idx[actor]);
    for (let k = n; k < list.length; k++) idx[k] = actorIndex(this.topo, list[k]) ?? -1;
    this.idx[actor] = idx;
    this.lists[actor] = list;
    return idx;
  }

  /** The first supernode of client `actor`'s host cache that is serving with spare capacity, or null. */
  liveRoom(actor: number, st: SysState): string | null {
    const l = st.locals[actor];
    if (!l) return null;
    const cache = (l.ctx as ClientContext).hostCache;
    const idx = this.indices(actor, cache);
    const { of, room } = this;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (i < 0) continue;
      // Compared before anything is read from the state (even `!s` reads its map); null: absent, no room.
      const s = st.locals[i];
      if (of[i] !== s) {
        const sn = s?.ctx as SupernodeContext | undefined;
        room[i] = s !== null && s.value === 'serving' && sn!.clients.length < sn!.cfg.capacity ? 1 : 0;
        of[i] = s;
      }
      if (room[i] === 1) return cache[k];
    }
    return null;
  }
}
const NO_INDICES = new Int32Array(0);
const roomMemos = new WeakMap<System['topo'], RoomMemo>();

/** The first supernode of client `actor`'s host cache that is serving with spare capacity, or null. */
function hasLiveRoom(actor: number, st: SysState, sys: System): string | null {
  let memo = roomMemos.get(sys.topo);
  if (!memo) roomMemos.set(sys.topo, (memo = new RoomMemo(sys.topo)));
  return memo.liveRoom(actor, st);
}

export const reattachWithin = responseProperty({
  id: 'reattach-within',
  statement: "After a client's upstream fails (crash, Closing, lost keepalives), the client is online again within N steps, provided some live supernode with spare capacity is in its host cache.",
  defaults: { within: 12, measure: 'actor' },
  paramNote: 'N: steps of the client, counted while some supernode in its host cache is serving with spare capacity, until it is online again',
  // The clock runs only while the proviso holds: steps spent while every known supernode is down or full do not count.
  counts: (actor, st, sys) => hasLiveRoom(actor, st, sys) !== null,
  mayOpen: (o) => o.type === 'crash' || touchedOnline(o),
  update(ob, o, st, sys) {
    openOnUpstreamCrash(ob, o, st, sys);
    for (let ti = 0; ti < o.touched.length; ti++) {
      const t = o.touched[ti];
      if (sys.topo.roleCode[t.idx] !== CLIENT) continue;
      const after = t.after?.value;
      if (after === 'offline' || after === 'crashed' || after === undefined) { ob.discharge(t.idx); continue; }
      if (after === 'online') {
        // Nothing to discharge: the rest of the state is not read (the explorer caches a
        // transition whose monitors read only the observation: checker/explore/successors.ts).
        if (!ob.has(t.idx)) continue;
        // Online again, but only counts at a supernode that is up (not still at the failed one).
        const target = (t.after!.ctx as ClientContext).target;
        const up = target === null ? undefined : actorIndex(sys.topo, target);
        if (up !== undefined && st.locals[up]?.value === 'serving') ob.discharge(t.idx);
        continue;
      }
      if (t.before?.value === 'online' && after === 'connecting') ob.open(t.idx, actorIndex(sys.topo, (t.before.ctx as ClientContext).target ?? '') ?? -1, st.step, st.time);
    }
  },
  expire(ob, st, sys) {
    const l = st.locals[ob.actor];
    if (!l) return null;
    const c = l.ctx as ClientContext;
    const up = c.target === null ? undefined : actorIndex(sys.topo, c.target);
    if (l.value === 'online' && up !== undefined && st.locals[up]?.value === 'serving') return null;
    const room = hasLiveRoom(ob.actor, st, sys);
    if (room === null) return null; // excused: no live supernode with spare capacity in its host cache
    return `${c.cfg.id} lost its upstream ${ob.other >= 0 ? sys.topo.ids[ob.other] : ''} and is still ${l.value}, although ${room} in its host cache is serving with spare capacity`;
  },
  describe: (ob, sys) => `${sys.topo.ids[ob.actor]} has not reattached yet`,
});

export const noticeDeadUpstream = responseProperty({
  id: 'notice-dead-upstream',
  statement: 'No client stays online at a crashed supernode for more than N steps.',
  defaults: { within: 8, measure: 'actor' },
  paramNote: 'N: steps a client may stay online at a crashed upstream',
  mayOpen: (o) => o.type === 'crash',
  update(ob, o, st, sys) {
    openOnUpstreamCrash(ob, o, st, sys);
    for (let ti = 0; ti < o.touched.length; ti++) {
      const t = o.touched[ti];
      if (sys.topo.roleCode[t.idx] !== CLIENT || !ob.has(t.idx)) continue;
      const l = t.after;
      for (const e of ob.of(t.idx)) {
        if (e.actor === t.idx && !(l && l.value === 'online' && (l.ctx as ClientContext).target === sys.topo.ids[e.other])) ob.discharge(t.idx, e.other);
      }
    }
  },
  expire(ob, st, sys) {
    const l = st.locals[ob.actor];
    return `${sys.topo.ids[ob.actor]} is still ${l?.value} at ${sys.topo.ids[ob.other]}, which crashed`;
  },
  describe: (ob, sys) => `${sys.topo.ids[ob.actor]} has not noticed that ${sys.topo.ids[ob.other]} crashed yet`,
});

const ANSWERS = new Set(['LoginOk', 'LoginDenied', 'LoginBusy']);

export const loginAnswered = responseProperty({
  id: 'login-answered',
  statement: 'Every LoginRequest delivered to an up auth gets an answer within N steps.',
  defaults: { within: 6, measure: 'actor' },
  paramNote: 'N: steps of auth until it answers',
  mayOpen: (o) => o.type === 'deliver' && o.msg?.kind === 'LoginRequest',
  update(ob, o, st, sys) {
    if (o.type === 'deliver' && o.msg?.kind === 'LoginRequest' && o.to !== undefined && o.from !== undefined) {
      let before: Local | null | undefined;
      for (let k = 0; k < o.touched.length; k++) if (o.touched[k].idx === o.to) { before = o.touched[k].before; break; }
      if (before?.value === 'up') ob.open(o.to, o.from, st.step, st.time);
    } else if (o.type === 'send' && o.msg && ANSWERS.has(o.msg.kind) && o.from !== undefined && o.to !== undefined) {
      ob.discharge(o.from, o.to);
    }
  },
  expire(ob, st, sys) {
    const l = st.locals[ob.actor];
    if (!l || l.value !== 'up') return null; // auth went down or overloaded meanwhile: out of scope
    return `${sys.topo.ids[ob.actor]} has not answered ${sys.topo.ids[ob.other]}'s LoginRequest`;
  },
  describe: (ob, sys) => `${sys.topo.ids[ob.actor]} owes ${sys.topo.ids[ob.other]} an answer`,
});
