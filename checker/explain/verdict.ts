// Where `snc explain` gets the verdict it highlights: a JSON report given
// with --report (from `snc check --format json` or `snc explore --format
// json`), or else the conformance checker (checker/conform/check.ts,
// `checkFile`) when this build has it. The verdict is optional: without one
// the diagram and the prose are drawn from the trace alone.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileReport, Problem, PropertyResult, Report } from '../../schemas/generated/report.js';
import type { Highlight } from './sequence.js';

/** Results that matter for a picture: violations and open obligations, and problems with a line. */
export function highlightsOf(results: readonly PropertyResult[], problems: readonly Problem[] = []): Highlight[] {
  const props = results.filter((p) => p.status === 'violated' || p.status === 'pending');
  // The checker reports a broken property twice: as a result and as a problem; keep the result.
  const repeated = (p: Problem) => p.property !== undefined && props.some((r) => r.id === p.property && r.line === p.line);
  const probs = problems.filter((p) => p.line !== undefined && !repeated(p)).map((p): Highlight => ({
    id: p.property ?? p.code, status: 'violated', line: p.line, actors: p.actors, explanation: p.message,
  }));
  return [...props, ...probs];
}

/** A --report file that is not a readable JSON report. */
export class ReportError extends Error {}

/**
 * The results a JSON report holds for `trace`: the `files[]` entry for that
 * file, and the exploration or simulation properties whose `trace` is that file.
 * Null when the report says nothing about it.
 */
export async function verdictFromReport(reportPath: string, trace: string): Promise<Highlight[] | null> {
  let report: Report;
  try {
    report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new ReportError(`${reportPath} is not JSON: ${(err as Error).message}`);
  }
  if (typeof report !== 'object' || report === null || report.tool !== 'supernode-check') {
    throw new ReportError(`${reportPath} is not a supernode-check JSON report (no "tool": "supernode-check")`);
  }
  const same = (p: string | undefined) => p !== undefined && resolve(p) === resolve(trace);
  const file = report.files?.find((f) => same(f.file));
  const loose = [...(report.exploration?.properties ?? []), ...(report.simulation?.properties ?? [])].filter((p) => same(p.trace));
  if (!file && !loose.length) return null;
  return highlightsOf([...(file?.properties ?? []), ...loose], file?.problems ?? []);
}

type CheckFile = (path: string, opts?: { props?: string[]; stdin?: NodeJS.ReadableStream }) => Promise<FileReport>;

/**
 * The conformance checker's verdict on `trace`, or `unavailable` with the
 * reason when this build has no checker. Errors inside the checker propagate.
 */
export async function verdictFromChecker(trace: string, stdin?: NodeJS.ReadableStream): Promise<{ highlights: Highlight[] } | { unavailable: string }> {
  // A computed specifier: the checker is optional at compile time.
  const spec = '../conform/check.js';
  let mod: { checkFile?: CheckFile };
  try {
    mod = (await import(spec)) as { checkFile?: CheckFile };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('conform')) return { unavailable: 'no conformance checker in this build' };
    throw err;
  }
  if (typeof mod.checkFile !== 'function') return { unavailable: 'checker/conform/check.ts has no checkFile export' };
  const r = await mod.checkFile(trace, stdin ? { stdin } : {});
  // An invalid file (TRC013: a jump in t the replay gave up on) keeps its problems, as a report's do.
  return { highlights: highlightsOf(r.properties ?? [], r.verdict === 'conforms' ? [] : r.problems) };
}
