// `snc testgen` as a library call: a system config, a coverage kind and bounds
// in; a test suite (schemas/testcases.schema.json TestSuite) out. The search
// (breadth-first, or seeded random schedules) finds a path per goal; each
// candidate path is replayed to learn every goal it hits; greedy set cover
// picks the tests; each becomes an abstract test case with its trace.
// Prints nothing; the output holds no times, so equal inputs give equal files.
import type { SystemConfig } from '../../schemas/generated/config.js';
import type { Search, TestSuite } from '../../schemas/generated/testcases.js';
import { DEFAULT_PROPS, instantiate } from '../props/index.js';
import { DEFAULT_HORIZON, type Action } from '../explore/actions.js';
import { systemFor } from '../explore/setup.js';
import { goalUniverse, type CoverageKind } from './goals.js';
import { coverageSearch, pathGoals } from './search.js';
import { randomCoverage } from './random.js';
import { selectTests, type Candidate } from './select.js';
import { testCase } from './cases.js';

export interface TestgenSpec {
  readonly config: SystemConfig;
  /** Preset name or config file, for the suite and its test ids. */
  readonly preset: string;
  readonly coverage: CoverageKind;
  readonly maxTests?: number;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly props?: readonly string[];
  readonly random?: { readonly seed: number; readonly runs: number; readonly depth: number };
  /** The command line that regenerates the suite. */
  readonly command?: string;
}

export const TESTGEN_DEFAULTS = { maxTests: 1000, maxDepth: 60, maxStates: 200_000, runs: 200, depth: 60 } as const;

/**
 * Generates the suite. Throws UnknownPropertyError for an unknown property id.
 *
 * @example testgen({ config: PRESETS.tiny, preset: 'tiny', coverage: 'transitions' }).coverage.covered
 */
export function testgen(spec: TestgenSpec): TestSuite {
  const propIds = spec.props ?? DEFAULT_PROPS;
  const sys = systemFor(spec.config, instantiate(propIds));
  const actionOpts = { timers: 'after-network', horizon: DEFAULT_HORIZON } as const;
  const maxTests = spec.maxTests ?? TESTGEN_DEFAULTS.maxTests;
  let witnesses: ReadonlyMap<string, readonly Action[]>;
  let search: Search;
  if (spec.random) {
    const r = randomCoverage(sys, spec.config, spec.coverage, { ...actionOpts, ...spec.random });
    witnesses = r.witnesses;
    search = { mode: 'random', ...spec.random, kept: r.kept };
  } else {
    const maxDepth = spec.maxDepth ?? TESTGEN_DEFAULTS.maxDepth;
    const maxStates = spec.maxStates ?? TESTGEN_DEFAULTS.maxStates;
    const r = coverageSearch(sys, spec.config, spec.coverage, { ...actionOpts, maxDepth, maxStates });
    witnesses = r.witnesses;
    search = { mode: 'bfs', maxDepth, maxStates, states: r.states, depth: r.depth, complete: r.complete };
  }
  // One candidate per distinct witness path (several goals often share one).
  const seenPaths = new Set<string>();
  const candidates: Candidate[] = [];
  for (const path of witnesses.values()) {
    const k = JSON.stringify(path);
    if (seenPaths.has(k)) continue;
    seenPaths.add(k);
    candidates.push({ path, goals: pathGoals(sys, spec.config, spec.coverage, path) });
  }
  const { chosen, covered } = selectTests(candidates, maxTests);
  const width = String(chosen.length).length;
  const tests = chosen.map((ci, n) => {
    const c = candidates[ci];
    return testCase(sys, spec.config, spec.preset, `${spec.preset}-${spec.coverage}-${String(n + 1).padStart(width, '0')}`, c.path, c.goals, propIds);
  });
  const roles = sys.topo.roles;
  const universe = goalUniverse(spec.coverage, roles);
  const reached = new Set(candidates.flatMap((c) => c.goals));
  return {
    format: 'supernode-testcases', version: 1, tool: 'supernode-check',
    command: spec.command ?? `snc testgen --preset ${spec.preset} --coverage ${spec.coverage}`,
    preset: spec.preset,
    config: spec.config,
    coverage: {
      kind: spec.coverage,
      total: new Set([...universe, ...reached]).size,
      reached: reached.size,
      covered: covered.size,
      tests: tests.length,
      maxLength: Math.max(0, ...tests.map((t) => t.steps.length)),
      neverReached: universe.filter((g) => !reached.has(g)),
      notSelected: [...reached].filter((g) => !covered.has(g)).sort(),
    },
    search,
    tests,
  };
}
