// `snc export --itf TRACE [--out FILE]`: writes a trace in the Informal Trace
// Format (ITF JSON) of Quint and Apalache, so that their tools read our
// counterexamples. Exit 0 written, 2 usage error or missing file, 3 invalid
// trace (nothing written).
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { exportItf } from '../export/export.js';
import { ITF_VARS } from '../export/itf.js';
import { CliError, flagHelp, parseFlags, usageError, type FlagSpecs } from './args.js';
import { printable, type Io } from './io.js';
import { checkReadable, checkWritable, NO_STDIN_HINT, refuseOverwrite } from './files.js';
import { plural, problemLine, verdictLine } from './render.js';

const FLAGS: FlagSpecs = {
  itf: { type: 'boolean', description: 'write ITF JSON (the one format so far; required)' },
  out: { type: 'string', short: 'o', valueName: 'FILE', description: 'write to FILE (default: standard output); by convention *.itf.json' },
};

/** `snc export --help`. */
export const EXPORT_HELP = `Usage: snc export --itf <trace> [--out FILE]

Writes a supernode-trace as ITF JSON, the Informal Trace Format of Apalache
(ADR-015) that Quint reads and writes: one state per event, state 0 before
the first. Integers are {"#bigint": "…"}, sets {"#set": […]}, maps
{"#map": [[k, v], …]}, events and messages Quint-style variants
{"tag": …, "value": …}. State variables: ${ITF_VARS.join(', ')}.
The shape is schemas/itf.schema.json.

A number that is not an integer, such as a fractional t (the trace format
allows any t ≥ 0: a recorder may stamp sub-millisecond times), is written
{"#unserializable": "1.5"}, as JavaScript's String(n) writes it (1.5,
1e-7): ITF has integers only, and keeps #unserializable for values it cannot
express. fromItf (checker/export/itf.ts) reads it back as the same number;
Quint reads it as an opaque name, not a number.

Options:
${flagHelp(FLAGS)}

Exit: 0 written · 2 usage error or missing file · 3 invalid trace (nothing written)
`;

/** Runs `snc export`; returns the exit code. */
export async function runExport(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'export');
  if (values.help) {
    io.out(EXPORT_HELP);
    return 0;
  }
  if (!values.itf) throw usageError('say which format: --itf (the only one so far)', 'e.g. snc export --itf trace.ndjson --out trace.itf.json');
  if (positionals.length !== 1) throw usageError(positionals.length ? `one trace at a time, got ${positionals.length}` : 'no trace file given', 'e.g. snc export --itf trace.ndjson --out trace.itf.json');
  const file = positionals[0];
  if (file === '-') throw usageError('export reads its trace twice (validate, then convert), so it cannot read standard input', 'save the trace to a file first');
  await checkReadable(file, undefined, NO_STDIN_HINT);
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out === '') throw usageError('--out needs a file name');
  if (out !== undefined) {
    refuseOverwrite('--out', out, [{ path: file, what: 'the trace to export' }]);
    await checkWritable(out, 'choose a writable path for --out');
  }
  // Write to a temporary file and rename: a failed export leaves no half file behind.
  const tmp = out ? `${out}.tmp-${process.pid}` : undefined;
  let fd: number | undefined;
  try {
    fd = tmp ? openSync(tmp, 'w') : undefined;
  } catch (err) {
    // Name the file the user asked for, not the temporary one beside it.
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new CliError('CLI003', `cannot write ${JSON.stringify(out)}: ${code === 'ENOENT' ? 'its folder does not exist' : code}`, 'an output file needs an existing, writable folder');
  }
  let result;
  try {
    result = await exportItf(file, fd === undefined ? (s) => io.out(s) : (s) => { writeSync(fd, s); });
  } catch (err) {
    if (fd !== undefined) { closeSync(fd); unlinkSync(tmp!); }
    throw err;
  }
  if (fd !== undefined) closeSync(fd);
  if (result.report.verdict === 'invalid') {
    if (tmp) unlinkSync(tmp);
    for (const p of result.report.problems) io.err(problemLine(p) + '\n');
    io.err(verdictLine(result.report) + '\n');
    return 3;
  }
  if (tmp && out) {
    renameSync(tmp, out);
    io.out(printable(`wrote ${out} (ITF, ${plural(result.states, 'state')})`) + '\n');
  }
  return 0;
}

