// The code catalogue (checker/codes.ts) and docs/errors.md list the same codes
// with the same titles, and every code has the shape report.schema.json requires.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../checker/codes.js';
import { ROOT } from './helpers/cli.js';

describe('problem codes', () => {
  const doc = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  const headings = [...doc.matchAll(/^## ([A-Z]{3}\d{3}) — (.+)$/gm)].map((m) => [m[1], m[2]]);

  it('are unique and well-formed', () => {
    const codes = CODES.map((c) => c.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.match(c, /^[A-Z]{3}[0-9]{3}$/);
  });

  it('are documented in docs/errors.md, in order, with their titles', () => {
    assert.deepEqual(headings, CODES.map((c) => [c.code, c.title]));
  });

  it('each have a hint in the docs too', () => {
    for (const c of CODES) assert.ok(doc.includes(c.hint), `docs/errors.md lacks the hint of ${c.code}`);
  });
});
