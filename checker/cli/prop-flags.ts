// Flags shared by the commands that run property monitors (explore, check).
import { CATALOGUE, type PropParams } from '../props/index.js';
import { usageError } from './args.js';

/** `--within a=1,b=2` → per-property overrides of N. */
export function parseWithin(raw: unknown): Record<string, Partial<PropParams>> {
  const out: Record<string, Partial<PropParams>> = {};
  if (typeof raw !== 'string') return out;
  for (const part of raw.split(',').filter(Boolean)) {
    const m = /^([a-z-]+)=(\d+)$/.exec(part.trim());
    if (!m) throw usageError(`--within expects ID=N pairs, got ${JSON.stringify(part)}`, 'e.g. --within reattach-within=10,login-answered=4');
    const def = CATALOGUE.find((p) => p.id === m[1]);
    if (def && def.kind !== 'response') throw usageError(`--within: ${m[1]} is a${def.kind === 'always' ? 'n always' : ' sometimes'} property, it has no N`, `bounded properties: ${CATALOGUE.filter((p) => p.kind === 'response').map((p) => p.id).join(', ')}`);
    out[m[1]] = { within: Number(m[2]) };
  }
  return out;
}

/** `--props a,b` → ids, or the defaults. */
export function parseProps(raw: unknown, defaults: readonly string[]): string[] {
  if (typeof raw !== 'string') return [...defaults];
  const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  // An empty list would check nothing and report success: say so instead.
  if (!ids.length) throw usageError('--props names no property', `e.g. --props capacity,reattach-within; the ids: ${CATALOGUE.map((p) => p.id).join(', ')}`);
  return ids;
}
