// `snc explore`: explores a preset or config exhaustively (BFS, optional
// symmetry reduction) or by seeded random walks, prints a summary with a
// verdict per property, and writes every counterexample and witness as a
// supernode-trace file. Exit 0 all hold, 1 a property is violated, 2 usage,
// 3 invalid config.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../../schemas/generated/report.js';
import { PRESETS, DEFAULT_PRESET } from '../../models/presets.js';
import { CATALOGUE, DEFAULT_PROPS, UnknownPropertyError } from '../props/index.js';
import { explore, EXPLORE_DEFAULTS, type ExploreSpec } from '../explore/run.js';
import { ConfigError, loadConfigFile, preset } from '../explore/config.js';
import { DEFAULT_HORIZON } from '../explore/actions.js';
import { CliError, choiceFlag, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs, type FlagValues } from './args.js';
import { printable, type Io } from './io.js';
import { checkReadable, ensureFolder, NO_STDIN_HINT, refuseStdin } from './files.js';
import { parseProps, parseWithin } from './prop-flags.js';
import { explorationText } from './render-explore.js';

/**
 * `--list`, as simulate spells it, and its older spelling here, `--list-presets`, still
 * accepted (explore and testgen).
 */
export const LIST_FLAGS: FlagSpecs = {
  list: { type: 'boolean', description: 'list the presets and exit' },
  'list-presets': { type: 'boolean', description: 'the same as --list (the older spelling, still accepted)' },
};

const FLAGS: FlagSpecs = {
  preset: { type: 'string', valueName: 'NAME', description: `a named system (default ${DEFAULT_PRESET}); --list shows them` },
  config: { type: 'string', valueName: 'FILE', description: 'a system config JSON file (schemas/config.schema.json)' },
  props: { type: 'string', valueName: 'IDS', description: 'comma-separated property ids (default: all but overload-evicts)' },
  within: { type: 'string', valueName: 'ID=N,...', description: 'N of bounded-response properties, e.g. reattach-within=10' },
  measure: { type: 'string', valueName: 'global|actor', description: 'what N counts (default per property)' },
  'max-depth': { type: 'string', valueName: 'N', description: `stop expanding at depth N (default ${EXPLORE_DEFAULTS.maxDepth})` },
  'max-states': { type: 'string', valueName: 'N', description: `stop after N distinct states (default ${EXPLORE_DEFAULTS.maxStates})` },
  symmetry: { type: 'boolean', description: 'treat interchangeable clients and supernodes as one' },
  random: { type: 'boolean', description: 'seeded random walks (fast-check) instead of exhaustive search' },
  runs: { type: 'string', valueName: 'N', description: 'random: number of walks (default 1000)' },
  depth: { type: 'string', valueName: 'N', description: 'random: steps per walk (default 60)' },
  seed: { type: 'string', valueName: 'S', description: 'random: seed (default: chosen and printed)' },
  network: { type: 'string', valueName: 'unordered|fifo', description: 'message order (default unordered, or the config\'s)' },
  timers: { type: 'string', valueName: 'after-network|free', description: 'timers fire only when the actor has nothing in flight (default), or any time' },
  horizon: { type: 'string', valueName: 'MS', description: `model time covered; longer timers never fire (default ${DEFAULT_HORIZON})` },
  out: { type: 'string', valueName: 'DIR', description: 'where counterexample and witness traces go (default snc-out/explore); a complete search removes an earlier run\'s trace for a property it proves to hold' },
  format: { type: 'string', valueName: 'text|json', description: 'text summary (default) or a JSON report' },
  ...LIST_FLAGS,
};

export const EXPLORE_HELP = `Usage: snc explore [--preset NAME | --config FILE] [options]

Explores every interleaving of the system's actors, inputs and faults (within
the config's budget) breadth-first, checking the properties on every step;
every counterexample is a shortest one. With --random, runs seeded random walks
and shrinks what fails. Each counterexample and witness is written as a
supernode-trace file (clock "step") that snc validate and snc check accept.

Options:
${flagHelp(FLAGS)}

Properties: ${CATALOGUE.map((p) => p.id).join(', ')}
Exit: 0 no property violated (within the bounds, if the search is incomplete) · 1 a property is violated · 2 usage error · 3 invalid config
`;


/** The presets, one per line with its description (explore and testgen --list). */
export function listPresets(): string {
  const width = Math.max(...Object.keys(PRESETS).map((k) => k.length));
  return Object.entries(PRESETS).map(([k, p]) => `  ${k.padEnd(width)}  ${p.description ?? ''}`).join('\n') + '\n';
}

