// bench/explore: distinct states per second of the BFS explorer on presets,
// with and without symmetry reduction, and the same search timed next to
// @xstate/graph's getShortestPaths on the product machine of a small preset
// (a devDependency; the comparison is skipped when it is not installed).
//
//   npm run bench -- explore [--preset two-supernodes-four-clients] [--repeats 3]
//                            [--graph-presets tiny,overload] [--graph-timeout 60]
//                            [--baseline DIR]
//
// --baseline DIR times another checkout's explorer (e.g. `git worktree add
// /tmp/base HEAD`) interleaved with this one's on the main preset: before and
// after in the same run, under the same load. Each line gives the median wall
// time and the median CPU seconds of the process (steadier on a shared machine).
//
// two-supernodes-four-clients is the largest preset whose search completes
// (in about a second without symmetry: checker/explore/successors.ts); tiny-faults
// and outage-small run into the 2M-state bound.
//
// The product machine is one XState machine whose context is the whole system
// state (every actor's local state, the messages in flight, the fault budget,
// the property monitors) and whose events are the explorer's actions, listed
// by enabledActions and applied by the same System semantics (local steps
// through the models' compiled `step`). Both searches therefore walk the same
// transition relation; getShortestPaths keys states by their canonical text
// (the unhashed input of the BFS's 53-bit fingerprint), so the two must find
// the same number of states, on a preset whose search runs to the end (the BFS
// stops early once every property is decided, e.g. after a violation).
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setup, assign } from 'xstate';
import { PRESETS, type SystemConfig } from '../models/presets.js';
import { encode, type Local } from '../models/index.js';
import { explore } from '../checker/explore/run.js';
import { instantiate } from '../checker/props/index.js';
import { initialState, systemFor } from '../checker/explore/setup.js';
import { applyAction, enabledActions, DEFAULT_HORIZON, type Action } from '../checker/explore/actions.js';
import { messageKey, stateExtras } from '../checker/explore/fingerprint.js';
import type { SysState } from '../checker/system/state.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const load = () => loadavg().map((x) => x.toFixed(2)).join(', ');

type Explore = typeof explore;
type Presets = typeof PRESETS;
interface Impl { readonly label: string; readonly explore: Explore; readonly presets: Presets }
interface Timing { states: number; seconds: number; complete: boolean; runs: number[]; cpu: number[]; cpuSeconds: number }

/**
 * One BFS run of `impl` on preset `name` (default properties and bounds), with the CPU seconds of this
 * process over the whole call (V8's GC helper threads included; steadier than wall time on a shared machine).
 */
function once(impl: Impl, name: string, symmetry: boolean): { states: number; seconds: number; cpu: number; complete: boolean } {
  const c0 = process.cpuUsage();
  const r = impl.explore({ config: impl.presets[name], model: name, symmetry }).report;
  const c = process.cpuUsage(c0);
  return { states: r.states, seconds: r.seconds, cpu: (c.user + c.system) / 1e6, complete: r.complete };
}

/**
 * Median time of `repeats` BFS runs of each implementation, interleaved (a, b, b, a, a, b, ...)
 * so that a change in the machine's load hits them alike.
 */
function timeBfs(impls: readonly Impl[], name: string, repeats: number, symmetry = false): Timing[] {
  const out: Timing[] = impls.map(() => ({ states: 0, seconds: 0, complete: false, runs: [], cpu: [], cpuSeconds: 0 }));
  for (let i = 0; i < repeats; i++) {
    for (let k = 0; k < impls.length; k++) {
      const j = i % 2 ? impls.length - 1 - k : k;
      const r = once(impls[j], name, symmetry);
      out[j].runs.push(r.seconds);
      out[j].cpu.push(r.cpu);
      if (i === 0) { out[j].states = r.states; out[j].complete = r.complete; }
    }
  }
  for (const t of out) { t.seconds = median(t.runs); t.cpuSeconds = median(t.cpu); }
  return out;
}

/** The explorer of another checkout (`--baseline DIR`), to time before/after in one run. */
async function baselineAt(dir: string): Promise<Impl> {
  const root = resolve(dir);
  const { explore: e } = (await import(pathToFileURL(join(root, 'checker/explore/run.ts')).href)) as { explore: Explore };
  const { PRESETS: p } = (await import(pathToFileURL(join(root, 'models/presets.ts')).href)) as { PRESETS: Presets };
  return { label: `baseline (${dir})`, explore: e, presets: p };
}

class GraphTimeout extends Error {}

/**
 * getShortestPaths on the product machine of `config`, default properties
 * monitored, timers after the network (the explorer's defaults). Throws
 * GraphTimeout once `timeoutS` seconds have passed (checked before each state's
 * events are listed: getShortestPaths itself cannot be interrupted).
 */
