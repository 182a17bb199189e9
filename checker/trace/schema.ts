// The compiled JSON Schema validators of one trace line (Header, Event), and
// the translation of an ajv error into a sentence a trace author can act on.
// Compiled once per process (module-level cache), and each event validator
// only when a trace first needs it: compiling everything cost ~300 ms per
// process (the Header ~150 ms, the Event union alone ~70 ms, though only a
// line of an unknown type needs it), validating a line about a microsecond.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' };
import type { Event, Header, Message } from '../../schemas/generated/trace.js';
import { preview } from './preview.js';

/** The validators a trace needs. */
export interface TraceValidators {
  header: ValidateFunction<Header>;
  /** Any event (the discriminated union: its errors name an unknown `type`). Compiled on first use. */
  readonly event: ValidateFunction<Event>;
  /**
   * The validator of one event type's schema alone (the fast path for a known
   * `type`), or the union `event` for an unknown one. Compiled on first use.
   */
  eventFor(type: unknown): ValidateFunction<Event>;
  /** A message alone (`$defs/Message`), for fast-event.ts. Compiled on first use. */
  readonly message: ValidateFunction<Message>;
}

let cached: TraceValidators | undefined;

/** The compiled Header and Event validators (compiled on first use). */
export function traceValidators(): TraceValidators {
  if (!cached) {
    // strictTypes is off because the schema puts `discriminator` on `oneOf`
    // unions without `type: "object"` (ajv's strict mode wants both).
    // Speed (bench/validate.ts): `unicode: false` measures maxLength in UTF-16
    // units rather than code points (only ids of astral characters near the
    // 256 limit are affected) and saves a loop over every id and mid.
    // `validateSchema: false`: our own schema is not checked against the 2020-12
    // meta-schema at every start (compiling the meta-schema cost ~110 ms per process);
    // test/check-fast-paths.test.ts checks it once instead.
    const ajv = new Ajv2020({
      discriminator: true, allErrors: false, strict: true, strictTypes: false, logger: false, unicode: false, validateSchema: false,
    });
    ajv.addSchema(traceSchema);
    const ref = (name: string) => {
      const fn = ajv.getSchema(`${traceSchema.$id}#/$defs/${name}`);
      if (!fn) throw new Error(`trace.schema.json has no $defs/${name}`);
      return fn;
    };
    const branch = new Map<string, number>(tags('Event', 'type').map((type, i) => [type, i]));
    const byType = new Map<string, ValidateFunction<Event>>();
    let event: ValidateFunction<Event> | undefined;
    let message: ValidateFunction<Message> | undefined;
    cached = {
      header: ref('Header') as ValidateFunction<Header>,
      get event() { return (event ??= ref('Event') as ValidateFunction<Event>); },
      get message() { return (message ??= ref('Message') as ValidateFunction<Message>); },
      eventFor(type) {
        const known = byType.get(type as string);
        if (known) return known;
        const i = branch.get(type as string);
        if (i === undefined) return this.event;
        const fn = ref(`Event/oneOf/${i}`) as ValidateFunction<Event>;
        byType.set(type as string, fn);
        return fn;
      },
    };
  }
  return cached;
}

/** A schema error, said for people. */
export interface Explained {
  message: string;
  /** The offending value (the whole line when the error is at the top). */
  value: unknown;
}

type Defs = Record<string, { oneOf?: { $ref?: string; properties?: Record<string, { const?: unknown }> }[] }>;
const defs = traceSchema.$defs as unknown as Defs;

/** The `const` values of a discriminated union in the schema, e.g. every event `type`. */
function tags(def: string, tag: string): string[] {
  return (defs[def]?.oneOf ?? []).map((branch) => {
    const target = branch.$ref ? defs[branch.$ref.replace('#/$defs/', '')] as typeof branch : branch;
    return String(target.properties?.[tag]?.const);
  });
}

const ALLOWED: Record<string, string[]> = {
  type: tags('Event', 'type'),
  role: tags('Actor', 'role'),
  msg: tags('Message', 'kind'),
  input: tags('Input', 'kind'),
};

/** `/msg/credential/sig` → `msg.credential.sig`; `/actors/3/id` → `actors[3].id`. */
export function fieldName(pointer: string): string {
  let name = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    name += /^\d+$/.test(part) ? `[${part}]` : name ? `.${part}` : part;
  }
  return name;
}

/** The value at a JSON pointer, following own properties only. */
function at(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * Turns the first ajv error of a failed validation into a message and the
 * offending value. `what` names the validated thing (`event`, `header`).
 */
export function explain(errors: ErrorObject[] | null | undefined, root: unknown, what: string): Explained {
  const e = errors?.[0];
  if (!e) return { message: `${what} does not match the schema`, value: root };
  const path = fieldName(e.instancePath);
  const where = path ? `field "${path}"` : `the ${what}`;
  const here = path ? ` in "${path}"` : '';
  const value = at(root, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'discriminator': {
      const tag = String(p.tag);
      if (p.error === 'tag') return { message: `${where} needs a string "${tag}"`, value };
      const last = e.instancePath.split('/').pop() ?? '';
      const allowed = ALLOWED[tag === 'type' || tag === 'role' ? tag : last] ?? [];
      const list = allowed.length ? `; expected one of ${allowed.join(', ')}` : '';
      return { message: `unknown ${tag} ${preview(p.tagValue)}${here}${list}`, value: p.tagValue };
    }
    case 'required':
      return { message: `missing field "${String(p.missingProperty)}"${here}`, value };
    case 'additionalProperties':
      return { message: `unexpected field "${String(p.additionalProperty)}"${here}`, value: p.additionalProperty };
    case 'const':
      return { message: `${where} must be ${preview(p.allowedValue)}, got ${preview(value)}`, value };
    case 'enum':
      return { message: `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => preview(v)).join(', ')}, got ${preview(value)}`, value };
    case 'type':
      // JSON.parse turns a number too large for a double (1e400) into Infinity, which no schema type accepts.
      if (typeof value === 'number' && !Number.isFinite(value)) return { message: `${where} must be a finite number, got one too large for a double (read as ${value})`, value };
      return { message: `${where} must be of type ${String(p.type).replace(/,/g, ' or ')}, got ${jsonType(value)}`, value };
    default:
      return { message: `${where} ${e.message ?? 'is invalid'}, got ${preview(value)}`, value };
  }
}

/** The JSON type name of a parsed value: object, array, string, number, boolean, null. */
export function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
