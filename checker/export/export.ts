// `export --itf` as a library call: a trace file in, ITF JSON text out, in
// chunks given to the synchronous `write` (one state per line; the CLI writes
// them with fs.writeSync), so that memory does not grow with the trace. The
// file is read twice: first validated as a whole (an invalid trace yields its
// report and no output), then converted; standard input cannot be exported.
import type { FileReport } from '../../schemas/generated/report.js';
import type { Event, Header } from '../../schemas/generated/trace.js';
import { readLines } from '../trace/reader.js';
import { validateFile } from '../trace/validate.js';
import { ITF_VARS, ItfStates } from './itf.js';

/** Where the ADR that defines ITF lives (written into `#meta`). */
export const ITF_SPEC = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

export interface ExportResult {
  /** The validation report; when its verdict is `invalid`, nothing was written. */
  readonly report: FileReport;
  /** States written (events + the initial state). */
  readonly states: number;
}

/**
 * Writes the ITF form of the trace at `path` through `write`.
 *
 * @example await exportItf('ce.ndjson', (s) => writeSync(fd, s))
 */
export async function exportItf(path: string, write: (chunk: string) => void): Promise<ExportResult> {
  const report = await validateFile(path, { maxErrors: 20 });
  if (report.verdict === 'invalid') return { report, states: 0 };
  let states: ItfStates | null = null;
  let count = 0;
  await readLines(path, {
    line(text, lineNo) {
      if (text.trim() === '') return true;
      const value = JSON.parse(text) as Header | Event;
      if (states === null) {
        const header = value as Header;
        states = new ItfStates(header);
        write(`{"#meta":${JSON.stringify(meta(path, header))},\n"vars":${JSON.stringify(ITF_VARS)},\n"states":[\n${JSON.stringify(states.initial())}`);
      } else {
        write(`,\n${JSON.stringify(states.next(value as Event, lineNo))}`);
      }
      count++;
      return true;
    },
    overlong: () => false, // the validation pass has already accepted every line
  });
  write('\n]}\n');
  return { report, states: count };
}

function meta(path: string, header: Header): Record<string, unknown> {
  return {
    format: 'ITF',
    'format-description': ITF_SPEC,
    source: path,
    description: `supernode-trace v1 exported by snc export --itf: one state per event (state 0 before the first); ${header.source ?? ''}`.trim(),
    clock: header.clock,
    actors: header.actors.map((a) => ({ id: a.id, role: a.role, host: a.host ?? a.id })),
    ...(header.params ? { params: header.params } : {}),
  };
}
