// The simulator at small scale with fixed seeds: the building blocks (seeded
// generator, event queue, scenario validation) and each bundled scenario's
// qualitative outcome — no cascade in steady, reattachment after one
// supernode crash, the 2010 cascade and the recovery that follows the
// mega-supernodes, the 2007 reboot storm — plus determinism, the validity of
// written traces, the exactness of the keepalive acceleration (the same
// series, events and final states with and without it), the simulator's
// steps in place (a sweep, a slow im's waiting list) against the pure ones, and System's count of the messages in
// flight to each actor against the network.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, drawLatency, latencyBounds, maxLatency, type Latency } from '../checker/sim/rng.js';
import { EventQueue, Kind } from '../checker/sim/heap.js';
import { loadScenario, parseScenario, resolveScenario, ScenarioError, bundledScenarios, type ScaleOptions, type SimScenario } from '../checker/sim/scenario.js';
import { simulate, simProps, type SimResult } from '../checker/sim/run.js';
import { Simulator, removedFrom } from '../checker/sim/engine.js';
import type { MidMap } from '../checker/system/mid-map.js';
import fc from 'fast-check';
import { encode } from '../models/index.js';
import { seriesCsv } from '../checker/sim/metrics.js';
import { supernode, type Attachment, type SupernodeContext } from '../models/supernode.js';
import { setInPlace } from '../models/in-place.js';
import type { Local } from '../models/index.js';
import { configOf, deliver, input, timeout } from './helpers/model-events.js';
import { im } from '../models/im.js';
import { simulationText } from '../checker/cli/simulate.js';
import { validateFile } from '../checker/trace/validate.js';

async function run(name: string, scale: ScaleOptions, seed = 7, traceLine?: (l: string) => void): Promise<SimResult> {
  const { scenario } = await loadScenario(name);
  return simulate({ scenario: resolveScenario(scenario, scale), seed, ...(traceLine ? { traceLine, sampleClients: 10 } : {}) });
}
const prop = (r: SimResult, id: string) => r.properties.find((p) => p.id === id)!;

