// The parameters of the protocol: every number PROTOCOL.md names, with its
// default and where that default comes from. Models read resolved parameters
// (`ResolvedParams`); traces, presets and scenarios override them (`Params`).
import type { Params } from '../schemas/generated/trace.js';

export type { Params };
export type ResolvedParams = Required<Params>;
export type BugName = NonNullable<Params['bugs']>[number];

export type SourceKind = 'paper' | 'post-mortem' | 'admin-guide' | 'assumed';

/** One parameter: its default, unit, and where the figure comes from. */
export interface ParamDoc {
  readonly name: keyof Params;
  readonly default: ResolvedParams[keyof Params];
  readonly unit: 'ms' | 'count' | 'messages' | 'versions' | 'text' | 'variants';
  readonly source: SourceKind;
  readonly note: string;
}

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

/** The catalogue, in the order PROTOCOL.md introduces the parameters. */
export const PARAMS: readonly ParamDoc[] = [
  { name: 'hostCacheMax', default: 200, unit: 'count', source: 'paper', note: 'host cache size; ≤200 live supernodes in FastTrack refresh lists (Liang/Kumar/Ross), not confirmed for Skype' },
  { name: 'connectTimeout', default: 5 * S, unit: 'ms', source: 'paper', note: 'no reply within 5 s → next host-cache entry (Baset & Schulzrinne)' },
  { name: 'retryWait', default: 6 * S, unit: 'ms', source: 'paper', note: 'wait 6 s before the next round of attempts (Baset & Schulzrinne)' },
  { name: 'maxAttempts', default: 5, unit: 'count', source: 'paper', note: 'login fails after 5 attempts (Baset & Schulzrinne)' },
  { name: 'loginTimeout', default: 10 * S, unit: 'ms', source: 'assumed', note: 'how long a client waits for auth' },
  { name: 'keepaliveInterval', default: 60 * S, unit: 'ms', source: 'assumed', note: 'not in public sources' },
  { name: 'missedKeepalives', default: 3, unit: 'count', source: 'assumed', note: 'unanswered keepalives before the client reattaches; also the silence after which a supernode drops a client' },
  { name: 'capacity', default: 300, unit: 'count', source: 'admin-guide', note: '"several hundred" clients per supernode (Skype admin guide; Rabbe post-mortem)' },
  { name: 'queryTtl', default: 2, unit: 'count', source: 'assumed', note: 'hops of a mesh Query' },
  { name: 'queryTimeout', default: 5 * S, unit: 'ms', source: 'assumed', note: 'how long a supernode waits for QueryResults before answering null' },
  { name: 'loadWindow', default: 10 * S, unit: 'ms', source: 'assumed', note: 'window over which a supernode counts its message load' },
  { name: 'overloadThreshold', default: 2000, unit: 'messages', source: 'assumed', note: 'messages per loadWindow above which a supernode self-evicts (0: never); the threshold was never published (post-mortem: load reached ~100x normal)' },
  { name: 'cooldown', default: 10 * MIN, unit: 'ms', source: 'assumed', note: 'how long a self-evicted supernode stays out' },
  { name: 'warmup', default: 10 * MIN, unit: 'ms', source: 'post-mortem', note: 'a restarted supernode "takes some time" before the network can use it; 10 min assumed' },
  { name: 'promotionUptime', default: 2 * H, unit: 'ms', source: 'assumed', note: 'uptime before a public host may be promoted (Gnutella: "hours of uptime")' },
  { name: 'credentialLifetime', default: 24 * H, unit: 'ms', source: 'assumed', note: 'credentials are time-limited and renewed (admin guide); lifetime not published' },
  { name: 'renewBefore', default: 1 * H, unit: 'ms', source: 'assumed', note: 'renew this long before expiresAt' },
  { name: 'imTimeout', default: 10 * S, unit: 'ms', source: 'assumed', note: 'after this an OfflineImBatch is late (the 5.0.0.152 crash trigger)' },
  { name: 'imSlowDelay', default: 30 * S, unit: 'ms', source: 'assumed', note: 'how long a slow (overloaded) im holds the fetches it cannot answer: it answers them all imSlowDelay after the first; longer than imTimeout, so its replies are late' },
  { name: 'restartDelay', default: 1 * MIN, unit: 'ms', source: 'assumed', note: 'a crashed host restarts after this' },
  { name: 'authQueue', default: 1000, unit: 'messages', source: 'assumed', note: 'LoginRequests per loadWindow above which auth answers LoginBusy (0: no limit)' },
  { name: 'buggyVersions', default: ['5.0.0.152'], unit: 'versions', source: 'post-mortem', note: 'client versions that crash on a late OfflineImBatch (Rabbe, 29 Dec 2010)' },
  { name: 'authKey', default: 'k1', unit: 'text', source: 'assumed', note: 'the key auth signs credentials with (symbolic)' },
  { name: 'bugs', default: [], unit: 'variants', source: 'assumed', note: 'seeded defects for testing the tools; none in the real protocol' },
];

/** The defaults as one object. */
export const DEFAULT_PARAMS: ResolvedParams = Object.freeze(
  Object.fromEntries(PARAMS.map((p) => [p.name, p.default])),
) as ResolvedParams;

/** Defaults overridden by `over` (unknown keys are rejected by the schema before this). */
export function resolveParams(...over: (Params | undefined)[]): ResolvedParams {
  const out: Record<string, unknown> = { ...DEFAULT_PARAMS };
  for (const o of over) {
    if (!o) continue;
    for (const p of PARAMS) if (o[p.name] !== undefined) out[p.name] = o[p.name];
  }
  return out as unknown as ResolvedParams;
}
