// `snc testgen`: generates abstract test cases that cover the role machines'
// states, transitions or transition pairs on a preset or config (breadth-first,
// or seeded random fault schedules with --random), writes them as JSON
// (schemas/testcases.schema.json) and prints a coverage summary. Exit 0, 2 on a
// usage error, 3 on an invalid config.
import { writeFile } from 'node:fs/promises';
import type { TestSuite } from '../../schemas/generated/testcases.js';
import { PRESETS, DEFAULT_PRESET } from '../../models/presets.js';
import { DEFAULT_PROPS, UnknownPropertyError } from '../props/index.js';
import { ConfigError, loadConfigFile, preset } from '../explore/config.js';
import { testgen, TESTGEN_DEFAULTS, type TestgenSpec } from '../testgen/run.js';
import { COVERAGE_KINDS } from '../testgen/goals.js';
import { CliError, choiceFlag, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs, type FlagValues } from './args.js';
import { printable, type Io } from './io.js';
import { parseProps } from './prop-flags.js';
import { checkReadable, checkWritable, refuseOverwrite, refuseStdin } from './files.js';
import { LIST_FLAGS, listPresets } from './explore.js';
import { plural } from './render.js';

const FLAGS: FlagSpecs = {
  preset: { type: 'string', valueName: 'NAME', description: `a named system (default ${DEFAULT_PRESET}); --list shows them` },
  ...LIST_FLAGS,
  config: { type: 'string', valueName: 'FILE', description: 'a system config JSON file (schemas/config.schema.json)' },
  coverage: { type: 'string', valueName: 'KIND', description: `${COVERAGE_KINDS.join('|')} (default states)` },
  'max-tests': { type: 'string', valueName: 'N', description: `at most N tests (default ${TESTGEN_DEFAULTS.maxTests})` },
  'max-depth': { type: 'string', valueName: 'N', description: `search at most N steps deep (default ${TESTGEN_DEFAULTS.maxDepth})` },
  'max-states': { type: 'string', valueName: 'N', description: `search at most N distinct states (default ${TESTGEN_DEFAULTS.maxStates})` },
  props: { type: 'string', valueName: 'IDS', description: 'comma-separated property ids the tests check (default: all but overload-evicts)' },
  random: { type: 'boolean', description: 'seeded random fault schedules (fast-check) instead of breadth-first search' },
  seed: { type: 'string', valueName: 'S', description: 'random: seed (default: chosen and printed)' },
  runs: { type: 'string', valueName: 'N', description: `random: number of schedules (default ${TESTGEN_DEFAULTS.runs})` },
  depth: { type: 'string', valueName: 'N', description: `random: steps per schedule (default ${TESTGEN_DEFAULTS.depth})` },
  out: { type: 'string', valueName: 'FILE.json', description: 'where the test suite goes (required)' },
};

export const TESTGEN_HELP = `Usage: snc testgen [--preset NAME | --config FILE] --coverage KIND --out FILE.json [options]

Generates abstract test cases from the models: a few short runs (inputs,
faults, and the deliveries and timeouts that fix the interleaving) that
together reach every state, transition or pair of consecutive transitions
the search finds, each with the actor states to expect, the properties to
check and its supernode-trace lines (snc check replays them).

Options:
${flagHelp(FLAGS)}

Exit: 0 written · 2 usage error · 3 invalid config
`;

