// Memoised local steps for the explorer, where model time is constant (step
// clock): every distinct local state is interned (one object per canonical
// encoding), and the result of stepping an interned state with an event is
// remembered. Across the millions of global states of a search the same few
// thousand (local state, event) pairs recur, so nearly every step is a lookup.
// Also gives each interned local state a 2-lane hash for fingerprints.
import { ROLES, encode, type Local, type ModelEvent, type Role, type StepResult } from '../../models/index.js';
import { canonicalJson } from '../../models/canonical.js';
import type { Message } from '../../schemas/generated/trace.js';

const msgKeys = new WeakMap<object, string>();
/** Canonical text of a message object (cached on the object). */
export function msgKey(m: Message): string {
  let k = msgKeys.get(m);
  if (k === undefined) { k = canonicalJson(m); msgKeys.set(m, k); }
  return k;
}

function eventKey(ev: ModelEvent): string {
  if ('msg' in ev) return `${ev.type}|${ev.from}|${msgKey(ev.msg)}`;
  if ('input' in ev) return `${ev.type}|${canonicalJson(ev.input)}`;
  return ev.type;
}

/** Memoised steps of one interned local state. */
interface Row {
  /** By canonical event text. */
  readonly byKey: Map<string, StepResult>;
  /**
   * By the identity of the event's message or input object, then by sender
   * (message) or event type (input): the same objects recur (memoised outboxes,
   * the explorer's shared inputs), so most lookups build no key text at all.
   * Weak: a message made afresh each time (a forged Register) is not kept alive.
   */
  readonly byObj: WeakMap<object, Map<string, StepResult>>;
}

export class LocalMemo {
  private readonly interned = new Map<string, Local>();
  private readonly memo = new WeakMap<Local, Row>();
  readonly hashes = new WeakMap<Local, [number, number]>();
  hits = 0;
  misses = 0;

  constructor(private readonly hash: (s: string) => [number, number]) {}

  /** The interned copy of `l` (registering it if new). Per actor: equal states of two actors differ in `cfg`. */
  intern(l: Local): Local {
    const enc = encode(l);
    const k = `${l.ctx.cfg.id}\u0000${enc}`;
    const found = this.interned.get(k);
    if (found) return found;
    this.interned.set(k, l);
    this.hashes.set(l, this.hash(enc));
    return l;
  }

  /** Steps an interned local state; the result's `next` is interned. */
  step(role: Role, local: Local, ev: ModelEvent): StepResult {
    let row = this.memo.get(local);
    if (!row) { row = { byKey: new Map(), byObj: new WeakMap() }; this.memo.set(local, row); }
    const obj: object | undefined = 'msg' in ev ? ev.msg : 'input' in ev ? ev.input : undefined;
    if (obj === undefined) return this.byKey(row, role, local, ev);
    const sub = 'msg' in ev ? ev.from : ev.type;
    let bySub = row.byObj.get(obj);
    const hit = bySub?.get(sub);
    if (hit) { this.hits++; return hit; }
    const res = this.byKey(row, role, local, ev);
    if (!bySub) { bySub = new Map(); row.byObj.set(obj, bySub); }
    bySub.set(sub, res);
    return res;
  }

  private byKey(row: Row, role: Role, local: Local, ev: ModelEvent): StepResult {
    const k = eventKey(ev);
    const hit = row.byKey.get(k);
    if (hit) { this.hits++; return hit; }
    this.misses++;
    const r = ROLES[role].step(local, ev);
    const res: StepResult = r.taken ? { ...r, next: this.intern(r.next) } : r;
    row.byKey.set(k, res);
    return res;
  }

  get size(): number { return this.interned.size; }
}
