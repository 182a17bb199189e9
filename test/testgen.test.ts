// `snc testgen`: the generated suites validate against their schema, every
// test's trace conforms when `snc check` replays it, and the coverage the
// generator claims is recomputed independently by replaying those traces
// through the conformer (not the explorer) and classifying what each actor did.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import testcasesSchema from '../schemas/testcases.schema.json' with { type: 'json' };
import configSchema from '../schemas/config.schema.json' with { type: 'json' };
import traceSchema from '../schemas/trace.schema.json' with { type: 'json' };
import type { TestSuite } from '../schemas/generated/testcases.js';
import type { Event, Header } from '../schemas/generated/trace.js';
import { PRESETS } from '../models/presets.js';
import { testgen } from '../checker/testgen/run.js';
import { goalUniverse, roleTransitions, type CoverageKind } from '../checker/testgen/goals.js';
import { initialHits, stepHits, type LastTransitions } from '../checker/testgen/hits.js';
import { actionOf } from '../checker/testgen/cases.js';
import { isPrefix } from '../checker/testgen/select.js';
import { Conformer } from '../checker/conform/conformer.js';
import { checkFile } from '../checker/conform/check.js';
import { systemFor, initialState } from '../checker/explore/setup.js';
import { applyAction } from '../checker/explore/actions.js';
import { instantiate } from '../checker/props/index.js';
import type { Observation } from '../checker/system/system.js';

const ajv = new Ajv2020({ allErrors: true, strict: false, discriminator: true });
ajv.addSchema(traceSchema);
ajv.addSchema(configSchema);
const validate = ajv.compile(testcasesSchema);

/** Goals of `kind` hit when the conformer replays `lines` (a supernode-trace). */
export function replayGoals(lines: readonly string[], kind: CoverageKind): Set<string> {
  const header = JSON.parse(lines[0]) as Header;
  const c = new Conformer(header, { props: instantiate([]), hidden: 0, hiddenKinds: new Set(), maxCandidates: 1 });
  const seen: Observation[] = [];
  const observe = c.sys.observe.bind(c.sys);
  c.sys.observe = (st, o, acc) => { seen.push(o); observe(st, o, acc); };
  const goals = new Set<string>();
  const init = initialHits(c.sys, c.st);
  init[kind].forEach((g) => goals.add(g));
  let last: LastTransitions = init.last;
  lines.slice(1).forEach((line, i) => {
    seen.length = 0;
    c.event(JSON.parse(line) as Event, i + 2);
    const h = stepHits(c.sys, seen, last);
    h[kind].forEach((g) => goals.add(g));
    last = h.last;
  });
  assert.deepEqual(c.divergences, [], 'the trace replays without divergence');
  return goals;
}

function checkSuite(suite: TestSuite): void {
  assert.ok(validate(suite), JSON.stringify(validate.errors?.slice(0, 3)));
  const kind = suite.coverage.kind;
  const claimed = new Set(suite.tests.flatMap((t) => t.goals));
  assert.equal(claimed.size, suite.coverage.covered, 'covered = union of the tests\' goals');
  const replayed = new Set<string>();
  for (const t of suite.tests) {
    const goals = replayGoals(t.trace, kind);
    for (const g of t.goals) assert.ok(goals.has(g), `${t.id}: replaying its trace hits ${g}`);
    goals.forEach((g) => replayed.add(g));
  }
  for (const g of claimed) assert.ok(replayed.has(g), `replay covers ${g}`);
  assert.ok(suite.tests.length <= Math.max(1, suite.coverage.covered), 'no more tests than goals');
  assert.equal(suite.coverage.covered + suite.coverage.notSelected.length, suite.coverage.reached);
  assert.equal(suite.coverage.reached + suite.coverage.neverReached.length, suite.coverage.total);
  assert.equal(suite.coverage.total, goalUniverse(kind, suite.config.actors.map((a) => a.role)).length, 'every goal reached is in the static universe');
}

