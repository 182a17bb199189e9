// Scenarios the reference overlay runs for `snc overlay`: a system of N
// clients and M supernodes (plus auth and im) is started, driven in real time
// by a seeded script, and recorded. `steady`: clients log in, look each other
// up, some log out (and back in). `supernode-crash`: as steady, but the
// busiest supernode's host is killed mid-run, its clients reattach elsewhere,
// and the host comes back later (and warms up).
import type { Actor } from '../schemas/generated/trace.js';
import type { SystemConfig } from '../schemas/generated/testcases.js';
import { mulberry32 } from '../checker/sim/rng.js';
import { Overlay, OverlayError, REFERENCE_PARAMS } from './overlay.js';

export const SCENARIOS = {
  steady: 'clients log in, look each other up, some log out and back in; no faults',
  'supernode-crash': 'the busiest supernode\'s host is killed mid-run; its clients reattach; the host restarts later',
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

export interface ScenarioOptions {
  readonly scenario: ScenarioName;
  readonly clients: number;
  readonly supernodes: number;
  /** Wall time of the run, ms. */
  readonly duration: number;
  readonly seed: number;
  readonly bugs: readonly string[];
  readonly record: string;
}

export interface ScenarioResult {
  readonly actors: number;
  readonly events: number;
  readonly file: string;
  /** Clients online at the end, of all clients, whatever their upstream. */
  readonly online: number;
  /**
   * Of those, the clients attached to a live supernode: their upstream is up and has
   * them registered. The others are online at a dead upstream: it crashed, or it
   * restarted since and has forgotten them (a client that never noticed: never-reattach).
   */
  readonly attached: number;
  readonly errors: readonly unknown[];
}

/** A small seeded PRNG (mulberry32, shared with the simulator): the same seed gives the same script. */
export const rng = mulberry32;

/**
 * N clients (c1…, users u1…, behind NAT, each with the supernodes in its host
 * cache starting at a different one, so that load spreads) and M supernodes
 * (sn1…, each on its own public host), with the reference durations.
 */
export function overlayConfig(clients: number, supernodes: number): SystemConfig {
  const sns = Array.from({ length: supernodes }, (_, i) => `sn${i + 1}`);
  const actors: Actor[] = [{ id: 'auth', role: 'auth', host: 'h-auth' }, { id: 'im', role: 'im', host: 'h-im' }];
  for (const s of sns) actors.push({ id: s, role: 'supernode', host: `h-${s}` });
  for (let i = 1; i <= clients; i++) {
    const k = (i - 1) % supernodes;
    actors.push({ id: `c${i}`, role: 'client', host: `h-c${i}`, user: `u${i}`, hostCache: [...sns.slice(k), ...sns.slice(0, k)] });
  }
  return { actors, params: { ...REFERENCE_PARAMS } };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Runs a scenario to its end and closes the recording. */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  if (!(o.scenario in SCENARIOS)) throw new OverlayError(`unknown scenario ${JSON.stringify(o.scenario)}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const ov = await Overlay.start({
    config: overlayConfig(o.clients, o.supernodes), record: o.record, bugs: o.bugs, seed: o.seed,
    source: `snc overlay --scenario ${o.scenario} --clients ${o.clients} --supernodes ${o.supernodes} --seed ${o.seed} --duration ${o.duration}${o.bugs.map((b) => ` --bug ${b}`).join('')}`,
  });
  const random = rng(o.seed);
  const t0 = performance.now();
  const at = (fraction: number) => sleep(t0 + fraction * o.duration - performance.now());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const online = () => ov.clients.filter((c) => c.state === 'online');
  const attached = () => online().filter((c) => {
    const sn = c.target === null ? undefined : ov.supernodes.find((x) => x.id === c.target);
    return !!sn && !sn.crashed && (sn.clients.get(c.id)?.user ?? null) !== null;
  });
  try {
    await ov.settle(20, 300); // the mesh forms
    // Logins, spread over the first fifth of the run.
    const logins = ov.clients.map((c) => ({ c, when: random() * 0.2 })).sort((a, b) => a.when - b.when);
    for (const { c, when } of logins) { await at(when); ov.input(c.id, { kind: 'Login' }); }
    const lookups = async (from: number, to: number, n: number) => {
      for (let i = 0; i < n; i++) {
        await at(from + ((to - from) * (i + 1)) / (n + 1));
        const on = online();
        if (!on.length) continue;
        const who = pick(on);
        const users = ov.clients.map((c) => c.spec.user).filter((u) => u !== who.spec.user);
        ov.input(who.id, { kind: 'Lookup', user: random() < 0.9 && users.length ? pick(users) : 'nobody' });
      }
    };
    if (o.scenario === 'steady') {
      await lookups(0.25, 0.6, Math.max(3, o.clients));
      // A quarter of the clients log out; half of those come back.
      const leaving = online().filter(() => random() < 0.25);
      for (const c of leaving) { await at(0.6 + random() * 0.1); if (c.state === 'online') ov.input(c.id, { kind: 'Logout' }); }
      for (const c of leaving.filter(() => random() < 0.5)) { await at(0.75 + random() * 0.05); ov.input(c.id, { kind: 'Login' }); }
      await lookups(0.8, 0.9, Math.max(2, o.clients >> 1));
    } else {
      await lookups(0.2, 0.3, Math.max(2, o.clients >> 1));
      await at(0.35);
      const busiest = [...ov.supernodes].sort((a, b) => b.directory.length - a.directory.length)[0];
      ov.crash(busiest.spec.host);
      await lookups(0.4, 0.65, Math.max(2, o.clients >> 1));
      await at(0.7);
      await ov.restart(busiest.spec.host);
      await lookups(0.75, 0.9, Math.max(2, o.clients >> 1));
    }
    await at(1);
    await ov.settle(20, 200);
  } finally {
    await ov.stop();
  }
  return { actors: ov.actors.length, events: ov.eventsRecorded, file: o.record, online: online().length, attached: attached().length, errors: ov.errors };
}
