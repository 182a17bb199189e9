// Every bundled sample trace gives the verdict its sidecar NAME.expect.json
// states: `{"validate": {"verdict", "codes": [first, second, …], "line": first problem's line}}`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFile } from '../checker/trace/validate.js';
import { ROOT } from './helpers/cli.js';

interface Expect {
  validate: { verdict: 'valid' | 'invalid'; codes: string[]; line?: number };
}

const DIR = join(ROOT, 'traces/samples');
const samples = readdirSync(DIR).filter((f) => f.endsWith('.ndjson')).sort();

describe('traces/samples', () => {
  it('has valid and invalid samples, each with a sidecar', () => {
    assert.ok(samples.filter((f) => f.startsWith('valid-')).length >= 3);
    assert.ok(samples.filter((f) => f.startsWith('invalid-')).length >= 10);
    const sidecars = readdirSync(DIR).filter((f) => f.endsWith('.expect.json'));
    assert.deepEqual(sidecars.map((f) => f.replace('.expect.json', '')).sort(), samples.map((f) => f.replace('.ndjson', '')));
  });

  for (const name of samples) {
    it(name, async () => {
      const expect = (JSON.parse(readFileSync(join(DIR, name.replace(/\.ndjson$/, '.expect.json')), 'utf8')) as Expect).validate;
      assert.equal(expect.verdict, name.startsWith('valid-') ? 'valid' : 'invalid', 'valid-* names are for valid traces only (npm start validates them)');
      const r = await validateFile(join(DIR, name));
      const got = { verdict: r.verdict, codes: r.problems.map((p) => p.code), line: r.problems[0]?.line };
      assert.deepEqual(got, { verdict: expect.verdict, codes: expect.codes, line: expect.line }, r.problems.map((p) => p.message).join('\n'));
    });
  }
});
