// The explorer's network: the messages in flight of one state as a plain
// array in send order, behind the part of Map's interface that SysState.net's
// users call (so it stands in for the Map, as checker/system/mid-map.ts's MidMap
// does for the checker).
//
// Why: the explorer clones a state per transition, and a Map is copied entry by
// entry into a new hash table (SysState.clone with that copy was ~11% of the
// search's time), which each queued state then keeps for the garbage collector
// to copy. Here a clone is one array slice. Lookups are linear scans, cheap at
// the explorer's few messages in flight. `successor` builds a successor's
// network in one pass (the explorer's cached transitions).
//
// Every entry is keyed by its message's own id (`set(m.mid, m)`, as System
// does); `set` with any other key throws. Iteration order, `size`, and
// overwrite-in-place behave as a Map's; iterating while entries are deleted
// does not (an iteration may skip the entry after a deleted one), which no
// caller does: they copy the messages first, as System.crash does.
import type { InFlight, Mid } from './state.js';

export class PackedNet {
  /** The messages in flight, in send order. */
  constructor(private ms: InFlight[] = []) {}

  /** A copy (one array slice; the messages themselves are shared, being immutable apart from their caches). */
  clone(): PackedNet { return new PackedNet(this.ms.slice()); }

  get size(): number { return this.ms.length; }

  /**
   * A successor's network built in one pass (the explorer's cached transitions,
   * checker/explore/successors.ts): these messages without `gone` (if given),
   * then `outs` sent by actor `from` with ids `firstMid`, `firstMid + 1`, …, as
   * System.send would put them.
   */
  successor(gone: InFlight | undefined, from: number, outs: readonly { readonly to: number; readonly msg: InFlight['msg']; readonly fpa: number; readonly fpb: number; readonly tid: number }[], firstMid: number): PackedNet {
    const ms = this.ms;
    let kept = ms.length;
    if (gone !== undefined) for (let i = 0; i < ms.length; i++) if (ms[i] === gone) { kept--; break; }
    // Exact size (a queued state keeps it): an array grown by push keeps room for 17.
    const out = new Array<InFlight>(kept + outs.length);
    let j = 0;
    for (let i = 0; i < ms.length; i++) if (ms[i] !== gone) out[j++] = ms[i];
    for (let k = 0; k < outs.length; k++) {
      const o = outs[k];
      // The shape System.send gives every message, caches filled.
      out[j++] = { mid: firstMid + k, from, to: o.to, msg: o.msg, key: undefined, fpa: o.fpa, fpb: o.fpb, tid: o.tid };
    }
    return new PackedNet(out);
  }

  private find(k: Mid): number {
    const ms = this.ms;
    for (let i = 0; i < ms.length; i++) if (ms[i].mid === k) return i;
    return -1;
  }

  get(k: Mid): InFlight | undefined {
    const i = this.find(k);
    return i < 0 ? undefined : this.ms[i];
  }

  has(k: Mid): boolean { return this.find(k) >= 0; }

  set(k: Mid, m: InFlight): this {
    if (k !== m.mid) throw new Error(`PackedNet: message ${String(m.mid)} set under key ${String(k)}`);
    const i = this.find(k);
    if (i >= 0) this.ms[i] = m; else this.ms.push(m);
    return this;
  }

  delete(k: Mid): boolean {
    const ms = this.ms;
    const i = this.find(k);
    if (i < 0) return false;
    // Shifted down and popped: `length =` and splice are runtime calls (splice also allocates).
    for (let j = i + 1; j < ms.length; j++) ms[j - 1] = ms[j];
    ms.pop();
    return true;
  }

  clear(): void { while (this.ms.length) this.ms.pop(); }

  forEach(fn: (m: InFlight, k: Mid, net: this) => void, thisArg?: unknown): void {
    const ms = this.ms;
    for (let i = 0; i < ms.length; i++) fn.call(thisArg, ms[i], ms[i].mid, this);
  }

  /** An array iterator (which V8 optimises in for…of) over the live array. */
  values(): IterableIterator<InFlight> { return this.ms.values(); }
  *keys(): IterableIterator<Mid> { for (const m of this.ms) yield m.mid; }
  *entries(): IterableIterator<[Mid, InFlight]> { for (const m of this.ms) yield [m.mid, m]; }
  [Symbol.iterator](): IterableIterator<[Mid, InFlight]> { return this.entries(); }
  get [Symbol.toStringTag](): string { return 'Map'; }

  /** Replaces a state's Map of messages by a PackedNet with the same entries, in the same order. */
  static install(st: { net: Map<Mid, InFlight> }): void {
    const net = new PackedNet();
    st.net.forEach((m, mid) => net.set(mid, m));
    st.net = net as unknown as Map<Mid, InFlight>;
  }
}
