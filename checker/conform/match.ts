// When does a recorded message count as the one the model emitted? Exactly,
// except where the model abstracts:
// - credentials: the model signs with a symbolic scheme an implementation
//   need not share. A LoginOk from auth matches the model's LoginOk for the
//   same user, and from then on the recorded credential is an alias of the
//   model's one: recorded messages carrying it are translated before the model
//   sees them (a recorded credential equal to the model's needs no alias). A
//   credential auth never issued has no alias, so the model's own verification
//   rejects it;
// - ConnectAck's supernode list is a set; OfflineImBatch's count is not modelled.
import { canonicalJson } from '../../models/canonical.js';
import type { Credential, Message } from '../../schemas/generated/trace.js';

export class CredentialAliases {
  private readonly map = new Map<string, Credential>();

  /**
   * Remembers that the recorded credential stands for the model's. A recorded
   * credential equal to the model's needs no alias (and forgets an earlier one):
   * a recorder that signs as the model does (the simulator) would otherwise add
   * one per login, a table growing with the length of the trace (issue #5: 2 MB
   * by the login-flood bench's 5.5M lines), and make every credential-carrying
   * message pay a lookup. The model then sees the recorded credential, equal to
   * its own.
   */
  learn(model: Credential, recorded: Credential): void {
    const k = canonicalJson(recorded);
    if (k === canonicalJson(model)) this.map.delete(k);
    else this.map.set(k, model);
  }

  /**
   * The other way, for reports only (a scan of the aliases: not on the hot path):
   * the recorded credential that stands for the model's `model`, or undefined when
   * none does (the recorder signs as the model does, or no recorded LoginOk issued it).
   */
  toRecorded(model: Credential): Credential | undefined {
    const k = canonicalJson(model);
    for (const [recorded, m] of this.map) {
      if (m.sig !== model.sig || canonicalJson(m) !== k) continue;
      // The key is canonical JSON (sorted keys): back in the model's field order, so the two read side by side.
      const r = JSON.parse(recorded) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of Object.keys(model)) if (f in r) out[f] = r[f];
      return Object.assign(out, r) as unknown as Credential;
    }
    return undefined;
  }

  /** `msg` with a recorded credential replaced by the model's (unchanged when unknown). */
  toModel(msg: Message): Message {
    // The size first: it is 0 whenever the recorder signs as the model does, and `in` on
    // the many message shapes is a megamorphic lookup, once a recorded send (issue #5:
    // -100 instructions a line on the login-flood bench).
    if (this.map.size === 0 || !('credential' in msg)) return msg;
    const m = this.map.get(canonicalJson(msg.credential));
    return m ? ({ ...msg, credential: m } as Message) : msg;
  }
}

/** Whether `recorded` (already translated by the aliases) is the message `model`. */
export function messageMatches(model: Message, recorded: Message): boolean {
  return matchesKind(model, recorded, recorded.kind);
}

/**
 * `messageMatches` with `kind`, `recorded.kind`, read by the caller once for every
 * candidate: a `kind` load on the many message shapes is megamorphic (issue #5).
 */
export function matchesKind(model: Message, recorded: Message, kind: Message['kind']): boolean {
  if (model.kind !== kind) return false;
  const m0 = model; // (narrowed below by casts: `switch (kind)` narrows neither message)
  switch (kind) {
    // Kinds without fields: the kind is the message (the hot path: keepalives).
    case 'Connect': case 'LoginBusy': case 'RegisterAck': case 'Keepalive': case 'KeepaliveAck':
    case 'PeerHello': case 'PeerAck': case 'Unregister': case 'Closing': case 'OfflineImFetch':
      return true;
    case 'LoginOk': { const m = model as Extract<Message, { kind: 'LoginOk' }>; return m.credential.user === (recorded as typeof m).credential.user; }
    case 'ConnectAck': {
      const model = m0 as Extract<Message, { kind: 'ConnectAck' }>;
      // Most recorders keep the model's order: equal in order is equal as sets, with no sorting.
      const x = model.supernodes;
      const y = (recorded as typeof model).supernodes;
      if (x.length === y.length) {
        let i = 0;
        while (i < x.length && x[i] === y[i]) i++;
        if (i === x.length) return true;
      }
      const a = [...model.supernodes].sort();
      const b = [...(recorded as typeof model).supernodes].sort();
      return a.length === b.length && a.every((x, i) => x === b[i]);
    }
    case 'OfflineImBatch': return true;
    // {kind, reason} on both sides (the schema for a recorded one, the models for theirs):
    // equal reasons, equal canonical JSON, without sameValue's walk over the keys (the
    // ConnectReject storm of the login-flood bench, issue #5).
    case 'ConnectReject': case 'LoginDenied': case 'RegisterReject': {
      const m = model as Extract<Message, { kind: 'ConnectReject' | 'LoginDenied' | 'RegisterReject' }>;
      return m.reason === (recorded as typeof m).reason;
    }
    // {kind, user, password} on both sides (the schema: all three required, no other key; the
    // client model builds exactly these): equal strings, equal canonical JSON. Spares
    // sameValue's for…in walks and hasOwn calls (issue #5: -261 instructions a line on the
    // login-flood bench, where 15% of the lines are LoginRequest sends).
    // Anything else (not strings) takes the general path below.
    case 'LoginRequest': {
      const model = m0 as Extract<Message, { kind: 'LoginRequest' }>;
      const r = recorded as typeof model;
      if (typeof model.user === 'string' && typeof model.password === 'string' && model.user === r.user && model.password === r.password) return true;
      return sameValue(model, recorded) || canonicalJson(model) === canonicalJson(recorded);
    }
    // Structurally identical values have the same canonical JSON: the common case
    // (the model emitted exactly the recorded message) costs no string building.
    // Anything else is decided by the canonical JSON, as before (issue #5: canonicalJson
    // was 3% of `snc check` on the login-flood bench, mostly for LoginRequest).
    default: return sameValue(model, recorded) || canonicalJson(model) === canonicalJson(recorded);
  }
}

/** True when `a` and `b` are the same JSON-like value (same keys, same primitives); false may still mean equal JSON. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    if (!Object.hasOwn(y, k) || !sameValue(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (Object.hasOwn(y, k)) n--;
  return n === 0;
}