async function specFrom(values: FlagValues): Promise<ExploreSpec> {
  if (values.preset !== undefined && values.config !== undefined) throw usageError('give --preset or --config, not both');
  let config;
  let model: string;
  if (typeof values.config === 'string') {
    refuseStdin(values.config, '--config', 'save the config to a file and pass its path');
    await checkReadable(values.config, 'name a JSON config file (schemas/config.schema.json)', NO_STDIN_HINT);
    config = await loadConfigFile(values.config);
    model = values.config;
  } else {
    model = typeof values.preset === 'string' ? values.preset : DEFAULT_PRESET;
    config = preset(model);
    if (!config) throw usageError(`unknown preset ${JSON.stringify(model)}`, `presets: ${Object.keys(PRESETS).join(', ')} (snc explore --list describes them)`);
  }
  const props = parseProps(values.props, DEFAULT_PROPS);
  const random = values.random === true;
  if (random && values.symmetry) throw usageError('--symmetry applies to the exhaustive search, not to --random', 'drop one of the two flags');
  if (!random) for (const f of ['runs', 'depth', 'seed']) if (values[f] !== undefined) throw usageError(`--${f} applies to --random only`, `add --random, or drop --${f}`);
  if (random) for (const f of ['max-depth', 'max-states']) if (values[f] !== undefined) throw usageError(`--${f} bounds the exhaustive search, not --random`, `--runs and --depth bound the random walks; drop --${f}`);
  const seed = values.seed !== undefined ? intFlag(values, 'seed', 0, 0, 2 ** 31 - 1) : (Date.now() ^ (process.pid << 8)) >>> 1;
  const measureRaw = values.measure;
  return {
    config, model, props,
    overrides: parseWithin(values.within),
    ...(measureRaw !== undefined ? { measure: choiceFlag(values, 'measure', ['global', 'actor'] as const) } : {}),
    maxDepth: intFlag(values, 'max-depth', EXPLORE_DEFAULTS.maxDepth, 0),
    maxStates: intFlag(values, 'max-states', EXPLORE_DEFAULTS.maxStates, 1),
    symmetry: values.symmetry === true,
    timers: choiceFlag(values, 'timers', ['after-network', 'free'] as const),
    horizon: intFlag(values, 'horizon', DEFAULT_HORIZON, 0),
    ...(values.network !== undefined ? { network: choiceFlag(values, 'network', ['unordered', 'fifo'] as const) } : {}),
    ...(random ? { random: { runs: intFlag(values, 'runs', 1000, 1), depth: intFlag(values, 'depth', 60, 1), seed } } : {}),
    command: `snc explore ${typeof values.config === 'string' ? `--config ${values.config}` : `--preset ${model}`}${random ? ` --random --runs ${intFlag(values, 'runs', 1000, 1)} --depth ${intFlag(values, 'depth', 60, 1)} --seed ${seed}` : ''}`,
  };
}

/** Runs `snc explore`; returns the exit code. */
export async function runExplore(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'explore');
  if (values.help) { io.out(EXPLORE_HELP); return 0; }
  if (values.list || values['list-presets']) { io.out(listPresets()); return 0; }
  if (positionals.length) throw usageError(`unexpected argument ${JSON.stringify(positionals[0])}`, 'name the system with --preset NAME or --config FILE');
  const format = choiceFlag(values, 'format', ['text', 'json'] as const);
  let spec: ExploreSpec;
  try {
    spec = await specFrom(values);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.err(`snc explore: ${p.file}: ${p.code} ${p.message} — hint: ${p.hint}\n`);
      return 3;
    }
    throw e;
  }
  // A folder given with --out is made before the search (a typo must not throw away the run);
  // the default one only when there are traces to write (a run that finds none writes nothing).
  const dir = typeof values.out === 'string' ? values.out : join('snc-out', 'explore');
  if (typeof values.out === 'string') await ensureFolder(dir, 'choose a writable folder with --out DIR');
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true;
  const progress = tty ? (p: { states: number; transitions: number; depth: number; queue: number; seconds: number }) =>
    io.err(`\r  ${p.states.toLocaleString('en')} states · depth ${p.depth} · ${Math.round(p.states / p.seconds).toLocaleString('en')}/s · queue ${p.queue.toLocaleString('en')}   `) : undefined;
  let outcome;
  try {
    outcome = explore({ ...spec, onProgress: progress });
  } catch (e) {
    if (e instanceof UnknownPropertyError) throw usageError(e.message, 'see snc explore --help for the property ids');
    throw e;
  }
  if (progress) io.err('\r\x1b[K');
  const written = new Map<string, string>();
  const stem = spec.model.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\.json$/, '');
  if (outcome.traces.length) {
    try {
      await mkdir(dir, { recursive: true });
      for (const t of outcome.traces) {
        const file = join(dir, `${stem}.${t.property}.${t.kind === 'violation' ? 'counterexample' : 'witness'}.ndjson`);
        await writeFile(file, t.lines.join('\n') + '\n');
        written.set(t.property, file);
      }
    } catch (e) {
      throw new CliError('CLI003', `cannot write traces to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'choose a writable folder with --out DIR');
    }
  }
  // A trace an earlier run of this model left for a property that this run proved to hold (or
  // never to be witnessed) is stale: removed, so that `snc check DIR/model.*.ndjson` (npm start)
  // checks this run's. Only a complete exhaustive search proves that; a bounded or random one
  // leaves earlier traces alone.
  const x = outcome.report;
  if (x.mode === 'exhaustive' && x.complete) {
    for (const p of x.properties) {
      if (p.status !== 'holds' && p.status !== 'unwitnessed') continue;
      const old = join(dir, `${stem}.${p.id}.${p.status === 'holds' ? 'counterexample' : 'witness'}.ndjson`);
      try {
        await rm(old);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') io.err(printable(`snc explore: note: could not remove the stale ${old}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`) + '\n');
      }
    }
  }
  for (const p of outcome.report.properties) if (written.has(p.id)) p.trace = written.get(p.id)!;
  const violated = outcome.report.properties.some((p) => p.status === 'violated');
  if (format === 'json') {
    const report: Report = { tool: 'supernode-check', reportVersion: 1, command: 'explore', ok: !violated, exploration: outcome.report };
    io.out(JSON.stringify(report, null, 2) + '\n');
  } else {
    io.out(explorationText(outcome.report));
  }
  return violated ? 1 : 0;
}
