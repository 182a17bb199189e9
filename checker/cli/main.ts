// The `snc` command line: dispatches to a subcommand, prints help and the
// version, and is the one boundary where errors are caught. A CliError (bad
// flag, missing file) prints its code and hint and exits 2; anything else is a
// bug: `internal error`, a request to report it, exit 70. No stack trace is
// printed unless SNC_DEBUG=1.
import pkg from '../../package.json' with { type: 'json' };
import { CliError, closest, isCliError } from './args.js';
import { processIo, type Io } from './io.js';
import { cliErrorLine } from './render.js';
// Each subcommand's module is loaded when it runs: `snc check` does not load the
// simulator, the docs generator or the reference overlay (startup under tsx is
// dominated by loading modules).

/** Exit codes, shared by every subcommand. */
export const EXIT = { ok: 0, violation: 1, usage: 2, invalid: 3, internal: 70 } as const;

interface Command {
  name: string;
  args: string;
  summary: string;
  run?: (argv: string[], io: Io) => Promise<number>;
}

const COMMANDS: Command[] = [
  { name: 'validate', args: '<file>...', summary: 'check that trace files are well-formed supernode-trace v1', run: (a, io) => import('./validate.js').then((m) => m.runValidate(a, io)) },
  { name: 'explore', args: '', summary: 'explore the models\' interleavings under faults, check properties', run: (a, io) => import('./explore.js').then((m) => m.runExplore(a, io)) },
  { name: 'check', args: '<file>...', summary: 'check recorded traces against the models and properties', run: (a, io) => import('./check.js').then((m) => m.runCheck(a, io)) },
  { name: 'simulate', args: '<scenario>', summary: 'replay a scenario at scale (steady, supernode-crash, outage-2010, login-flood-2007): summary, series, chart, traces', run: (a, io) => import('./simulate.js').then((m) => m.runSimulate(a, io)) },
  { name: 'testgen', args: '', summary: 'generate test cases that cover the models\' transitions, states or pairs (or random walks)', run: (a, io) => import('./testgen.js').then((m) => m.runTestgen(a, io)) },
  { name: 'run-tests', args: '<suite.json>', summary: 'run generated test cases against an implementation through its adapter', run: (a, io) => import('./run-tests.js').then((m) => m.runRunTests(a, io)) },
  { name: 'overlay', args: '--record FILE', summary: 'run the reference overlay (TCP, real timers) through a scenario and record it', run: (a, io) => import('./overlay.js').then((m) => m.runOverlay(a, io)) },
  { name: 'docs', args: '', summary: 'generate the protocol docs (Markdown + Mermaid) from models and schemas', run: (a, io) => import('./docs.js').then((m) => m.runDocs(a, io)) },
  { name: 'explain', args: '<trace>', summary: 'draw a trace as a sequence diagram (Markdown or HTML), violation highlighted', run: (a, io) => import('./explain.js').then((m) => m.runExplain(a, io)) },
  { name: 'export', args: '--itf <trace>', summary: 'write a trace as ITF JSON, the Informal Trace Format of Quint and Apalache', run: (a, io) => import('./export.js').then((m) => m.runExport(a, io)) },
];

/** `snc --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length));
  const rows = COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}  ${c.run ? '' : '(coming) '}${c.summary}`);
  return `snc ${pkg.version} — supernode-check: executable models of Skype-style supernode overlays

Usage: snc <command> [options]     (snc <command> --help for its options)

Commands:
${rows.join('\n')}

Options:
  -h, --help   show this help
  --version    print the version

Exit codes: 0 ok · 1 property violated (check, explore), a test failed (run-tests) · 2 usage error · 3 invalid input · 4 the reference overlay could not run (overlay) · 70 internal error
Problem codes: docs/errors.md · trace format: schemas/trace.schema.json
`;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit
 * code. Prints through `io` (default: the process's streams).
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.err(mainHelp());
      return EXIT.usage;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      io.out(mainHelp());
      return EXIT.ok;
    }
    if (name === '--version' || name === '-v' || name === 'version') {
      io.out(`${pkg.version}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const what = name.startsWith('-') ? `unknown flag ${name}` : `unknown command ${JSON.stringify(name)}`;
      const near = name.startsWith('-') ? undefined : closest(name, COMMANDS.map((c) => c.name));
      throw new CliError('CLI001', what, `${near ? `did you mean ${near}? ` : ''}commands: ${COMMANDS.map((c) => c.name).join(', ')}; see snc --help`);
    }
    if (!command.run) {
      throw new CliError('CLI001', `\`snc ${name}\` is not available yet (coming in a later release)`, 'snc --help lists what this version can do');
    }
    try {
      return await command.run(rest, io);
    } catch (err) {
      const e = isCliError(err) ? err : fileError(err);
      if (e) {
        io.err(cliErrorLine(name, e) + '\n');
        return e.exitCode;
      }
      throw err;
    }
  } catch (err) {
    if (isCliError(err)) {
      io.err(cliErrorLine('', err) + '\n');
      return err.exitCode;
    }
    return internalError(err, io);
  }
}

/**
 * A file the user named could not be read or written (a missing folder for
 * --out, a directory where a file was expected): a usage error, not a bug.
 */
function fileError(err: unknown): CliError | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e.code !== 'string' || typeof e.path !== 'string') return undefined;
  const what: Record<string, string> = { ENOENT: 'no such file or folder', EISDIR: 'is a directory', ENOTDIR: 'a part of the path is not a directory', EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system' };
  if (!what[e.code]) return undefined;
  return new CliError(e.code === 'ENOENT' && e.syscall !== 'open' ? 'CLI002' : 'CLI003', `cannot use ${JSON.stringify(e.path)}: ${what[e.code]} (${e.code})`, 'check the path: an output file needs an existing, writable folder');
}

function internalError(err: unknown, io: Io): number {
  const message = err instanceof Error ? err.message : String(err);
  io.err(`snc: internal error: ${message}\n`);
  io.err('This is a bug in supernode-check, not in your input. Please report it with the command line you ran (set SNC_DEBUG=1 for details).\n');
  if (process.env.SNC_DEBUG === '1' && err instanceof Error && err.stack) io.err(err.stack + '\n');
  return EXIT.internal;
}
