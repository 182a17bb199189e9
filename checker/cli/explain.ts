// `snc explain TRACE [--around LINE] [--format md|html] [--out FILE] [--report FILE]`:
// draws a trace as a Mermaid sequence diagram with a short prose account, the
// violated property highlighted when a verdict is known (from --report, or
// from the conformance checker when this build has one). `snc explain CODE`
// or `snc explain PROPERTY-ID` prints what a problem code or property means.
// Exit 0 drawn, 2 usage error or missing file, 3 invalid trace or a --report that is not a report (RPT001).
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { CODES, codeInfo } from '../codes.js';
import { CATALOGUE } from '../props/index.js';
import { DEFAULT_RADIUS, loadTrace } from '../explain/load.js';
import { explainTrace } from '../explain/explain.js';
import { ReportError, verdictFromChecker, verdictFromReport } from '../explain/verdict.js';
import type { Highlight } from '../explain/sequence.js';
import { Readable } from 'node:stream';
import { choiceFlag, flagHelp, intFlag, parseFlags, usageError, type FlagSpecs } from './args.js';
import { printable, type Io } from './io.js';
import { checkReadable, checkWritable, refuseOverwrite } from './files.js';
import { problemLine, verdictLine } from './render.js';

const FLAGS: FlagSpecs = {
  around: { type: 'string', valueName: 'LINE', description: `draw only the ${DEFAULT_RADIUS} events before and after the event on LINE` },
  format: { type: 'string', valueName: 'md|html', description: 'Markdown with a mermaid block (default), or one self-contained HTML page' },
  out: { type: 'string', short: 'o', valueName: 'FILE', description: 'write the document to FILE (default: standard output)' },
  report: { type: 'string', valueName: 'FILE', description: 'take the verdict from a JSON report (snc check/explore --format json)' },
};

/** `snc explain --help`. */
export const EXPLAIN_HELP = `Usage: snc explain <trace> [options]
       snc explain <CODE | property-id>

Draws a supernode-trace (typically a counterexample) as a Mermaid sequence
diagram: one lifeline per actor, a message drawn when it is delivered (lost
ones as -x), inputs, timeouts, crashes and restarts as notes, and the
violated property highlighted at its line, with a short prose account.
The verdict comes from --report, or from the conformance checker if this
build has one. --format html writes one page that renders offline.
With a problem code (TRC005) or a property id (no-client-crash), prints
what it means.

Options:
${flagHelp(FLAGS)}

Exit: 0 drawn · 2 usage error or missing file · 3 invalid trace, or a --report that is not a report (RPT001)
`;