describe('snc testgen (test generation)', () => {
  const tiny = PRESETS.tiny;
  const states = testgen({ config: tiny, preset: 'tiny', coverage: 'states' });
  const transitions = testgen({ config: tiny, preset: 'tiny', coverage: 'transitions' });

  it('generates tiny suites that validate against schemas/testcases.schema.json', () => {
    for (const s of [states, transitions]) assert.ok(validate(s), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(states.coverage.covered, 12);
    assert.equal(transitions.coverage.covered, 25);
    assert.ok(transitions.search.mode === 'bfs' && transitions.search.complete && transitions.search.states === 15716);
    assert.ok(transitions.coverage.neverReached.includes('client.authenticating LoginBusy#0→authWaiting'), 'auth faults are outside tiny\'s budget');
  });

  it('the tiny suites\' claims hold when their traces are replayed through the conformer', () => {
    checkSuite(states);
    checkSuite(transitions);
  });

  it('every test trace conforms under snc check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snc-testgen-'));
    for (const t of transitions.tests) {
      const file = join(dir, `${t.id}.ndjson`);
      await writeFile(file, t.trace.join('\n') + '\n');
      const r = await checkFile(file);
      assert.equal(r.verdict, 'conforms', `${t.id}: ${JSON.stringify(r.problems?.slice(0, 2))}`);
      for (const p of r.properties ?? []) assert.notEqual(p.status, 'violated', `${t.id}: ${p.id}`);
    }
  });

  it('transition coverage accounts for every covered state (sanity)', () => {
    assert.ok(transitions.coverage.covered >= states.coverage.covered, `${transitions.coverage.covered} ≥ ${states.coverage.covered}`);
    const ts = ['auth', 'im', 'client', 'supernode'].flatMap((r) => roleTransitions(r as never));
    const ends = new Set(transitions.tests.flatMap((t) => t.goals).flatMap((id) => {
      const g = ts.find((x) => x.id === id)!;
      return [`${g.role}.${g.source}`, `${g.role}.${g.target}`];
    }));
    const initial = new Set(['auth.up', 'im.up', 'client.offline', 'supernode.boot']);
    for (const s of states.tests.flatMap((t) => t.goals)) assert.ok(ends.has(s) || initial.has(s), `${s} is an end of a covered transition`);
  });

  it('abstract steps replay to the same run and the expected observations', () => {
    const sys = systemFor(tiny, instantiate(transitions.tests[0].properties));
    for (const t of transitions.tests) {
      const { state } = initialState(sys, tiny);
      for (const s of t.steps) {
        const a = actionOf(sys, state, s);
        assert.equal(typeof a, 'object', `${t.id}: ${a as string}`);
        applyAction(sys, state, a as Exclude<typeof a, string>);
      }
      const got = state.locals.flatMap((l, i) => (l ? [{ actor: sys.topo.ids[i], state: l.value }] : []));
      assert.deepEqual(got, t.expect.states, t.id);
      assert.equal(state.net.size, t.expect.inFlight.length, t.id);
    }
  });

  it('selection is small and keeps no prefix of another test', () => {
    for (const s of [states, transitions]) {
      for (const a of s.tests) for (const b of s.tests) {
        if (a === b) continue;
        const key = (x: typeof a) => x.steps.map((st) => JSON.stringify(st));
        assert.ok(!isPrefix(key(a) as never, key(b) as never), `${a.id} is a prefix of ${b.id}`);
      }
    }
    assert.ok(transitions.tests.length <= 10, `${transitions.tests.length} tests`);
  });

  it('--max-tests bounds the suite and reports what it leaves uncovered', () => {
    const two = testgen({ config: tiny, preset: 'tiny', coverage: 'transitions', maxTests: 2 });
    assert.ok(two.tests.length <= 2);
    assert.ok(two.coverage.notSelected.length > 0);
    checkSuite(two);
  });

  it('is deterministic: the same spec gives the same file', () => {
    const again = testgen({ config: tiny, preset: 'tiny', coverage: 'transitions' });
    assert.equal(JSON.stringify(again), JSON.stringify(transitions));
  });

  it('covers transition pairs within a depth bound', () => {
    const pairs = testgen({ config: tiny, preset: 'tiny', coverage: 'transition-pairs', maxDepth: 14 });
    assert.ok(pairs.search.mode === 'bfs' && !pairs.search.complete);
    assert.ok(pairs.coverage.covered > transitions.coverage.covered / 2);
    checkSuite(pairs);
  });

  it('random mode: seeded fault schedules that add coverage, reproducible by seed', () => {
    const spec = { config: PRESETS['supernode-crash'], preset: 'supernode-crash', coverage: 'transitions' as const, random: { seed: 7, runs: 60, depth: 40 } };
    const r = testgen(spec);
    assert.ok(r.search.mode === 'random' && r.search.kept > 0 && r.search.seed === 7);
    assert.ok(r.tests.some((t) => t.steps.some((s) => s.step === 'crash')), 'some schedule crashes a host');
    checkSuite(r);
    assert.equal(JSON.stringify(testgen(spec)), JSON.stringify(r));
  });

  it('a written suite round-trips through JSON', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'snc-testgen-')), 'tiny.json');
    await writeFile(file, JSON.stringify(states));
    assert.ok(validate(JSON.parse(await readFile(file, 'utf8'))));
  });
});
