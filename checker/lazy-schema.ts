// The JSON Schemas of the files users hand us (system configs, scenarios, test
// suites), compiled with ajv on first use and once per process: compiling costs
// tens of milliseconds, which a command that never reads such a file should not pay.
// (Trace lines have their own, faster validators: checker/trace/schema.ts.)
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema, ValidateFunction } from 'ajv';

/**
 * A getter of the compiled `schema`, with `refs` added for its `$ref`s.
 * `allErrors`: report every problem (configs, suites) or stop at the first (scenarios).
 */
export function lazySchema(schema: AnySchema, refs: readonly AnySchema[], allErrors: boolean): () => ValidateFunction {
  let fn: ValidateFunction | undefined;
  return () => {
    if (!fn) {
      const ajv = new Ajv2020({ allErrors, strict: false, discriminator: true });
      for (const r of refs) ajv.addSchema(r);
      fn = ajv.compile(schema);
    }
    return fn;
  };
}
