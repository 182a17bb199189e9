// Where the project's own files are at run time (the bundled scenarios, the
// docs folder, the runner's sources for generated mocha files), whether this
// code runs from the TypeScript sources (through tsx) or compiled into dist/
// (npm run build): the project root is above `checker/` or above `dist/checker/`.
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** True when this code runs compiled, from dist/. */
export const COMPILED = basename(dirname(here)) === 'dist';
/** The project's root folder (where package.json, scenarios/ and docs/ are). */
export const PROJECT_ROOT = COMPILED ? dirname(dirname(here)) : dirname(here);