async function graphSearch(config: SystemConfig, timeoutS: number): Promise<{ states: number; seconds: number; maxWeight: number }> {
  const { getShortestPaths } = await import('@xstate/graph');
  const sys = systemFor(config, instantiate());
  const { state } = initialState(sys, config);
  const opts = { timers: 'after-network', horizon: DEFAULT_HORIZON } as const;
  type Ctx = { st: SysState };
  type Ev = { type: 'act'; action: Action };
  const product = setup({
    types: { context: {} as Ctx, events: {} as Ev },
    actions: {
      apply: assign(({ context, event }) => {
        const st = context.st.clone();
        applyAction(sys, st, event.action);
        return { st };
      }),
    },
  }).createMachine({ id: 'product', context: { st: state }, on: { act: { actions: 'apply' } } });

  const encoded = new WeakMap<Local, string>();
  const enc = (l: Local) => { let e = encoded.get(l); if (e === undefined) { e = encode(l); encoded.set(l, e); } return e; };
  // The canonical text of a system state: what the BFS fingerprint hashes.
  const serialize = (st: SysState): string => {
    let s = '';
    for (const l of st.locals) s += (l ? enc(l) : '-') + '\n';
    const msgs: string[] = [];
    for (const m of st.net.values()) msgs.push(messageKey(sys, m));
    return s + msgs.sort().join('\n') + '\n' + stateExtras(sys, st);
  };
  const t0 = performance.now();
  const paths = getShortestPaths(product, {
    serializeState: (snap) => serialize(snap.context.st),
    events: (snap) => {
      if (performance.now() - t0 > timeoutS * 1000) throw new GraphTimeout();
      return enabledActions(sys, snap.context.st, opts).map((action) => ({ type: 'act' as const, action }));
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  let maxWeight = 0;
  for (const p of paths) if (p.weight > maxWeight) maxWeight = p.weight;
  return { states: paths.length, seconds, maxWeight };
}

export async function run(args: string[] = []): Promise<void> {
  const { values } = parseArgs({ args, strict: false, options: {
    preset: { type: 'string', default: 'two-supernodes-four-clients' },
    'graph-presets': { type: 'string', default: 'tiny,overload' },
    'graph-timeout': { type: 'string', default: '60' },
    baseline: { type: 'string' },
    repeats: { type: 'string', default: '3' },
  } });
  const name = String(values.preset);
  const repeats = Number(values.repeats);
  const current: Impl = { label: 'this checkout', explore, presets: PRESETS };
  const impls: Impl[] = values.baseline ? [await baselineAt(String(values.baseline)), current] : [current];
  process.stdout.write(`bench/explore: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load()}; medians of ${repeats}${impls.length > 1 ? ', baseline and this checkout interleaved' : ''}\n`);

  process.stdout.write(`preset ${name} (the largest preset whose search completes)\n`);
  const byMode: Timing[][] = [];
  for (const symmetry of [false, true]) {
    const ts = timeBfs(impls, name, repeats, symmetry);
    byMode.push(ts);
    ts.forEach((r, k) => {
      const who = impls.length > 1 ? ` ${k ? 'after ' : 'before'}` : '';
      process.stdout.write(`  symmetry ${symmetry ? 'on ' : 'off'}${who}: ${fmt(r.states)} states${r.complete ? '' : ' (bounded)'} in ${r.seconds.toFixed(2)} s = ${fmt(r.states / r.seconds)} states/s  [${r.runs.map((x) => x.toFixed(2)).join(' ')}]; CPU ${r.cpuSeconds.toFixed(2)} s = ${fmt(r.states / r.cpuSeconds)} states per CPU-s  [${r.cpu.map((x) => x.toFixed(2)).join(' ')}]\n`);
    });
    if (impls.length > 1) {
      const [a, b] = ts;
      process.stdout.write(`  symmetry ${symmetry ? 'on ' : 'off'} speed-up: ${(a.seconds / b.seconds).toFixed(2)}x (CPU ${(a.cpuSeconds / b.cpuSeconds).toFixed(2)}x)${a.states === b.states ? '' : ` (STATES DIFFER: ${fmt(a.states)} vs ${fmt(b.states)})`}\n`);
    }
  }
  const last = impls.length - 1;
  process.stdout.write(`  symmetry reduces states ${(byMode[0][last].states / byMode[1][last].states).toFixed(1)}x\n`);

  for (const small of ['tiny', 'supernode-crash']) {
    const [r] = timeBfs([current], small, repeats);
    process.stdout.write(`  ${small}: ${fmt(r.states)} states in ${r.seconds.toFixed(2)} s = ${fmt(r.states / r.seconds)} states/s\n`);
  }

  const timeout = Number(values['graph-timeout']);
  for (const gname of String(values['graph-presets']).split(',').filter(Boolean)) {
    process.stdout.write(`@xstate/graph getShortestPaths vs the BFS, preset ${gname} (product machine, default properties, no symmetry)\n`);
    const [bfs] = timeBfs([current], gname, repeats);
    process.stdout.write(`  explorer BFS     : ${fmt(bfs.states)} states in ${bfs.seconds.toFixed(3)} s (median of ${repeats})\n`);
    try {
      const g = await graphSearch(PRESETS[gname], timeout);
      process.stdout.write(`  getShortestPaths : ${fmt(g.states)} states in ${g.seconds.toFixed(3)} s (one run; longest shortest path ${g.maxWeight})\n`);
      process.stdout.write(`  states ${g.states === bfs.states ? 'agree' : `DIFFER (${fmt(g.states)} vs ${fmt(bfs.states)})`}; getShortestPaths takes ${(g.seconds / bfs.seconds).toFixed(1)}x the BFS's time\n`);
    } catch (e) {
      if (e instanceof GraphTimeout) process.stdout.write(`  getShortestPaths : did not finish within ${timeout} s (stopped)\n`);
      else if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') process.stdout.write('  getShortestPaths : skipped (@xstate/graph is not installed: npm ci)\n');
      else throw e;
    }
  }
  process.stdout.write(`load average at the end ${load()}\n`);
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) await run(process.argv.slice(2));
