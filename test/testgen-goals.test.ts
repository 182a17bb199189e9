// The goal classifier (checker/testgen/goals.ts re-runs the interpreter's
// candidate selection) agrees with the interpreter on every step of seeded
// random walks over presets with faults, and the greedy selection and the
// `snc testgen` command behave as documented (summary, exit codes, no stacks).
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { PRESETS } from '../models/presets.js';
import { systemFor, initialState } from '../checker/explore/setup.js';
import { applyAction, enabledActions } from '../checker/explore/actions.js';
import { instantiate } from '../checker/props/index.js';
import { selectionAgrees, stepHits } from '../checker/testgen/hits.js';
import { goalUniverse } from '../checker/testgen/goals.js';
import { selectTests } from '../checker/testgen/select.js';
import { main } from '../checker/cli/main.js';
import { memoryIo } from '../checker/cli/io.js';

describe('snc testgen: goals, selection, command line', () => {
  for (const name of ['tiny-faults', 'late-im-crash', 'overload', 'outage-small', 'skip-credential-check']) {
    it(`classifies every step of random walks on ${name} as the interpreter does`, () => {
      const config = PRESETS[name];
      const sys = systemFor(config, instantiate([]));
      const universe = new Set(goalUniverse('transitions', sys.topo.roles));
      fc.assert(fc.property(fc.array(fc.nat(1000), { maxLength: 40 }), (choices) => {
        const { state, applied } = initialState(sys, config);
        let last = stepHits(sys, applied.observations, state.locals.map(() => undefined)).last;
        for (const c of choices) {
          const acts = enabledActions(sys, state, { timers: 'after-network' });
          if (!acts.length) break;
          const obs = applyAction(sys, state, acts[c % acts.length]).observations;
          assert.ok(selectionAgrees(sys, obs), 'fired ⇔ taken');
          const h = stepHits(sys, obs, last);
          for (const g of h.transitions) assert.ok(universe.has(g), `${g} is in the universe`);
          last = h.last;
        }
      }), { seed: 11, numRuns: 60 });
    });
  }

  it('greedy selection: most new goals first, shorter on ties, redundant tests dropped', () => {
    const a = (host: string, n: number) => Array.from({ length: n }, () => ({ kind: 'crash' as const, host }));
    const cands = [
      { path: a('x', 1), goals: ['g1'] },
      { path: a('x', 3), goals: ['g1', 'g2', 'g3'] },
      { path: a('y', 2), goals: ['g3', 'g4'] },
      { path: a('z', 5), goals: ['g1', 'g2', 'g3'] },
      { path: a('y', 1), goals: ['g3'] },
    ];
    const s = selectTests(cands, 10);
    assert.deepEqual(s.chosen, [1, 2], 'g1–g3 by the shorter of 1 and 3, then g4; 0 and 4 are prefixes');
    assert.deepEqual([...s.covered].sort(), ['g1', 'g2', 'g3', 'g4']);
    assert.deepEqual(selectTests(cands, 1).chosen, [1]);
  });

  it('prints the coverage summary, writes --out, exits 0', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'snc-testgen-')), 'tiny.json');
    const io = memoryIo();
    const code = await main(['testgen', '--preset', 'tiny', '--coverage', 'transitions', '--out', out], io);
    assert.equal(code, 0, io.stderr.join(''));
    const text = io.stdout.join('');
    assert.match(text, /^transitions: 25\/\d+ covered by \d+ tests, max length \d+; reached 25$/m);
    assert.match(text, /^never reached: .*… and \d+ more/m);
    const suite = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(suite.format, 'supernode-testcases');
    assert.equal(suite.command, 'snc testgen --preset tiny --coverage transitions');
  });

  it('random mode prints its seed and the command that replays it', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'snc-testgen-')), 'r.json');
    const io = memoryIo();
    const code = await main(['testgen', '--preset', 'supernode-crash', '--coverage', 'states', '--random', '--seed', '5', '--runs', '20', '--out', out], io);
    assert.equal(code, 0, io.stderr.join(''));
    assert.match(io.stdout.join(''), /random: seed 5, 20 schedules/);
    assert.match(io.stdout.join(''), /replay: snc testgen --preset supernode-crash --coverage states --random --seed 5 --runs 20 --depth 60/);
  });

  const usage: [string, string[], RegExp][] = [
    ['unknown coverage', ['--coverage', 'paths', '--out', 'x.json'], /CLI001 --coverage must be one of states, transitions, transition-pairs, got "paths"/],
    ['missing --out', ['--preset', 'tiny'], /CLI001 --out FILE\.json is required/],
    ['unknown preset', ['--preset', 'huge', '--out', 'x.json'], /CLI001 unknown preset "huge" — hint: presets: tiny/],
    ['bad --max-tests', ['--max-tests', '0', '--out', 'x.json'], /CLI001 --max-tests must be an integer ≥ 1, got "0"/],
    ['--seed without --random', ['--seed', '3', '--out', 'x.json'], /CLI001 --seed needs --random/],
    ['unknown flag', ['--coverge', 'states'], /CLI001 unknown flag --coverge .*did you mean --coverage\?/],
    ['unknown property', ['--props', 'nope', '--out', 'x.json'], /CLI001 unknown property "nope"/],
  ];
  for (const [what, args, re] of usage) {
    it(`usage error (${what}): exit 2, a coded line, no stack trace`, async () => {
      const io = memoryIo();
      assert.equal(await main(['testgen', ...args], io), 2);
      const err = io.stderr.join('');
      assert.match(err, re);
      assert.doesNotMatch(err, /\n\s+at /);
    });
  }
});
