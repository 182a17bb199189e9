// schemas/generated/*.ts must be exactly what `npm run gen` would write now:
// a schema edited without regenerating fails here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMAS, generate } from '../schemas/gen.js';
import { ROOT } from './helpers/cli.js';

/**
 * `generate`, with any test's fake browser `window` (jsdom, for mermaid) hidden
 * meanwhile: json-schema-ref-parser takes a global `window` to mean "in a
 * browser" and then reads `location`.
 */
async function generateInNode(name: string): Promise<string> {
  const g = globalThis as Record<string, unknown>;
  if (!('window' in g)) return generate(name);
  const window = g.window;
  delete g.window;
  try {
    return await generate(name);
  } finally {
    g.window = window;
  }
}

describe('schemas/generated', () => {
  for (const name of SCHEMAS) {
    if (!existsSync(join(ROOT, 'schemas', `${name}.schema.json`))) continue;
    it(`${name}.ts is up to date (else run npm run gen)`, async () => {
      const file = join(ROOT, 'schemas/generated', `${name}.ts`);
      assert.ok(existsSync(file), `schemas/generated/${name}.ts is missing: run npm run gen`);
      assert.ok(readFileSync(file, 'utf8') === (await generateInNode(name)), `schemas/generated/${name}.ts is stale: run npm run gen`);
    });
  }
});
