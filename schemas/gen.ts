// Regenerates schemas/generated/*.ts from the JSON Schemas in schemas/ with
// json-schema-to-typescript. `--check` compares instead of writing and exits 1
// when a generated file is stale (used by the staleness test and CI).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { compile } from 'json-schema-to-typescript';

const here = dirname(fileURLToPath(import.meta.url));
export const SCHEMAS = ['trace', 'report', 'config', 'scenario', 'testcases'] as const;
const BANNER = (name: string) =>
  `/* eslint-disable */\n// generated — do not edit — regenerate with \`npm run gen\` (from schemas/${name}.schema.json)\n`;

/** Returns the TypeScript source generated from schemas/<name>.schema.json. */
export async function generate(name: string): Promise<string> {
  const schema = JSON.parse(await readFile(join(here, `${name}.schema.json`), 'utf8'));
  const ts = await compile(schema, schema.title ?? name, {
    cwd: here,
    bannerComment: BANNER(name),
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    style: { singleQuote: true },
  });
  return ts;
}

async function exists(p: string): Promise<boolean> {
  try { await readFile(p); return true; } catch { return false; }
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const name of SCHEMAS) {
    const src = join(here, `${name}.schema.json`);
    if (!(await exists(src))) continue;
    const out = join(here, 'generated', `${name}.ts`);
    const ts = await generate(name);
    if (check) {
      const old = (await exists(out)) ? await readFile(out, 'utf8') : '';
      if (old !== ts) { stale++; process.stderr.write(`stale: schemas/generated/${name}.ts (run npm run gen)\n`); }
    } else {
      await writeFile(out, ts);
      process.stdout.write(`wrote schemas/generated/${name}.ts\n`);
    }
  }
  return stale ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