describe('simulator building blocks', () => {
  it('the generator is a function of its seed', () => {
    const a = new Rng(42); const b = new Rng(42); const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.next()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });

  it('no latency drawn exceeds maxLatency, at the extreme uniforms too (the keepalive acceleration skips draws by it)', () => {
    /** A generator that returns the given uniforms in turn (the extremes Rng.next can give: 0 and 1 - 2^-32). */
    class Fixed extends Rng {
      private k = 0;
      constructor(private readonly xs: number[]) { super(0); }
      override next(): number { return this.xs[this.k++ % this.xs.length]; }
    }
    const top = 1 - 2 ** -32;
    const dists: Latency[] = [
      { distribution: 'lognormal', median: 40, sigma: 0.5 }, { distribution: 'lognormal', median: 3, sigma: 2 },
      { distribution: 'exponential', min: 5, mean: 30 }, { distribution: 'uniform', min: 5, max: 55 }, { distribution: 'uniform', min: 9, max: 2 },
    ];
    for (const d of dists) {
      const bound = maxLatency(d);
      let most = 0;
      for (const xs of [[top, 0], [top, top], [0, 0], [0, top], [0.5, 0.5]]) most = Math.max(most, drawLatency(new Fixed(xs), d));
      const rng = new Rng(7);
      for (let i = 0; i < 100_000; i++) most = Math.max(most, drawLatency(rng, d));
      assert.ok(most <= bound, `${JSON.stringify(d)}: drew ${most} > ${bound}`);
      assert.ok(bound <= most * 1.01 + 2, `${JSON.stringify(d)}: the bound ${bound} is far above the extreme draw ${most}`);
    }
  });

  it('latencyBounds: a first uniform at or above bound[k] gives a latency of at most k, whatever the second', () => {
    class Fixed extends Rng {
      private k = 0;
      constructor(private readonly xs: number[]) { super(0); }
      override next(): number { return this.xs[this.k++ % this.xs.length]; }
    }
    const dists: Latency[] = [
      { distribution: 'lognormal', median: 40, sigma: 0.5 }, { distribution: 'lognormal', median: 3, sigma: 2 },
      { distribution: 'lognormal', median: 500, sigma: -0.1 }, { distribution: 'lognormal', median: 7.5, sigma: 0 },
    ];
    // Second uniforms: v = 0 and 1 - 2^-32 give cos(2πv) at (about) 1, the largest latency a first uniform allows.
    const seconds = [0, 1 - 2 ** -32, 0.5, 0.25, 0.1234];
    const rng = new Rng(11);
    for (const d of dists) {
      const n = maxLatency(d);
      const bound = latencyBounds(d, n)!;
      assert.equal(bound.length, n);
      let decided = 0;
      // Every k up to 200 (around the medians), then a sample of the rest.
      const ks = Array.from({ length: Math.min(n - 1, 200) }, (_, i) => i + 1);
      for (let k = 201; k < n; k += Math.max(1, Math.floor(n / 300))) ks.push(k);
      for (const k of ks) {
        if (bound[k] === Infinity) continue;
        // At the bound itself, just above it, and at random uniforms above it (next() returns 1 - u).
        const us = [bound[k], Math.min(1, bound[k] * (1 + 1e-12)), ...Array.from({ length: 20 }, () => bound[k] + (1 - bound[k]) * rng.next())];
        for (const u of us) {
          // (Rng.next gives at most 1 - 2^-32: u is at least 2^-32.)
          if (u > 1 || u < 2 ** -32) continue;
          const x = 1 - u;
          if (1 - x < bound[k]) continue; // (u not representable as 1 - x at or above the bound)
          for (const v of seconds) {
            const l = drawLatency(new Fixed([x, v]), d);
            assert.ok(l <= k, `${JSON.stringify(d)}: u ${1 - x} ≥ bound[${k}] ${bound[k]} but latency ${l}`);
          }
        }
        decided++;
      }
      assert.ok(decided > 0, `${JSON.stringify(d)}: no k is decided by a first uniform`);
    }
    // Useful where it is used: for the bundled network, a latency of at most 5 medians is told from 99% of first uniforms.
    assert.ok(latencyBounds({ distribution: 'lognormal', median: 40, sigma: 0.5 }, 2000)![200] < 0.01);
    assert.equal(latencyBounds({ distribution: 'uniform', min: 1, max: 9 }, 10), null);
    assert.equal(latencyBounds({ distribution: 'exponential', min: 1, mean: 9 }, 10), null);
  });

  it('the queue pops by time, then in scheduling order', () => {
    const q = new EventQueue();
    [5, 1, 3, 1, 2, 5].forEach((t, i) => q.push(t, Kind.Sample, i));
    const out: [number, number][] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push([e.t, e.a]);
    assert.deepEqual(out, [[1, 1], [1, 3], [2, 4], [3, 2], [5, 0], [5, 5]]);
  });

  it('removedFrom finds the attachments a list lost, and only when it lost nothing but them', () => {
    const at = (i: number): Attachment => ({ client: `c${i}`, user: `u${i}`, expiresAt: 1e9, silent: 0 });
    fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 40 }), fc.nat(40), fc.constantFrom('none', 'add', 'replace'), (keep, where, change) => {
      const before = keep.map((_, i) => at(i));
      const after = before.filter((_, i) => keep[i]);
      if (change === 'none') {
        assert.deepEqual(removedFrom(before, after), before.filter((_, i) => !keep[i]));
        return;
      }
      // Another attachment added, or one kept but as a new object (a copy with the same fields): not only removals.
      if (change === 'replace' && after.length === 0) return;
      const k = where % (after.length + (change === 'add' ? 1 : 0));
      if (change === 'add') after.splice(k, 0, at(1000 + k)); else after[k] = { ...after[k] };
      assert.equal(removedFrom(before, after), null);
    }));
  });

  it('bundles the four scenarios of PROTOCOL.md', () => {
    for (const s of ['steady', 'supernode-crash', 'outage-2010', 'login-flood-2007']) assert.ok(bundledScenarios().includes(s), s);
  });

  it('a bad scenario names its code, place and a hint', () => {
    const text = '{\n  "name": "x",\n  "population": { "clients": 10, "supernodes": 2 },\n  "duration": "2h",\n  "schedule": [\n    { "action": "add-mega", "at": "1h", "count": 0 }\n  ]\n}\n';
    assert.throws(() => parseScenario(text, 'x.json'), (e: unknown) => {
      assert.ok(e instanceof ScenarioError);
      const p = e.problems[0];
      assert.equal(p.code, 'SCN002');
      assert.match(p.place, /^x\.json:6:/);
      assert.match(p.message, /count/);
      assert.ok(p.hint.length > 0);
      return true;
    });
    const tooMany = '{"name":"x","population":{"clients":3,"supernodes":5},"duration":"1h"}';
    assert.throws(() => parseScenario(tooMany, 'y.json'), (e: unknown) => e instanceof ScenarioError && e.problems[0].code === 'SCN003');
    // A crash of more hosts than the population has was clamped without a word (new-user trial).
    const crashAll = '{"name":"x","population":{"clients":10,"supernodes":2},"duration":"1h","schedule":[{"action":"crash","at":"10m","target":"supernode-hosts","count":100000}]}';
    assert.throws(() => parseScenario(crashAll, 'z.json'), (e: unknown) => {
      assert.ok(e instanceof ScenarioError);
      assert.equal(e.problems[0].code, 'SCN003');
      assert.match(e.problems[0].message, /crashes 100000 supernode hosts, but the population has 2/);
      return true;
    });
  });
});

