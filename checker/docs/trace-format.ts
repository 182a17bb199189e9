// docs/trace-format.md: the `supernode-trace` v1 reference, generated from
// schemas/trace.schema.json (header, actors, events, inputs, timers,
// credential), with an example taken from the first lines of a sample trace.
import { cell, code, page, table } from './markdown.js';
import { DEFS, EVENTS, INPUTS, TIMERS, TRACE_SCHEMA, fieldsOf, type Field } from './schema.js';

/** The sample trace whose first lines are the page's example. */
export const EXAMPLE_TRACE = 'traces/samples/valid-login-two-clients.ndjson';
export const EXAMPLE_LINES = 8;

const INTRO = `A trace is NDJSON: UTF-8, one JSON object per line. Line 1 is the header; every
other line is one event, in the order it happened, with a time \`t\` that never
decreases. Implementations write traces of their own runs, and \`snc validate\` /
\`snc check\` read them; the explorer writes its counterexamples in the same format.
The format is versioned (\`version\`) and every line is validated against
\`schemas/trace.schema.json\` (JSON Schema 2020-12), from which this page is generated.`;

const HIDDEN = `**Hidden steps.** A recording sees the network, not the inside of a process:
\`timeout\` events and some inputs may be missing. The checker may take unrecorded
internal steps to explain the next recorded event. A message sent and never delivered
is lost; \`drop\` only makes that explicit.`;

function fieldRows(fields: readonly Field[]): string[][] {
  return fields.map((f) => [code(f.name), code(f.type), f.required ? 'yes' : 'no', cell(f.description)]);
}

function fieldTable(fields: readonly Field[]): string[] {
  return fields.length ? table(['field', 'type', 'required', 'description'], fieldRows(fields)) : ['No fields besides the discriminator.'];
}

const ACTOR_KINDS = ['ClientActor', 'SupernodeActor', 'AuthActor', 'ImActor'];

/** Markdown of docs/trace-format.md; `example` is the text of {@link EXAMPLE_TRACE}. */
export function traceFormatPage(example: string): string {
  const sample = example.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim()).slice(0, EXAMPLE_LINES);
  return page([
    '# Trace format: `supernode-trace` version 1',
    '',
    cell(TRACE_SCHEMA.description),
    '',
    INTRO,
    '',
    '## Example',
    '',
    `The first ${sample.length} lines of [\`${EXAMPLE_TRACE}\`](../${EXAMPLE_TRACE}):`,
    '',
    '```json',
    ...sample,
    '```',
    '',
    '## Header (line 1)',
    '',
    cell(DEFS.Header.description),
    '',
    ...fieldTable(fieldsOf(DEFS.Header)),
    '',
    '`params` overrides model parameters for this trace: see [parameters](parameters.md).',
    '',
    '## Actors',
    '',
    'Each actor of the header (or of a `join` event) is one of these, by `role`.',
    '',
    ...ACTOR_KINDS.flatMap((k) => [`### ${String(DEFS[k].properties?.role?.const)}`, '', cell(DEFS[k].description), '', ...fieldTable(fieldsOf(DEFS[k]).filter((f) => f.name !== 'role')), '']),
    '## Events',
    '',
    'Every event has `type` and `t` (a number ≥ 0: milliseconds when the header\'s `clock` is `ms`, logical steps when it is `step`).',
    '',
    ...table(['type', 'fields', 'meaning'], EVENTS.map((e) => [code(e.name), e.fields.filter((f) => f.name !== 't').map((f) => `${code(f.name)}: ${code(f.type)}`).join(', '), cell(e.node.description)])),
    '',
    ...EVENTS.flatMap((e) => [`### ${e.name}`, '', cell(e.node.description), '', ...fieldTable(e.fields), '']),
    '## Messages',
    '',
    `The \`msg\` of a \`send\` is one of ${DEFS.Message.oneOf?.length ?? 0} kinds: see the [message catalogue](messages.md).`,
    '',
    '## Inputs',
    '',
    cell(DEFS.Input.description),
    '',
    ...table(['kind', 'fields', 'meaning'], INPUTS.map((i) => [code(i.name), i.fields.map((f) => `${code(f.name)}: ${code(f.type)}`).join(', ') || '—', cell(i.node.description)])),
    '',
    '## Timers',
    '',
    `${cell(DEFS.TimerName.description)} The names a \`timeout\` event may carry: ${TIMERS.map(code).join(', ')}. Each role page lists its timers and their durations.`,
    '',
    '## Credential',
    '',
    cell(DEFS.Credential.description),
    '',
    ...fieldTable(fieldsOf(DEFS.Credential)),
    '',
    HIDDEN,
    '',
    'Back to the [index](index.md).',
  ]);
}
