// `snc validate <file>...`: is each file a well-formed supernode-trace v1?
// Parses flags, checks the file arguments, runs the library validator on each
// file in turn, and prints text or a JSON report. Exit 0 all valid, 3 any
// invalid, 2 usage error (bad flag, missing or unreadable file).
import type { Report } from '../../schemas/generated/report.js';
import { DEFAULT_MAX_LINE_LENGTH } from '../trace/reader.js';
import { DEFAULT_MAX_ERRORS, validateFile } from '../trace/validate.js';
import { choiceFlag, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs } from './args.js';
import type { Io } from './io.js';
import { checkReadable, ioError } from './files.js';
import { problemLine, summaryLine, verdictLine } from './render.js';

const FLAGS: FlagSpecs = {
  'max-errors': { type: 'string', valueName: 'N', description: `stop a file after N problems (default ${DEFAULT_MAX_ERRORS}; 0: no limit)` },
  'max-line-length': { type: 'string', valueName: 'N', description: `longest line read, in characters (default ${DEFAULT_MAX_LINE_LENGTH})` },
  format: { type: 'string', valueName: 'text|json', description: 'text (default) or a JSON report (schemas/report.schema.json)' },
  quiet: { type: 'boolean', short: 'q', description: 'text: print the problems only, no verdicts or summary' },
};

/** `snc validate --help`. */
export const VALIDATE_HELP = `Usage: snc validate <file>... [options]

Checks that each file is a well-formed supernode-trace v1 trace: JSON on every
line, the header on line 1, every event valid against schemas/trace.schema.json,
known actors and hosts, each deliver/drop after the send of its mid, t never
decreasing. Streams the file: memory does not grow with its length. Use - to
read standard input.

Options:
${flagHelp(FLAGS)}

Exit: 0 all valid · 3 some file invalid · 2 usage error (flag, missing file)
Problem codes: docs/errors.md
`;

/** Runs `snc validate`; returns the exit code. */
export async function runValidate(argv: string[], io: Io): Promise<number> {
  const { values, positionals: files } = parseFlags(argv, FLAGS, 'validate');
  if (values.help) {
    io.out(VALIDATE_HELP);
    return 0;
  }
  const maxErrors = intFlag(values, 'max-errors', DEFAULT_MAX_ERRORS);
  // Past 256 Mi characters a line would near V8's longest string; refuse such a limit up front.
  const maxLineLength = intFlag(values, 'max-line-length', DEFAULT_MAX_LINE_LENGTH, 1, 256 * 1024 * 1024);
  const format = choiceFlag(values, 'format', ['text', 'json'] as const);
  if (files.length === 0) throw usageError('no trace file given', 'e.g. snc validate traces/samples/valid-*.ndjson (or - for standard input)');
  if (files.filter((f) => f === '-').length > 1) throw usageError('standard input (-) can be read only once');
  for (const f of files) await checkReadable(f);

  const report: Report = { tool: 'supernode-check', reportVersion: 1, command: 'validate', ok: true, files: [] };
  for (const file of files) {
    let r;
    try {
      r = await validateFile(file, { maxErrors, maxLineLength, stdin: io.stdin });
    } catch (err) {
      throw ioError(file, err);
    }
    report.files!.push(r);
    if (r.verdict !== 'valid') report.ok = false;
    if (format === 'text') {
      for (const p of r.problems) io.out(problemLine(p) + '\n');
      if (!values.quiet) io.out(verdictLine(r) + '\n');
    }
  }
  if (format === 'json') io.out(JSON.stringify(report, null, 2) + '\n');
  else if (!values.quiet && files.length > 1) io.out(summaryLine(report) + '\n');
  return report.ok ? 0 : 3;
}


