// `snc overlay`: runs the reference overlay (reference/: a real implementation
// of the protocol over TCP on 127.0.0.1, with real timers) through a scenario,
// records it as a supernode-trace, prints a short summary and the `snc check`
// command to run on the recording. Exit 0 the run was recorded · 2 usage error
// (CLI001, REF001) · 4 the run failed (REF002).
import { BUGS } from '../../reference/roles.js';
import { OverlayError } from '../../reference/overlay.js';
import { SCENARIOS, runScenario, type ScenarioName } from '../../reference/scenarios.js';
import { CliError, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs } from './args.js';
import { checkWritable } from './files.js';
import { printable, type Io } from './io.js';
import { plural } from './render.js';

const FLAGS: FlagSpecs = {
  clients: { type: 'string', valueName: 'N', description: 'number of clients (default 6)' },
  supernodes: { type: 'string', valueName: 'M', description: 'number of supernodes (default 3)' },
  scenario: { type: 'string', valueName: 'NAME', description: `${Object.keys(SCENARIOS).join(' | ')} (default steady)` },
  record: { type: 'string', valueName: 'FILE', description: 'write the recording (supernode-trace, clock "ms") to FILE (required)' },
  bug: { type: 'string', valueName: 'NAME', description: 'turn a bug switch on (repeatable); see below' },
  seed: { type: 'string', valueName: 'S', description: 'seed of the scenario script (default 1)' },
  duration: { type: 'string', valueName: 'MS', description: 'wall time of the run in ms (default 3000)' },
};

const pad = (rows: [string, string][]) => {
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n');
};

export const OVERLAY_HELP = `Usage: snc overlay --record FILE [options]

Runs the reference overlay: auth, im, M supernodes and N clients as TCP servers
in this process (127.0.0.1, ephemeral ports), talking JSON lines, with real
timers (the models' durations scaled down about 100x). A seeded script drives
the scenario; every message sent and delivered, every input, crash, restart and
drop is recorded (timeouts are not: snc check infers them). At the end each
actor's state is recorded as an observe event. Check the recording with
snc check FILE. The summary counts the clients online at a live supernode at
the end (their upstream is up and has them registered), and apart those stuck
online at a dead upstream (it crashed, or restarted without them).

Options:
${flagHelp(FLAGS)}

Scenarios:
${pad(Object.entries(SCENARIOS))}

Bug switches (realistic defects, for testing the checker):
${pad(Object.entries(BUGS))}

A defect shows only in a run that exercises it: these two scenarios exercise
never-reattach (supernode-crash). The others need a full supernode, an expired
credential, a crashed client looked up, or a slow im: npm run mutants runs
generated tests that do (snc run-tests). Timers are scaled ~100x down, so on a
loaded machine runs of more than ~100 clients may answer later than the scaled
timeouts allow and the recording then diverges from the model.

Exit: 0 the run was recorded · 2 usage error · 4 the run failed (REF002)
`;

/** Runs `snc overlay`; returns the exit code. */
export async function runOverlay(argv: string[], io: Io): Promise<number> {
  const bugArgs = collectBugs(argv);
  const { values, positionals } = parseFlags(bugArgs.rest, FLAGS, 'overlay');
  if (values.help) {
    io.out(OVERLAY_HELP);
    return 0;
  }
  if (positionals.length) throw usageError(`unexpected argument ${JSON.stringify(positionals[0])} for \`snc overlay\``, 'e.g. snc overlay --scenario steady --record run.ndjson');
  const clients = intFlag(values, 'clients', 6, 1, 500);
  const supernodes = intFlag(values, 'supernodes', 3, 1, 50);
  const seed = intFlag(values, 'seed', 1);
  const duration = intFlag(values, 'duration', 3000, 200, 3_600_000);
  const scenario = (values.scenario ?? 'steady') as string;
  if (!(scenario in SCENARIOS)) throw new CliError('REF001', `unknown scenario ${JSON.stringify(scenario)}`, `scenarios: ${Object.keys(SCENARIOS).join(', ')}`);
  for (const b of bugArgs.bugs) if (!(b in BUGS)) throw new CliError('REF001', `unknown bug switch ${JSON.stringify(b)}`, `bug switches: ${Object.keys(BUGS).join(', ')}`);
  const record = values.record;
  if (typeof record !== 'string' || !record) throw usageError('--record FILE is required', 'e.g. snc overlay --scenario steady --record run.ndjson');
  if (record === '-') throw usageError('--record needs a file: the recording cannot go to standard output (the summary does)', 'e.g. snc overlay --scenario steady --record run.ndjson');
  // Before the run, with the same words as the other commands' output flags (the run takes seconds).
  await checkWritable(record, 'choose a writable path for --record');

  let r;
  try {
    r = await runScenario({ scenario: scenario as ScenarioName, clients, supernodes, duration, seed, bugs: bugArgs.bugs, record });
  } catch (err) {
    if (err instanceof OverlayError) throw new CliError('REF001', err.message);
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.path === 'string') throw err; // a file problem: main reports it
    throw new CliError('REF002', `the overlay could not run: ${err instanceof Error ? err.message : String(err)}`, undefined, 4);
  }
  if (r.errors.length) {
    const first = r.errors[0];
    if (process.env.SNC_DEBUG === '1') for (const e of r.errors) io.err(`${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
    throw new CliError('REF002', `${plural(r.errors.length, 'error')} inside the overlay, first: ${first instanceof Error ? first.message : String(first)}`, undefined, 4);
  }
  const bugs = bugArgs.bugs.length ? ` · bug switches: ${bugArgs.bugs.join(', ')}` : '';
  // Online counts only clients attached to a live supernode: one stuck `online` at a dead upstream
  // (crashed, or restarted without it: never-reattach) is not online for its user, and is counted apart.
  const stuck = r.online - r.attached;
  const dead = stuck > 0 ? ` + ${stuck} stuck online at a dead upstream (crashed, or restarted without them)` : '';
  io.out(`snc overlay ${scenario}: ${r.actors} actors (${plural(supernodes, 'supernode')}, ${plural(clients, 'client')}, auth, im) · ${r.events} events recorded · at the end: ${r.attached}/${clients} clients online at a live supernode${dead}${printable(bugs)}\n`);
  io.out(`  recording: ${printable(r.file)}\n  check it:  snc check ${printable(r.file)}\n`);
  return 0;
}

/** `--bug` may be repeated; node's parseArgs keeps only the last, so collect them first. */
function collectBugs(argv: string[]): { bugs: string[]; rest: string[] } {
  const bugs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--bug') {
      if (i + 1 >= argv.length) throw usageError('--bug needs a value (`snc overlay`)', `bug switches: ${Object.keys(BUGS).join(', ')}`);
      bugs.push(argv[++i]);
    } else if (a.startsWith('--bug=')) bugs.push(a.slice(6));
    else rest.push(a);
  }
  return { bugs, rest };
}
