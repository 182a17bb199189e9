// `snc check <trace>...`: replays each recorded trace through the models and
// the property monitors (checker/conform) and prints a verdict per file:
// conforms, violates (where and why), or invalid (the validator's findings).
// Exit 0 all conform, 1 a violation, 3 invalid input, 2 usage.
import { writeFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import type { FileReport, Report } from '../../schemas/generated/report.js';
import { CATALOGUE, DEFAULT_PROPS, UnknownPropertyError } from '../props/index.js';
import { checkFile, CHECK_DEFAULTS, type CheckOptions } from '../conform/check.js';
import { MAX_FIRINGS, type HiddenKind } from '../conform/conformer.js';
import { CliError, choiceFlag, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs } from './args.js';
import { printable, type Io } from './io.js';
import { checkReadable, checkWritable, ioError, refuseOverwrite } from './files.js';
import { parseProps, parseWithin } from './prop-flags.js';
import { checkText, junitXml } from './render-check.js';
import { DEFAULT_MAX_LINE_LENGTH } from '../trace/reader.js';

const FLAGS: FlagSpecs = {
  props: { type: 'string', valueName: 'IDS', description: 'comma-separated property ids (default: all but overload-evicts)' },
  within: { type: 'string', valueName: 'ID=N,...', description: 'N of bounded-response properties, e.g. reattach-within=10' },
  measure: { type: 'string', valueName: 'global|actor|time', description: 'what N counts (default per property; time = clock ms: ms traces only; with a bounded-response property a clock "step" trace is invalid, TRC014)' },
  hidden: { type: 'string', valueName: 'K', description: `unrecorded steps allowed before an event (default ${CHECK_DEFAULTS.hidden})` },
  'hidden-kinds': { type: 'string', valueName: 'KINDS', description: 'which steps may be unrecorded: timeout,input,drop (default timeout,input)' },
  'max-candidates': { type: 'string', valueName: 'N', description: `model states the hidden-step search visits per event (default ${CHECK_DEFAULTS.maxCandidates})` },
  'timer-slack': { type: 'string', valueName: 'MS', description: 'ms traces: a timeout, recorded or hidden, may fire at most MS ms before its deadline (default: any time before)' },
  'max-firings': { type: 'string', valueName: 'N', description: `ms traces: timer firings replayed between two events before a jump in t is refused (TRC013; default ${MAX_FIRINGS.toLocaleString('en')})` },
  start: { type: 'string', valueName: 'MS', description: "ms traces: when the header's actors start (default, and at most: the first event's t)" },
  'max-line-length': { type: 'string', valueName: 'N', description: `longest line read, in characters (default ${DEFAULT_MAX_LINE_LENGTH})` },
  'max-errors': { type: 'string', valueName: 'N', description: 'problems listed per file (default 20; 0: no limit)' },
  format: { type: 'string', valueName: 'text|json|junit', description: 'output format (default text)' },
  'stop-at-first': { type: 'boolean', description: 'stop replaying each file at its first problem (the rest is still validated)' },
  report: { type: 'string', valueName: 'FILE', description: 'also write the report (in --format) to FILE' },
  threads: { type: 'string', valueName: '1|2', description: 'threads per file: with 2, one reads, parses and validates the file while the other replays it (default: 2 for a file of 8 MiB or more on a machine with two cores; standard input: 1)' },
  quiet: { type: 'boolean', short: 'q', description: 'text: print the problems only, no verdicts, property results or summary (as snc validate -q; a --report FILE gets them all)' },
};

export const CHECK_HELP = `Usage: snc check <trace.ndjson>... [options]

Replays each recorded supernode-trace through the models: every send must be a
message the sender's model emits at that point, every observe must match the
model's state, and every property of the catalogue is monitored. Timers the
model armed fire by themselves at their deadline in ms traces, where the
actors start at the first event's t (--start MS to say otherwise); a timeout
may also come earlier (clocks drift) unless --timer-slack bounds how much. Up to K further unrecorded
timeout/input steps may explain an event (--hidden). Streams each file.
--timer-slack, --max-firings and --start apply to clock "ms" traces only: given
for a clock "step" trace, they are ignored, with a note on standard error
naming the file (--measure time is refused there instead: TRC014).

Options:
${flagHelp(FLAGS)}

Properties: ${CATALOGUE.map((p) => p.id).join(', ')}
Exit: 0 all conform · 1 a conformance problem or property violation · 3 invalid trace · 2 usage error
`;

const KINDS: readonly HiddenKind[] = ['timeout', 'input', 'drop'];

/**
 * V8 flags `snc check` runs with (bench/check runs with these too); both keep
 * peak RSS down at the same CPU time, measured on the 10M-line login-flood bench:
 * - Allocation-site pretenuring off: the checker keeps each actor's current state
 *   until its next event, long enough for many to survive a scavenge, so V8 learns
 *   to allocate the models' states straight in the old generation, where they die
 *   and wait for a full GC. `--hidden 0`: 222 → 202 MB (1M lines, `--hidden 2`:
 *   152–170 → 136–142 MB). The simulator keeps it on: its states live longer, and
 *   a 20k-client day took 1.5x the CPU without it.
 * - The old generation grows by at most half its live size between full GCs. V8
 *   picks the factor from how fast the program allocates against how fast it
 *   collects, up to 4x: on a quiet machine (a faster checker) peak RSS reached
 *   231–257 MB at `--hidden 2`, against the issue's 256 MB bound; with 1.5x,
 *   158–159 MB, CPU 32.3/36.9 against 33.0/33.3 s (1M lines: the same).
 */
export const CHECK_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring', '--heap-growing-percent=50'];


/** Runs `snc check`; returns the exit code. */
export async function runCheck(argv: string[], io: Io): Promise<number> {
  const { values, positionals: files } = parseFlags(argv, FLAGS, 'check');
  if (values.help) { io.out(CHECK_HELP); return 0; }
  const format = choiceFlag(values, 'format', ['text', 'json', 'junit'] as const);
  const kinds = typeof values['hidden-kinds'] === 'string' ? values['hidden-kinds'].split(',').map((s) => s.trim()) : [...CHECK_DEFAULTS.hiddenKinds];
  for (const k of kinds) if (!(KINDS as readonly string[]).includes(k)) throw usageError(`--hidden-kinds: unknown kind ${JSON.stringify(k)}`, `kinds: ${KINDS.join(', ')}`);
  const opts: CheckOptions = {
    props: parseProps(values.props, DEFAULT_PROPS),
    overrides: parseWithin(values.within),
    ...(values.measure !== undefined ? { measure: choiceFlag(values, 'measure', ['global', 'actor', 'time'] as const) } : {}),
    hidden: intFlag(values, 'hidden', CHECK_DEFAULTS.hidden, 0, 16),
    hiddenKinds: kinds as HiddenKind[],
    maxCandidates: intFlag(values, 'max-candidates', CHECK_DEFAULTS.maxCandidates, 1),
    maxErrors: intFlag(values, 'max-errors', 20),
    maxLineLength: intFlag(values, 'max-line-length', DEFAULT_MAX_LINE_LENGTH, 1, 256 * 1024 * 1024),
    ...(values['timer-slack'] !== undefined ? { timerSlack: intFlag(values, 'timer-slack', 0, 0) } : {}),
    ...(values.start !== undefined ? { start: intFlag(values, 'start', 0, 0) } : {}),
    ...(values['max-firings'] !== undefined ? { maxFirings: intFlag(values, 'max-firings', MAX_FIRINGS, 1) } : {}),
    stopAtFirst: values['stop-at-first'] === true,
    ...(values.threads !== undefined ? { threads: intFlag(values, 'threads', 1, 1, 2) as 1 | 2 } : {}),
    stdin: io.stdin,
  };
  if (files.length === 0) throw usageError('no trace file given', 'e.g. snc check traces/samples/*.ndjson (or - for standard input)');
  if (files.filter((f) => f === '-').length > 1) throw usageError('standard input (-) can be read only once');
  for (const f of CHECK_V8_FLAGS) setFlagsFromString(f);
  for (const f of files) await checkReadable(f);
  if (typeof values.report === 'string') {
    refuseOverwrite('--report', values.report, files.map((f) => ({ path: f, what: 'a trace to check' })));
    await checkWritable(values.report, 'choose a writable path for --report');
  }
  const reports: FileReport[] = [];
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true;
  for (const f of files) {
    try {
      const onProgress = tty ? (p: { line: number; seconds: number }) => io.err(`\r  ${printable(f)}: line ${p.line.toLocaleString('en')} · ${Math.round(p.line / p.seconds).toLocaleString('en')} lines/s   `) : undefined;
      const onNote = (m: string) => io.err(printable(`snc check: note: ${m}`) + '\n');
      reports.push(await checkFile(f, onProgress ? { ...opts, onProgress, onNote } : { ...opts, onNote }));
      if (onProgress) io.err('\r\x1b[K');
    } catch (e) {
      if (e instanceof UnknownPropertyError) throw usageError(e.message, 'see snc check --help for the property ids');
      throw ioError(f, e);
    }
  }
  const ok = reports.every((r) => r.verdict === 'conforms');
  const report: Report = { tool: 'supernode-check', reportVersion: 1, command: 'check', ok, files: reports };
  const text = format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'junit' ? junitXml(report) : checkText(report);
  io.out(format === 'text' && values.quiet ? checkText(report, true) : text);
  if (typeof values.report === 'string') {
    try { await writeFile(values.report, text); } catch (e) {
      throw new CliError('CLI003', `cannot write ${values.report}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'choose a writable path for --report');
    }
  }
  if (reports.some((r) => r.verdict === 'invalid')) return 3;
  return ok ? 0 : 1;
}