describe('steps in place (models/in-place.ts)', () => {
  // A serving supernode's context with the given attachments (sorted by client), as the model derives its fields.
  const servingWith = (clients: Attachment[], bugs: string[] = []): Local<SupernodeContext> => {
    const cfg = configOf('s1', { peers: ['s2'] }, { missedKeepalives: 2, overloadThreshold: 1000, bugs: bugs as never });
    const l = supernode.init(cfg, 0).next;
    const ctx = { ...l.ctx, clients, clientIds: clients.map((a) => a.client), directory: clients.flatMap((a) => (a.user === null ? [] : [a.user])).sort(), timers: ['keepalive', 'loadWindow'] } as SupernodeContext;
    return { value: 'serving', ctx };
  };
  const copyOf = (l: Local<SupernodeContext>): Local<SupernodeContext> => ({ value: l.value, ctx: { ...l.ctx, clients: l.ctx.clients.map((a) => ({ ...a })) } });

  it('gives the pure sweep\'s state and effects, for lists with and without drops, and is off outside a run', () => {
    const rng = new Rng(11);
    for (let n = 0; n < 300; n++) {
      const size = rng.int(8);
      const clients: Attachment[] = Array.from({ length: size }, (_, i) => ({
        client: `c${10 + i}`, user: rng.chance(0.8) ? `u${10 + i}` : null, expiresAt: rng.chance(0.2) ? 500 : 10_000, silent: rng.int(4),
      }));
      const base = servingWith(clients, rng.chance(0.2) ? ['keep-dead-clients'] : []);
      const ev = timeout('keepalive', 1000);
      const pure = supernode.step(copyOf(base), ev);
      const l = copyOf(base);
      const was = setInPlace(true);
      let fast;
      try { fast = supernode.step(l, ev); } finally { setInPlace(was); }
      assert.equal(was, false);
      assert.equal(fast.next.value, pure.next.value);
      assert.deepEqual(fast.next.ctx, pure.next.ctx);
      assert.deepEqual(fast.outbox, pure.outbox);
      assert.deepEqual(fast.armed, pure.armed);
      // Nobody dropped: the same list, its attachments written; else a fresh list.
      assert.equal(fast.next.ctx.clients === l.ctx.clients, pure.next.ctx.clients.length === base.ctx.clients.length);
    }
    // A run sets it only while it applies events.
    assert.equal(setInPlace(false), false);
  });

  it('a slow im\'s waiting list grows in place to the pure step\'s list, with the same effects', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('c1', 'c2', 'c3', 'c10', 'c20'), { maxLength: 10 }), (froms) => {
      let pure = im.step(im.init(configOf('im'), 0).next, input({ kind: 'SetMode', mode: 'slow' })).next;
      let fast = { value: pure.value, ctx: { ...pure.ctx, waiting: [...pure.ctx.waiting] } };
      for (const f of froms) {
        const ev = deliver(f, { kind: 'OfflineImFetch' });
        const p = im.step(pure, ev);
        const was = setInPlace(true);
        let q;
        try { q = im.step(fast, ev); } finally { setInPlace(was); }
        assert.deepEqual(q.next, p.next);
        assert.deepEqual(q.outbox, p.outbox);
        assert.deepEqual(q.armed, p.armed);
        assert.equal(q.next.ctx.waiting, fast.ctx.waiting, 'not written in place');
        pure = p.next;
        fast = q.next;
      }
    }));
  });
});

