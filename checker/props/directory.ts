// directory-fresh: a LookupResult names the supernode where the user is
// registered, or one it left at most N steps ago. The monitor remembers,
// per (user, supernode), when the user last left that directory, and forgets
// departures once they are too old to excuse anything.
import type { SupernodeContext } from '../../models/index.js';
import { directoryHas } from '../../models/supernode.js';
import type { MonitorState, SysState } from '../system/state.js';
import { SUPERNODE, actorIndex } from '../system/topology.js';
import type { PropertyDef, PropParams } from './types.js';

/** `"user"@"supernode"` (JSON-quoted, so symmetry reduction can rename both). */
const depKey = (user: string, sn: string) => `${JSON.stringify(user)}@${JSON.stringify(sn)}`;

class Departures implements MonitorState, DepartureSink {
  /** True while `left` may be shared with a clone: copy before writing. */
  private shared = false;
  /** Earliest departure time in `left` (a lower bound). */
  private oldest = Infinity;
  constructor(readonly params: PropParams, public left: Map<string, number> = new Map()) {}

  clone(): Departures {
    this.shared = true;
    const c = new Departures(this.params, this.left);
    c.shared = true;
    c.oldest = this.oldest;
    return c;
  }

  /** With no departure recorded, as a new one (a stale `oldest` changes no result). */
  fresh(): boolean { return this.left.size === 0; }

  /** Live departures with their age, sorted. */
  key(step: number, time: number): string {
    if (!this.left.size) return '';
    const now = this.params.measure === 'time' ? time : step;
    const live: string[] = [];
    for (const [k, at] of this.left) if (now - at <= this.params.within) live.push(`${k}:${now - at}`);
    return live.sort().join(';');
  }

  /** Records that `user` left supernode `sn` at `at` (copy-on-write when shared with a clone). */
  record(user: string, sn: string, at: number): void {
    if (this.shared) { this.left = new Map(this.left); this.shared = false; }
    this.left.set(depKey(user, sn), at);
    if (at < this.oldest) this.oldest = at;
  }

  /**
   * Drops departures too old to excuse anything. Amortised: only once the
   * oldest is twice too old, so a rebuild happens at most once per `within`
   * (rebuilding whenever the oldest expired cost O(departures) per event at
   * scale: 8 % of a 50k-client simulation). Entries between `within` and
   * 2×`within` old stay but excuse nothing: readers compare ages with `within`.
   */
  forgetOld(now: number): void {
    if (now - this.oldest <= 2 * this.params.within) return;
    const keep = new Map<string, number>();
    let oldest = Infinity;
    for (const [k, v] of this.left) if (now - v <= this.params.within) { keep.set(k, v); if (v < oldest) oldest = v; }
    this.left = keep;
    this.shared = false;
    this.oldest = oldest;
  }
}

/**
 * Records in `dep` (at time `at`, from supernode `sn`) every user of sorted directory `before` not in sorted
 * `after`: one merge of the two `directory` arrays, where building a Set of each side's users cost two Sets an
 * event (the simulator's storms at 100k clients: 2–3% of a run). Order: the users' (a Departures map's order
 * changes no result: `key` sorts, `forgetOld` keeps by age). The recorder is passed with its arguments, not
 * as a closure over them: one closure and its context per changed directory were 72 bytes of every line
 * `snc check` reads on the login-flood bench.
 */
export function departed(before: readonly string[], after: readonly string[], dep: DepartureSink, sn: string, at: number): void {
  let j = 0;
  for (let i = 0; i < before.length; i++) {
    const u = before[i];
    // The two arrays mostly hold the same string objects (a step copies the directory, it does not rebuild
    // the users' names): `===` is a pointer comparison for those, where `<` compared their characters.
    if (j < after.length && after[j] === u) { j++; continue; }
    // A repeated user (a list that is not a set) is recorded once. Asked only here, past the match above: two
    // different strings are compared by their characters, a cache miss on each at 100k clients, and asked first
    // for every user this was most of the merge (4% of a quiet hour of the simulator at 100k clients).
    if (i > 0 && before[i - 1] === u) continue;
    while (j < after.length && after[j] < u) j++;
    if (j === after.length || after[j] !== u) dep.record(u, sn, at);
  }
}

/** What `departed` records into (Departures). */
export interface DepartureSink {
  record(user: string, sn: string, at: number): void;
}

const NONE: readonly string[] = [];

export const directoryFresh: PropertyDef = {
  id: 'directory-fresh',
  kind: 'response',
  statement: 'A LookupResult names the supernode where the user is registered, or one it left at most N steps ago.',
  defaults: { within: 6, measure: 'global' },
  paramNote: 'N: how stale an answer may be, in steps since the user left that supernode',
  needsInput: 'Lookup',
  create(params) {
    const def = directoryFresh;
    const clock = (st: SysState) => (params.measure === 'time' ? st.time : st.step);
    return {
      def, params,
      init: () => new Departures(params),
      observe(m, o, st, sys) {
        const dep = m as Departures;
        dep.forgetOld(clock(st));
        for (let ti = 0; ti < o.touched.length; ti++) { // indexed: see response.ts on for…of
          const t = o.touched[ti];
          if (sys.topo.roleCode[t.idx] !== SUPERNODE || t.before?.ctx === t.after?.ctx) continue;
          // The directories (sorted users, derived from the attachments by the model) are compared, not the
          // attachments: a step that changes no registration keeps the directory array (a Keepalive, a sweep
          // that drops nobody), and the merge compares strings the two arrays share by identity, where reading
          // each attachment's user missed the cache once the lists were copied or shifted (an Unregister: 2 µs
          // of this monitor per event in the 100k-client simulation).
          const before = (t.before?.ctx as SupernodeContext | undefined)?.directory;
          const after = (t.after?.ctx as SupernodeContext | undefined)?.directory ?? NONE;
          if (!before?.length || before === after) continue;
          const sn = sys.topo.ids[t.idx];
          const at = clock(st);
          departed(before, after, dep, sn, at);
        }
        if (o.type !== 'send' || o.ev.type !== 'send' || o.msg?.kind !== 'LookupResult' || o.msg.supernode === null) return null;
        const { user, supernode } = o.msg;
        const i = actorIndex(sys.topo, supernode);
        // An answer may name any actor (a wrong implementation's): only a supernode has a directory.
        const role = i === undefined ? undefined : sys.topo.roles[i];
        const l = role === 'supernode' ? st.locals[i!] : null;
        if (l && directoryHas(l.ctx as SupernodeContext, user)) return null;
        const leftAt = dep.left.get(depKey(user, supernode));
        if (leftAt !== undefined && clock(st) - leftAt <= params.within) return null;
        return {
          type: 'violation', property: 'directory-fresh', actors: [o.ev.from, o.ev.to, supernode],
          explanation: `${o.ev.from} told ${o.ev.to} that ${JSON.stringify(user)} is at ${supernode}, but ${role !== undefined && role !== 'supernode' ? `${supernode} is ${role === 'client' ? 'a client' : `the ${role} server`}, not a supernode` : leftAt === undefined ? 'the user was never registered there' : `the user left it ${clock(st) - leftAt} steps ago`} (N=${params.within})`,
        };
      },
    };
  },
};
