// Reading schemas/trace.schema.json for the docs: the message, input and event
// definitions by their `const` discriminator, each field's type written the
// way a reader expects (`string | null`, `"busy" | "closing"`, `Credential`),
// and the sender → receiver roles a message's description starts with.
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' };

/** A JSON Schema node, loosely typed (only what the docs read). */
export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  $ref?: string;
  minimum?: number;
  maxItems?: number;
  maxLength?: number;
  minLength?: number;
  additionalProperties?: boolean | SchemaNode;
}

/** The trace schema's `$defs`. */
export const DEFS = (traceSchema as unknown as { $defs: Record<string, SchemaNode> }).$defs;
export const TRACE_SCHEMA = traceSchema as unknown as SchemaNode & { $defs: Record<string, SchemaNode> };

/** One variant of a discriminated union (a message kind, an input kind, an event type). */
export interface Variant {
  /** The discriminator's value: `Connect`, `Login`, `send`. */
  readonly name: string;
  readonly node: SchemaNode;
  /** Fields other than the discriminator, in schema order. */
  readonly fields: readonly Field[];
}

export interface Field {
  readonly name: string;
  readonly required: boolean;
  readonly type: string;
  readonly description?: string;
}

function bracket(t: string): string {
  return t.includes('|') ? `(${t})` : t;
}

function variants(union: SchemaNode, key: string): Variant[] {
  return (union.oneOf ?? []).map((node) => ({
    name: String(node.properties?.[key]?.const),
    node,
    fields: Object.entries(node.properties ?? {})
      .filter(([k]) => k !== key)
      .map(([name, f]) => ({ name, required: node.required?.includes(name) ?? false, type: typeOf(f), description: f.description })),
  }));
}

/** The message kinds, in schema order. */
export const MESSAGES: readonly Variant[] = variants(DEFS.Message, 'kind');
/** The input kinds. */
export const INPUTS: readonly Variant[] = variants(DEFS.Input, 'kind');
/** The event types (after the header). */
export const EVENTS: readonly Variant[] = variants(DEFS.Event, 'type');
/** The timer names. */
export const TIMERS: readonly string[] = (DEFS.TimerName.enum ?? []).map(String);

/** The fields of an object definition of `$defs` (Header, Credential, an actor). */
export function fieldsOf(node: SchemaNode): Field[] {
  return Object.entries(node.properties ?? {}).map(([name, f]) => ({
    name, required: node.required?.includes(name) ?? false, type: typeOf(f), description: f.description,
  }));
}

/** A field's type as a reader writes it: `string`, `string[]`, `"busy" | "closing"`, `Credential`, `string | null`. */
export function typeOf(node: SchemaNode | undefined): string {
  if (!node) return 'any';
  if (node.$ref) return node.$ref.replace(/^.*\//, '');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alts = node.oneOf ?? node.anyOf;
  if (alts) return alts.map((a) => (a.title && !a.$ref ? a.title : typeOf(a))).join(' | ');
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  return types.map((t) => {
    if (t === 'array') return `${bracket(typeOf(node.items))}[]`;
    if (t === 'object' && node.properties) return `{ ${Object.keys(node.properties).join(', ')} }`;
    return t;
  }).join(' | ') || 'any';
}

/** `client → supernode: …` at the start of a message description, as roles. */
export function senderReceiver(v: Variant): { from: string; to: string } | null {
  const m = /^\s*(\w+)\s*(?:→|->)\s*(\w+)\s*:/.exec(v.node.description ?? '');
  return m ? { from: m[1], to: m[2] } : null;
}

/** A message description without its leading `a → b:`. */
export function messagePurpose(v: Variant): string {
  return (v.node.description ?? '').replace(/^\s*\w+\s*(?:→|->)\s*\w+\s*:\s*/, '');
}
