// Loading a test suite written by `snc testgen` for `snc run-tests`: read the
// JSON file, validate it against schemas/testcases.schema.json, then check
// what a schema cannot (the config's actors are consistent, every step names
// an actor or host of that config). Problems come back as data with a code
// (RUN001–RUN003), the place (file, JSON pointer) and a hint.
import { readFile } from 'node:fs/promises';
import { lazySchema } from '../lazy-schema.js';
import testcasesSchema from '../../schemas/testcases.schema.json' with { type: 'json' };
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' };
import type { Step, TestSuite } from '../../schemas/generated/testcases.js';
import { configProblems } from '../explore/config.js';
import { codeInfo } from '../codes.js';

export interface SuiteProblem {
  readonly code: 'RUN001' | 'RUN002' | 'RUN003';
  readonly message: string;
  /** `FILE` or `FILE:line:col` (JSON syntax) or `FILE#/tests/3/steps/2` (a JSON pointer). */
  readonly place: string;
  readonly hint: string;
}

/** The suite file is not a usable test suite (exit 3), with every problem found (at most 10). */
export class SuiteError extends Error {
  constructor(readonly problems: readonly SuiteProblem[]) {
    super(problems.map((p) => `${p.place}: ${p.code} ${p.message}`).join('\n'));
  }
}

const schemaValidator = lazySchema(testcasesSchema, [traceSchema, configSchema], true);

const problem = (code: SuiteProblem['code'], message: string, place: string, hint = codeInfo(code).hint): SuiteProblem => ({ code, message, place, hint });

/**
 * Reads and checks a suite file. Rejects with the I/O error when the file
 * cannot be read (the CLI turns that into CLI002/CLI003), with SuiteError when
 * it is not a valid suite.
 */
export async function loadSuite(path: string): Promise<TestSuite> {
  const text = await readFile(path, 'utf8');
  return parseSuite(text, path);
}

/**
 * Where JSON.parse failed, as an offset, or -1. V8 gives `position N` for some
 * errors only; for an unexpected token it quotes the text around it instead.
 */
function errorPosition(body: string, message: string): number {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (/Unexpected end of JSON input/.test(message)) return body.length;
  const m = /Unexpected token '([^']+)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (!m) return -1;
  const around = body.indexOf(m[2]);
  return around >= 0 ? around + m[2].lastIndexOf(m[1]) : -1;
}

/** Checks suite text (`file` names it in problems). Throws SuiteError. */
export function parseSuite(text: string, file: string): TestSuite {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try { value = JSON.parse(body); } catch (e) {
    const pos = errorPosition(body, (e as Error).message);
    const where = pos >= 0 ? `:${body.slice(0, pos).split('\n').length}:${pos - body.lastIndexOf('\n', pos - 1)}` : '';
    const why = (e as Error).message.replace(/[^\x20-\x7e]/g, '?').replace(/, ".*$/s, '').slice(0, 120);
    // A trace given by mistake (NDJSON: a header object on line 1) deserves to be named as such.
    if (/^\s*\{\s*"type"\s*:\s*"header"/.test(body)) {
      throw new SuiteError([problem('RUN001', 'this is a trace (NDJSON, one event per line), not a test suite', `${file}:1:1`, 'run-tests takes the JSON file of snc testgen --out; check a trace with snc check FILE')]);
    }
    throw new SuiteError([problem('RUN001', `not valid JSON: ${why}`, file + where)]);
  }
  const validate = schemaValidator();
  if (!validate(value)) {
    // Most specific first; the noise of `oneOf` branches (steps, actors) is left out.
    const errors = validate.errors!.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
    const seen = new Set<string>();
    const out: SuiteProblem[] = [];
    for (const e of errors.length ? errors : validate.errors!) {
      const extra = e.keyword === 'additionalProperties' ? ` (${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)})`
        : e.keyword === 'enum' || e.keyword === 'const' ? ` (allowed: ${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)})` : '';
      const message = `${e.instancePath || '/'} ${e.message}${extra}`;
      if (seen.has(message)) continue;
      seen.add(message);
      out.push(problem('RUN002', message, `${file}#${e.instancePath || '/'}`));
      if (out.length >= 10) break;
    }
    throw new SuiteError(out);
  }
  const suite = value as TestSuite;
  const out: SuiteProblem[] = configProblems(suite.config, `${file}#/config`).map((p) => problem('RUN003', p.message, p.file, p.hint));
  const ids = new Set(suite.config.actors.map((a) => a.id));
  const hosts = new Set(suite.config.actors.flatMap((a) => ('host' in a && a.host ? [a.host] : [])));
  const seenIds = new Set<string>();
  suite.tests.forEach((t, n) => {
    if (seenIds.has(t.id)) out.push(problem('RUN003', `duplicate test id ${JSON.stringify(t.id)}`, `${file}#/tests/${n}/id`, 'test ids are unique in a suite; regenerate it with snc testgen'));
    seenIds.add(t.id);
    const check = (s: Step, where: string) => {
      const actors = s.step === 'input' || s.step === 'timeout' || s.step === 'join' ? [s.actor]
        : s.step === 'forge' ? [s.from, s.to] : s.step === 'deliver' || s.step === 'drop' ? [s.message.from, s.message.to] : [];
      for (const a of actors) if (!ids.has(a)) out.push(problem('RUN003', `${s.step} step names actor ${JSON.stringify(a)}, which is not in the suite's config`, where));
      if ((s.step === 'crash' || s.step === 'restart') && !hosts.has(s.host)) out.push(problem('RUN003', `${s.step} step names host ${JSON.stringify(s.host)}, which no actor of the suite's config runs on`, where));
    };
    t.opening.forEach((s, k) => check(s, `${file}#/tests/${n}/opening/${k}`));
    t.steps.forEach((s, k) => check(s, `${file}#/tests/${n}/steps/${k}`));
  });
  if (out.length) throw new SuiteError(out.slice(0, 10));
  return suite;
}