/** Runs `snc explain`; returns the exit code. */
export async function runExplain(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, 'explain');
  if (values.help) {
    io.out(EXPLAIN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw usageError(positionals.length ? `one trace at a time, got ${positionals.length}` : 'no trace file given', 'e.g. snc explain counterexample.ndjson --format html --out ce.html');
  const file = positionals[0];
  const format = choiceFlag(values, 'format', ['md', 'html'] as const);
  const around = values.around === undefined ? undefined : intFlag(values, 'around', 2, 2);
  if (!(await isFile(file))) {
    const topic = topicText(file);
    if (topic) {
      // A code or property id: its page, to --out FILE as a trace's drawing would go.
      if (typeof values.out !== 'string') { io.out(topic); return 0; }
      await checkWritable(values.out, 'choose a writable path for --out');
      await writeFile(values.out, topic);
      io.out(printable(`wrote ${values.out} (${file})`) + '\n');
      return 0;
    }
    // A word that names nothing on disk: a mistyped code or property id rather than a missing trace
    // (a folder or an unreadable path gets checkReadable's CLI002/CLI003 below).
    if (!existsSync(file)) unknownWord(file);
  }
  await checkReadable(file);
  if (typeof values.out === 'string') {
    refuseOverwrite('--out', values.out, [{ path: file, what: 'the trace to explain' }, ...(typeof values.report === 'string' ? [{ path: values.report, what: 'the --report file' }] : [])]);
    await checkWritable(values.out, 'choose a writable path for --out');
  }
  // Standard input is read once, then replayed to the loader and to the checker (an explained trace is short).
  let input: (() => NodeJS.ReadableStream) | undefined;
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    const all = Buffer.concat(chunks);
    input = () => Readable.from([all]);
  }
  let loaded = await loadTrace(file, { around, stdin: input ? input() : io.stdin });
  if (!loaded.ok) {
    if (loaded.report === undefined) throw usageError(`--around ${loaded.beyond.line} is past the last event (line ${loaded.beyond.lastEventLine})`, `pick a line from 2 to ${loaded.beyond.lastEventLine}`);
    for (const p of loaded.report.problems) io.out(problemLine(p) + '\n');
    io.out(verdictLine(loaded.report) + '\n');
    return 3;
  }
  let verdict: Highlight[] | null = null;
  if (typeof values.report === 'string') {
    await checkReadable(values.report, undefined, 'pass the JSON that snc check, explore or simulate wrote with --format json (or --report FILE)');
    try {
      verdict = await verdictFromReport(values.report, file);
    } catch (err) {
      if (err instanceof ReportError) {
        io.err(printable(`snc explain: ${values.report}: RPT001 ${err.message} — hint: ${codeInfo('RPT001').hint}`) + '\n');
        return 3;
      }
      throw err;
    }
    if (verdict === null) io.err(printable(`snc explain: note: ${values.report} has no result for ${file}; drawing without a verdict`) + '\n');
  } else {
    const r = await verdictFromChecker(file, input?.());
    if ('highlights' in r) verdict = r.highlights;
  }
  // A long trace is drawn from its start: when its first problem lies beyond what is drawn, draw around it instead.
  const first = verdict?.filter((h) => h.status === 'violated' && h.line !== undefined).map((h) => h.line!).sort((a, b) => a - b)[0];
  const lastDrawn = loaded.trace.events.at(-1)?.line ?? 0;
  if (around === undefined && loaded.trace.truncated && first !== undefined && first > lastDrawn) {
    const again = await loadTrace(file, { around: first, stdin: input ? input() : io.stdin });
    if (again.ok) {
      loaded = again;
      io.err(printable(`snc explain: note: the first problem is on line ${first}, past the first ${lastDrawn} lines: drawing the events around it (--around LINE for another place)`) + '\n');
    }
  }
  const { document } = await explainTrace(loaded.trace, verdict, format);
  if (typeof values.out === 'string') {
    await writeFile(values.out, document);
    io.out(printable(`wrote ${values.out} (${format}, ${loaded.trace.events.length} events)`) + '\n');
  } else {
    io.out(document);
  }
  return 0;
}

async function isFile(path: string): Promise<boolean> {
  if (path === '-') return true;
  try { return (await stat(path)).isFile(); } catch { return false; }
}

/** Throws CLI001 for a word shaped like a problem code or a property id that is neither; returns otherwise. */
function unknownWord(word: string): void {
  if (/^[A-Za-z]{3}\d{3}$/.test(word)) throw usageError(`unknown problem code ${JSON.stringify(word)}`, 'the codes are listed in docs/errors.md, e.g. snc explain CHK001');
  if (!/^[A-Za-z][A-Za-z-]*$/.test(word)) return;
  const near = CATALOGUE.find((p) => p.id.toLowerCase() === word.toLowerCase());
  throw usageError(`${JSON.stringify(word)} is neither a trace file nor a problem code or property id`, near ? `did you mean ${near.id}?` : `property ids: ${CATALOGUE.map((p) => p.id).join(', ')}`);
}

/** What a problem code or property id means, or null when `word` is neither. */
function topicText(word: string): string | null {
  const code = CODES.find((c) => c.code === word.toUpperCase());
  if (code) return `${code.code} ${code.title}\n  hint: ${code.hint}\n  see docs/errors.md\n`;
  const prop = CATALOGUE.find((p) => p.id === word);
  if (prop) {
    const n = prop.defaults?.within !== undefined ? `\n  N: ${prop.defaults.within} (${prop.defaults.measure ?? 'global'}) — ${prop.paramNote ?? ''}` : '';
    return `${prop.id} (${prop.kind})\n  ${prop.statement}${n}\n  see docs/properties.md\n`;
  }
  return null;
}

