// Canonical serialisation of a local state (state value + dynamic context):
// keys sorted at every level, so two equal states give the same string no
// matter in which order their fields were assigned. The static `cfg` and the
// per-step effects (`outbox`, `armed`) are not part of a state, nor are the
// fields derived from others for fast lookups (DERIVED).
/** Context fields computed from other fields (models/supernode.ts: `clientIds`, `directory` from `clients`). */
export const DERIVED: ReadonlySet<string> = new Set(['clientIds', 'directory']);
const SKIP = new Set(['cfg', 'outbox', 'armed', ...DERIVED]);

/** JSON with object keys sorted; `undefined` fields are left out, as JSON.stringify does. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'null' : JSON.stringify(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + canonicalJson(v[i]);
    return s + ']';
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    if (o[k] === undefined) continue;
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(o[k]);
    first = false;
  }
  return s + '}';
}

/** `value|{context without cfg, outbox, armed}` with sorted keys. */
export function encodeLocal(value: string, ctx: object): string {
  const o = ctx as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let s = value + '|{';
  let first = true;
  for (const k of keys) {
    if (SKIP.has(k) || o[k] === undefined) continue;
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(o[k]);
    first = false;
  }
  return s + '}';
}