async function specFrom(values: FlagValues): Promise<TestgenSpec> {
  if (values.preset !== undefined && values.config !== undefined) throw usageError('give --preset or --config, not both');
  let config;
  let name: string;
  if (typeof values.config === 'string') {
    refuseStdin(values.config, '--config', 'save the config to a file and pass its path');
    await checkReadable(values.config, 'name a JSON config file (schemas/config.schema.json)', 'name a JSON config file (schemas/config.schema.json), or a bundled system with --preset NAME');
    config = await loadConfigFile(values.config);
    name = values.config;
  } else {
    name = typeof values.preset === 'string' ? values.preset : DEFAULT_PRESET;
    config = preset(name);
    if (!config) throw usageError(`unknown preset ${JSON.stringify(name)}`, `presets: ${Object.keys(PRESETS).join(', ')} (snc testgen --list describes them)`);
  }
  const coverage = choiceFlag(values, 'coverage', COVERAGE_KINDS);
  const maxTests = intFlag(values, 'max-tests', TESTGEN_DEFAULTS.maxTests, 1);
  const where = typeof values.config === 'string' ? `--config ${values.config}` : `--preset ${name}`;
  let command = `snc testgen ${where} --coverage ${coverage}${values['max-tests'] !== undefined ? ` --max-tests ${maxTests}` : ''}`;
  const props = values.props !== undefined ? parseProps(values.props, DEFAULT_PROPS) : undefined;
  if (values.random === true) {
    const seed = values.seed !== undefined ? intFlag(values, 'seed', 0, 0, 2 ** 31 - 1) : (Date.now() ^ (process.pid << 8)) >>> 1;
    const random = { seed, runs: intFlag(values, 'runs', TESTGEN_DEFAULTS.runs, 1), depth: intFlag(values, 'depth', TESTGEN_DEFAULTS.depth, 1) };
    command += ` --random --seed ${seed} --runs ${random.runs} --depth ${random.depth}`;
    return { config, preset: name, coverage, maxTests, props, random, command };
  }
  for (const f of ['seed', 'runs', 'depth']) if (values[f] !== undefined) throw usageError(`--${f} needs --random`, `e.g. snc testgen ${where} --random --${f} ${values[f]}`);
  const maxDepth = intFlag(values, 'max-depth', TESTGEN_DEFAULTS.maxDepth, 0);
  const maxStates = intFlag(values, 'max-states', TESTGEN_DEFAULTS.maxStates, 1);
  if (values['max-depth'] !== undefined) command += ` --max-depth ${maxDepth}`;
  if (values['max-states'] !== undefined) command += ` --max-states ${maxStates}`;
  return { config, preset: name, coverage, maxTests, maxDepth, maxStates, props, command };
}

/** The coverage summary: `transitions: 25/162 covered by 7 tests, max length 16; never reached: …`. */
export function testgenSummary(s: TestSuite, out: string, shown = 8): string {
  const c = s.coverage;
  const how = s.search.mode === 'random'
    ? `random: seed ${s.search.seed}, ${s.search.runs} schedules of ≤ ${s.search.depth} steps, ${s.search.kept} kept`
    : `bfs: ${plural(s.search.states, 'state', (x) => x.toLocaleString('en'))}, depth ${s.search.depth}${s.search.complete ? ', complete' : `, bounded (--max-depth ${s.search.maxDepth}, --max-states ${s.search.maxStates})`}`;
  const list = (gs: string[]) => gs.slice(0, shown).join(', ') + (gs.length > shown ? ` … and ${gs.length - shown} more (see coverage in ${out})` : '');
  const lines = [
    `snc testgen ${s.preset}: ${how}`,
    `${c.kind}: ${c.covered}/${c.total} covered by ${plural(c.tests, 'test')}, max length ${c.maxLength}; reached ${c.reached}`,
  ];
  if (c.notSelected.length) lines.push(`not selected (--max-tests): ${list(c.notSelected)}`);
  if (c.neverReached.length) lines.push(`never reached: ${list(c.neverReached)}`);
  lines.push(`wrote ${out}`);
  if (s.search.mode === 'random') lines.push(`replay: ${s.command} --out ${out}`);
  return lines.map(printable).join('\n') + '\n';
}

/** Runs `snc testgen`; returns the exit code. */
export async function runTestgen(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'testgen');
  if (values.help) { io.out(TESTGEN_HELP); return 0; }
  if (values.list || values['list-presets']) { io.out(listPresets()); return 0; }
  if (positionals.length) throw usageError(`unexpected argument ${JSON.stringify(positionals[0])}`, 'name the system with --preset NAME or --config FILE');
  if (typeof values.out !== 'string') throw usageError('--out FILE.json is required', 'e.g. snc testgen --preset tiny --coverage transitions --out tests.json');
  if (typeof values.config === 'string') refuseOverwrite('--out', values.out, [{ path: values.config, what: 'the config file' }]);
  await checkWritable(values.out, 'choose a writable path with --out FILE.json');
  let spec: TestgenSpec;
  try {
    spec = await specFrom(values);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.err(`snc testgen: ${p.file}: ${p.code} ${p.message} — hint: ${p.hint}\n`);
      return 3;
    }
    throw e;
  }
  let suite: TestSuite;
  try {
    suite = testgen(spec);
  } catch (e) {
    if (e instanceof UnknownPropertyError) throw usageError(e.message, 'the property ids are in docs/properties.md (snc explain ID describes one)');
    throw e;
  }
  try {
    await writeFile(values.out, JSON.stringify(suite, null, 2) + '\n');
  } catch (e) {
    throw new CliError('CLI003', `cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'choose a writable path with --out FILE.json');
  }
  io.out(testgenSummary(suite, values.out));
  return 0;
}