describe('a run shortened by --hours', () => {
  it('takes its baseline inside the run and says which scheduled actions it leaves out', async () => {
    const { scenario } = await loadScenario('supernode-crash'); // baseline 30m–1h, a crash at 1h
    assert.deepEqual(resolveScenario(scenario, { hours: 2 }).baseline, { from: 1_800_000, to: 3_600_000 });
    assert.deepEqual(resolveScenario(scenario, { hours: 0.75 }).baseline, { from: 1_800_000, to: 2_700_000 }, 'cut at the end');
    const short = resolveScenario(scenario, { clients: 100, hours: 0.5 });
    assert.deepEqual(short.baseline, { from: 900_000, to: 1_800_000 }, 'starts after the end: the run\'s second half');
    const r = simulate({ scenario: short, seed: 1 });
    assert.equal(r.summary.baseline.from, 900_000);
    assert.match(simulationText(r, short), /^note: the run ends at 30m, before a scheduled action of the scenario \(crash at 1h00m\): raise --hours to include it$/m);
    const long = resolveScenario(scenario, { clients: 100, hours: 1.1 });
    assert.doesNotMatch(simulationText(simulate({ scenario: long, seed: 1 }), long), /^note:/m);
  });
});

describe('simulated scenarios (small scale, fixed seed)', function () {
  this.timeout(300_000);

  // At the bundled size (2,000 clients, 40 supernodes, 4 h): smaller runs missed that a two-hop
  // lookup flood tripped every supernode's overloadThreshold at once (the scenarios' queryTtl note).
  it('steady at its bundled size: no cascade, nobody crashes, every property holds', async () => {
    const r = await run('steady', {});
    assert.equal(r.summary.evictions, 0);
    assert.equal(r.summary.clientsCrashed.count, 0);
    assert.ok(r.summary.lowestOnline.share > 0.9, `lowest online ${r.summary.lowestOnline.share}`);
    for (const p of r.properties) assert.notEqual(p.status, 'violated', `${p.id}: ${p.explanation}`);
    assert.equal(prop(r, 'client-online').status, 'witnessed');
    // Its users look others up: the properties that judge the answers are monitored.
    assert.equal(prop(r, 'directory-fresh').status, 'holds');
    assert.equal(prop(r, 'lookup-found').status, 'witnessed');
  });

  it('the same seed gives the same series; another seed another', async () => {
    const a = await run('steady', { clients: 200, hours: 1 }, 3);
    const b = await run('steady', { clients: 200, hours: 1 }, 3);
    const c = await run('steady', { clients: 200, hours: 1 }, 4);
    assert.equal(seriesCsv(a.series), seriesCsv(b.series));
    assert.equal(a.events, b.events);
    assert.notEqual(seriesCsv(a.series), seriesCsv(c.series));
  });

  it('supernode-crash at its bundled size: the crashed supernode\'s clients reattach in time, nothing cascades', async () => {
    const r = await run('supernode-crash', {});
    assert.equal(r.summary.supernodesCrashed, 1 / r.supernodes);
    assert.equal(prop(r, 'reattach-within').status, 'holds', prop(r, 'reattach-within').explanation);
    assert.equal(prop(r, 'notice-dead-upstream').status, 'holds', prop(r, 'notice-dead-upstream').explanation);
    assert.equal(r.summary.evictions, 0);
  });

  it('outage-2010: crashes, a self-eviction cascade, and recovery after the mega-supernodes', async () => {
    const { scenario } = await loadScenario('outage-2010');
    const sc = resolveScenario(scenario, { clients: 600, hours: 8 });
    // At 600 clients (12 supernodes) whether the cascade starts depends on the seed (seeds 1-9: 1, 7 and 8 cascade,
    // 9-10 evictions from 3h49m-3h59m); at the bundled 2,000 (seed 1) and at 10,000 (seed 1) it does.
    const r = simulate({ scenario: sc, seed: 1 });
    const s = r.summary;
    assert.equal(prop(r, 'no-client-crash').status, 'violated');
    // Its users make no lookups: nothing to judge for the properties about their answers, which are not monitored.
    for (const id of ['directory-fresh', 'lookup-found']) {
      assert.deepEqual([prop(r, id).status, prop(r, id).count], ['not-checked', 0], id);
      assert.match(prop(r, id).explanation ?? '', /no lookups \(users\.lookupsPerHour 0\)/, id);
    }
    assert.ok(s.clientsCrashed.share > 0.1, `clients crashed ${s.clientsCrashed.share}`);
    // Clients are counted once; no-client-crash counts each crash, and a crashed client restarts and crashes again.
    assert.equal(s.clientsCrashed.crashes, prop(r, 'no-client-crash').count);
    assert.ok(s.clientsCrashed.crashes > s.clientsCrashed.count, `${s.clientsCrashed.crashes} crashes of ${s.clientsCrashed.count} clients`);
    assert.ok(s.supernodesCrashed > 0.1, `supernodes crashed ${s.supernodesCrashed}`);
    assert.ok(s.evictions >= r.supernodes / 2, `only ${s.evictions} self-evictions`);
    assert.ok(s.lowestOnline.share < 0.3, `lowest online ${s.lowestOnline.share}`);
    assert.ok(s.peakMeanLoad.multiple > 5, `peak load ${s.peakMeanLoad.multiple}x`);
    const firstMega = sc.schedule.find((a) => a.action === 'add-mega')!.at;
    const half = r.series.find((x) => x.t > s.lowestOnline.at && x.online >= 0.5 * s.baseline.online);
    assert.ok(half, 'online users never came back to half the baseline');
    assert.ok(half.t > firstMega, `recovered to 50% at ${half.t} ms, before the first mega-supernodes at ${firstMega} ms`);
    assert.ok(r.series[r.series.length - 1].online >= 0.8 * s.baseline.online, 'not recovered at the end');
  });

  it('login-flood-2007: mass reboot, a login and reattach storm that stalls self-healing for a while', async () => {
    const r = await run('login-flood-2007', { clients: 300, hours: 4 });
    const s = r.summary;
    assert.ok(s.supernodesCrashed > 0.8, `supernodes rebooted ${s.supernodesCrashed}`);
    assert.ok(s.lowestOnline.share < 0.5, `lowest online ${s.lowestOnline.share}`);
    assert.ok(s.evictions >= 1, 'no supernode self-evicted');
    assert.ok(s.peakMaxLoad.multiple > 10, `peak load ${s.peakMaxLoad.multiple}x`);
    assert.equal(r.summary.clientsCrashed.count, 0);
  });

  it('writes a sampled trace that snc validate accepts', async () => {
    const lines: string[] = [];
    const r = await run('supernode-crash', { clients: 200, hours: 1.5 }, 7, (l) => lines.push(l));
    assert.equal(r.traceLines, lines.length);
    const header = JSON.parse(lines[0]);
    assert.equal(header.clock, 'ms');
    assert.equal(header.actors.filter((a: { role: string }) => a.role === 'client').length, 10);
    assert.ok(lines.some((l) => l.includes('"type":"crash"')), 'the supernode host crash is in the trace');
    const file = join(mkdtempSync(join(tmpdir(), 'snc-sim-')), 'crash.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const report = await validateFile(file);
    assert.equal(report.verdict, 'valid', JSON.stringify(report.problems.slice(0, 3)));
  });

  it('writes a valid trace when it ends before the mega-supernodes its host caches name have joined', async () => {
    // A review found such traces refused (TRC008) by a validator rule that wanted every id a host cache names declared.
    const lines: string[] = [];
    await run('outage-2010', { clients: 200, hours: 0.5 }, 1, (l) => lines.push(l));
    assert.ok(lines[0].includes('"mega1"') && !lines.some((l) => l.includes('"type":"join"')), 'mega1 is named and never joins');
    const file = join(mkdtempSync(join(tmpdir(), 'snc-sim-')), 'early.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const report = await validateFile(file);
    assert.equal(report.verdict, 'valid', JSON.stringify(report.problems.slice(0, 3)));
  });
});

describe('keepalive acceleration is exact', function () {
  this.timeout(300_000);

  /** `sc` run with `seed` exactly, then with acceleration. */
  const bothWays = (sc: SimScenario, seed: number): [Simulator, Simulator] => {
    const [exact, fast] = [false, true].map((accelerate) => {
      const sim = new Simulator(sc, simProps(sc), seed, undefined, { accelerate });
      sim.run();
      return sim;
    });
    return [exact, fast];
  };
  /**
   * How an exact and an accelerated run differ (none: empty), for a sweep's report: series, event count, and each
   * property's count (and, with `first`, for whom it broke first).
   */
  const differencesOf = (exact: Simulator, fast: Simulator, where: string, first: boolean): string[] => {
    const out: string[] = [];
    if (seriesCsv(fast.metrics.series) !== seriesCsv(exact.metrics.series)) out.push(`${where}: series`);
    if (fast.totalEvents !== exact.totalEvents) out.push(`${where}: events ${exact.totalEvents} exact, ${fast.totalEvents} accelerated`);
    for (const [id, a] of exact.tallies) {
      const b = fast.tallies.get(id)!;
      if (b.count !== a.count || (first && String(b.first?.actors) !== String(a.first?.actors))) out.push(`${where}: ${id} ${a.count} exact (first ${a.first?.actors}), ${b.count} accelerated (first ${b.first?.actors})`);
    }
    return out;
  };
  /** The same series and event count, and every actor in the same local state (keepalive counters, silences and loads included). */
  const assertSameRun = (exact: Simulator, fast: Simulator): void => {
    assert.equal(seriesCsv(fast.metrics.series), seriesCsv(exact.metrics.series));
    assert.equal(fast.totalEvents, exact.totalEvents);
    exact.st.locals.forEach((l, i) => assert.equal(fast.st.locals[i] && encode(fast.st.locals[i]!), l && encode(l), exact.sys.topo.ids[i]));
  };

  // [scenario, scale, seed, whether sweeps of supernodes with clients are quiet]
  const cases: [string, ScaleOptions, number, boolean][] = [
    ['supernode-crash', { clients: 300, hours: 2 }, 7, true],
    ['outage-2010', { clients: 600, hours: 8 }, 5, true],
    ['login-flood-2007', { clients: 300, hours: 3 }, 2, true],
    // Credentials that expire within the run: sweeps drop clients that renewed with auth but not at their supernode.
    ['steady', { clients: 200, hours: 4, params: { credentialLifetime: 3_600_000, renewBefore: 600_000 } }, 3, true],
    // A supernode drops a client after one unanswered sweep: a Keepalive that arrives just after a sweep can leave
    // a client silent for two, so no sweep is quiet while such a client runs accelerated (sweepSafe). (Counting such
    // clients as safe makes the two runs differ.)
    ['supernode-crash', { clients: 400, hours: 3, params: { missedKeepalives: 1 } }, 4, false],
    // Supernodes past their capacity (a bug): the capacity property's verdicts are counted as in an exact run.
    ['login-flood-2007', { clients: 300, hours: 3, params: { bugs: ['no-capacity-check'] } }, 5, true],
    // Obligations that fall due together (the clients of one crashed supernode) are each counted, at whichever
    // event judges them: counted once per judging event, this gave reattach-within 5 exact and 2 accelerated.
    ['login-flood-2007', { clients: 150, hours: 3, params: { keepaliveInterval: 25_000 } }, 11, true],
  ];
  for (const [name, scale, seed, quiet] of cases) {
    it(`${name} at ${scale.clients} clients${scale.params ? ` (${Object.entries(scale.params).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}: the same series, events, summary and final states with and without it`, async () => {
      const { scenario } = await loadScenario(name);
      const sc = resolveScenario(scenario, scale);
      const runs = bothWays(sc, seed);
      const [exact, fast] = runs;
      // The simulator's System counts the messages in flight to each actor (a crash scans the network only when its host has some).
      for (const sim of runs) {
        const counted = new Array<number>(sim.sys.topo.ids.length).fill(0);
        for (const m of sim.st.net.values()) counted[m.to]++;
        counted.forEach((n, i) => assert.equal(sim.sys.inFlightTo(sim.st, i), n, `in flight to ${sim.sys.topo.ids[i]}`));
      }
      assert.equal(exact.virtualEvents, 0);
      assert.equal(exact.quietSweeps, 0);
      // The sweeps that could drop nobody were not stepped: the final states below hold the silences they counted.
      if (quiet) assert.ok(fast.quietSweeps > 0.2 * fast.sys.topo.roles.filter((r) => r === 'supernode').length, `only ${fast.quietSweeps} quiet sweeps`);
      // Otherwise only sweeps of supernodes left without clients are quiet.
      else assert.equal(fast.quietSweeps, fast.quietEmptySweeps);
      assert.ok(fast.virtualEvents > 0.3 * fast.totalEvents, `only ${fast.virtualEvents} of ${fast.totalEvents} events accelerated`);
      assertSameRun(exact, fast);
      assert.equal(fast.metrics.evictions, exact.metrics.evictions);
      assert.deepEqual([...fast.metrics.crashedClients].sort(), [...exact.metrics.crashedClients].sort());
      // Verdicts: the same properties break as often, for the same actors. A time-bounded obligation is judged at
      // the first event applied after its deadline, which can come later without the keepalive rounds, loadWindow
      // timers and quiet sweeps that are not applied; here within a keepaliveInterval, as the obliged clients'
      // own events (retries, timers) keep coming.
      for (const [id, a] of exact.tallies) {
        const b = fast.tallies.get(id)!;
        assert.equal(b.count, a.count, id);
        assert.deepEqual(b.first?.actors, a.first?.actors, id);
        if (a.first) assert.ok(b.first!.t >= a.first.t && b.first!.t - a.first.t <= sc.resolved.keepaliveInterval, `${id}: first at ${b.first!.t} vs ${a.first.t}`);
      }
    });
  }

  it('runs a client with a fractional keepaliveInterval exactly (an accelerated round carries a whole one)', async () => {
    // Accelerated, its rounds drifted from the exact run's (the interval and a sweep count share one double in the
    // client's heap entry): a delivery in another metrics window a week in, maxLoad 7 against 6 (a review found it).
    const { scenario } = await loadScenario('steady');
    const sc = resolveScenario(scenario, { clients: 40, hours: 168, params: { keepaliveInterval: 60_000.1 } });
    const [exact, fast] = bothWays(sc, 3);
    assertSameRun(exact, fast);
    // No client ran accelerated: only sweeps of supernodes without clients were quiet.
    assert.equal(fast.quietSweeps, fast.quietEmptySweeps);
  });

  it('on a slow network: a Keepalive still in flight when its client is accelerated ahead puts the client back first', async () => {
    // Latencies in seconds (lognormal, median 2 s): an ack can come after the next round's Keepalive was sent, and
    // clear the client's missed count while that Keepalive is on its way; the client is then accelerated ahead at
    // once. Without the put-back at that Keepalive's delivery (fromAccelerated), its supernode's reset of the
    // silence went behind the acceleration: 5 actors ended in other states, the series and event counts differed.
    const { scenario } = await loadScenario('steady');
    const sc = { ...resolveScenario(scenario, { clients: 100, hours: 4 }), latency: { distribution: 'lognormal', median: 2000, sigma: 1.5 } as const };
    const [exact, fast] = bothWays(sc, 3);
    assert.ok(fast.virtualEvents > 0.3 * fast.totalEvents, `only ${fast.virtualEvents} of ${fast.totalEvents} events accelerated`);
    assertSameRun(exact, fast);
  });

  it('steps almost no sweep in a steady run: a client waiting for its first keepalive timer runs accelerated already', async () => {
    const { scenario } = await loadScenario('steady');
    const sc = resolveScenario(scenario, { clients: 200, hours: 4 });
    // Every sweep, as the exact run applies it (a supernode's keepalive timer).
    let sweeps = 0;
    const exact: Simulator = new Simulator(sc, simProps(sc), 3, {
      observe: (o) => {
        if (o.ev.type === 'timeout' && o.ev.timer === 'keepalive' && o.touched.length && exact.sys.topo.roles[o.touched[0].idx] === 'supernode') sweeps++;
      },
    }, { accelerate: false });
    exact.run();
    const fast = new Simulator(sc, simProps(sc), 3);
    fast.run();
    assert.equal(fast.totalEvents, exact.totalEvents);
    // Users log in and out all day: with acceleration from a client's first keepalive timer only, a fifth of the
    // sweeps (those while a client that had just registered waited for it) were stepped.
    assert.ok(sweeps > 900, `${sweeps} sweeps`);
    assert.ok(fast.quietSweeps >= 0.98 * sweeps, `${fast.quietSweeps} of ${sweeps} sweeps quiet`);
  });

  it('gives the same events and states when run in steps (run(until) again and again) as in one go', async () => {
    const { scenario } = await loadScenario('outage-2010');
    const sc = resolveScenario(scenario, { clients: 300, hours: 5 });
    const exact = new Simulator(sc, simProps(sc), 4, undefined, { accelerate: false });
    exact.run();
    const fast = new Simulator(sc, simProps(sc), 4, undefined, { accelerate: true });
    // Each step ends with every round put back; timers deferred past a step's end are counted once a step reaches them.
    for (let until = 123_457; until < sc.duration; until += 123_457) fast.run(until);
    fast.run();
    assert.ok(fast.virtualEvents > 0.3 * fast.totalEvents && fast.quietSweeps > 0, `${fast.virtualEvents} virtual events, ${fast.quietSweeps} quiet sweeps`);
    for (const [id, a] of exact.tallies) assert.equal(fast.tallies.get(id)!.count, a.count, id);
    // Its network numbers messages in order and delivers them within the latency bound: the MidMap keeps its sequential
    // form (a ring by mid, no hashing) all through the crash storm.
    for (const sim of [exact, fast]) assert.ok((sim.st.net as unknown as MidMap<unknown>).sequential);
    assertSameRun(exact, fast);
  });

  it('gives the same series, events and verdicts in 80 runs: four scenarios, five parameter sets, four seeds', async () => {
    // Wider than deep: the cases above compare final states too.
    const variants: ScaleOptions['params'][] = [{}, { keepaliveInterval: 25_000 }, { keepaliveInterval: 40_000 }, { missedKeepalives: 2 }, { capacity: 20 }];
    const differences: string[] = [];
    let runs = 0;
    for (const name of bundledScenarios()) {
      const { scenario } = await loadScenario(name);
      for (const params of variants) {
        for (const seed of [1, 2, 3, 11]) {
          const sc = resolveScenario(scenario, { clients: 150, hours: 3, params });
          const [exact, fast] = bothWays(sc, seed);
          runs++;
          differences.push(...differencesOf(exact, fast, `${name} ${JSON.stringify(params)} seed ${seed}`, true));
        }
      }
    }
    assert.equal(runs, 80);
    assert.deepEqual(differences, []);
  });

  it('on slow networks too (rounds that can turn out late), in 60 runs: four scenarios, five latency distributions, three seeds', async () => {
    // A round whose ack could come too late is put back at the flush that draws it, which must come before that
    // round's Keepalive arrives: while a supernode has such a client its loadWindow timer runs as real events, a
    // flush every loadWindow. Without it, steady (lognormal 2000 ms, σ 1.5, seed 2) put a Keepalive back after its
    // delivery time, and the series differed.
    const latencies: Latency[] = [
      { distribution: 'lognormal', median: 2000, sigma: 1.5 }, { distribution: 'lognormal', median: 300, sigma: 1.2 },
      { distribution: 'exponential', min: 100, mean: 3000 }, { distribution: 'uniform', min: 10, max: 29_000 },
      // A bound on its latencies of years (a table of bounds per ms of it could not even be allocated).
      { distribution: 'lognormal', median: 40, sigma: 3 },
    ];
    const differences: string[] = [];
    let runs = 0;
    let accelerated = 0;
    for (const name of bundledScenarios()) {
      const { scenario } = await loadScenario(name);
      for (const latency of latencies) {
        for (const seed of [1, 2, 3]) {
          const sc = { ...resolveScenario(scenario, { clients: 120, hours: 3 }), latency };
          const [exact, fast] = bothWays(sc, seed);
          runs++;
          if (fast.virtualEvents > 0) accelerated++;
          differences.push(...differencesOf(exact, fast, `${name} ${JSON.stringify(latency)} seed ${seed}`, false));
        }
      }
    }
    assert.equal(runs, 60);
    assert.equal(accelerated, runs, 'every run accelerates some rounds');
    assert.deepEqual(differences, []);
  });
});

