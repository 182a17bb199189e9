// docs/properties.md, docs/parameters.md and docs/presets.md: tables
// generated from the property catalogue (checker/props), the parameter
// catalogue (models/params.ts) and the named configurations
// (models/presets.ts, typed by schemas/config.schema.json).
import { CATALOGUE, DEFAULT_PROPS, TIME_WITHIN, TIME_WITHIN_OTHER } from '../props/index.js';
import { PARAMS } from '../../models/params.js';
import { PRESETS, DEFAULT_PRESET } from '../../models/presets.js';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import { TIMERS, typeOf, type SchemaNode } from './schema.js';
import { timerDoc } from './transitions.js';
import { anchor, cell, code, page, table, value } from './markdown.js';
import type { TimerName } from '../../schemas/generated/trace.js';

/** `reattach-within 300 s, …`: N of the response properties in clock time (TIME_WITHIN_OTHER for one not listed). */
const timeDefaults = () => CATALOGUE.filter((p) => p.kind === 'response').map((p) => `\`${p.id}\` ${(TIME_WITHIN[p.id] ?? TIME_WITHIN_OTHER) / 1000} s`).join(', ');

const KINDS = `Kinds: **always** — a safety property, checked at every event; one bad event is a
violation. **response** — a bounded response: once its trigger happens, the response
must follow within N, counted as the property's *measure* says (\`global\`: events of the
whole run; \`actor\`: events that touch the actors concerned; \`time\`: clock time in ms, for
traces with an \`ms\` clock, where N defaults to ${timeDefaults()} instead of a step
count). **sometimes** — a sanity check: some run must witness it, else
the model may be unable to act at all. The same monitor code checks explored paths
(\`snc explore\`) and recorded traces (\`snc check\`); \`--props\` selects properties and
\`--within id=N\` overrides N.`;

/** Markdown of docs/properties.md. */
export function propertiesPage(): string {
  return page([
    '# Properties',
    '',
    KINDS,
    '',
    ...table(['id', 'kind', 'statement', 'N (default)', 'measure', 'parameter', 'checked by default'], CATALOGUE.map((p) => [
      `<a id="${p.id}"></a>${code(p.id)}`,
      p.kind,
      cell(p.statement),
      p.defaults?.within !== undefined ? String(p.defaults.within) : '—',
      p.defaults?.measure ? code(p.defaults.measure) : '—',
      cell(p.paramNote),
      DEFAULT_PROPS.includes(p.id) ? 'yes' : 'no (`--props`)',
    ])),
    '',
    'Back to the [index](index.md).',
  ]);
}

/** The timers whose duration reads each parameter. */
function timersByParam(): Map<string, TimerName[]> {
  const out = new Map<string, TimerName[]>();
  for (const t of TIMERS as TimerName[]) for (const p of timerDoc(t).params) out.set(p, [...(out.get(p) ?? []), t]);
  return out;
}

const SOURCES = `Sources: **paper** — Baset & Schulzrinne's measurements of Skype (2004/2006) or
related overlay studies; **admin-guide** — the Skype 3.0 Network Administrator's Guide;
**post-mortem** — Skype's accounts of the 2007 and 2010 outages; **assumed** — no public
figure: our choice, kept a parameter so that it can be varied. A trace overrides any of
them in its header (\`params\`), a preset or a \`--config\` file in its \`params\`.`;

/** Markdown of docs/parameters.md. */
export function parametersPage(): string {
  const timers = timersByParam();
  return page([
    '# Parameters',
    '',
    SOURCES,
    '',
    ...table(['name', 'default', 'unit', 'source', 'timers', 'note'], PARAMS.map((p) => [
      `<a id="${p.name.toLowerCase()}"></a>${code(p.name)}`,
      value(p.default, p.unit),
      p.unit,
      p.source,
      (timers.get(p.name) ?? []).map(code).join(', '),
      cell(p.note),
    ])),
    '',
    'Back to the [index](index.md).',
  ]);
}

const BUDGET = (configSchema as unknown as { $defs: Record<string, SchemaNode> }).$defs.Budget;

function actorCell(a: Record<string, unknown>): string {
  const extra = Object.entries(a).filter(([k]) => !['id', 'role', 'host'].includes(k)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return extra.join(', ');
}

/** Markdown of docs/presets.md. */
export function presetsPage(): string {
  const names = Object.keys(PRESETS);
  return page([
    '# Presets',
    '',
    `Small named systems to explore, beside the parametric models (as TLA+ keeps a \`.cfg\` beside its spec): \`snc explore --preset NAME\`. The default is ${code(DEFAULT_PRESET)}. Each is a value of \`schemas/config.schema.json\`; \`snc explore --config FILE\` reads your own.`,
    '',
    ...table(['preset', 'actors', 'description'], names.map((n) => [`[${code(n)}](#${anchor(n)})`, String(PRESETS[n].actors.length), cell(PRESETS[n].description)])),
    '',
    '## Budget fields',
    '',
    cell(BUDGET.description),
    '',
    ...table(['field', 'type', 'description'], Object.entries(BUDGET.properties ?? {}).map(([k, f]) => [code(k), code(typeOf(f)), cell(f.description)])),
    '',
    ...names.flatMap((n) => {
      const p = PRESETS[n];
      return [
        `## ${n}`,
        '',
        cell(p.description),
        '',
        ...table(['actor', 'role', 'host', 'options'], p.actors.map((a) => [code(a.id), a.role, a.host ? code(a.host) : '', cell(actorCell(a as unknown as Record<string, unknown>))])),
        '',
        `Parameters: ${Object.entries(p.params ?? {}).map(([k, v]) => `[${code(k)}](parameters.md#${k.toLowerCase()}) = ${code(JSON.stringify(v))}`).join(', ') || 'defaults'}.`,
        '',
        `Budget: ${Object.entries(p.budget ?? {}).map(([k, v]) => `${code(k)} = ${code(JSON.stringify(v))}`).join(', ') || 'none (no inputs or faults beyond the defaults)'}.`,
        ...(p.standby?.length ? ['', `Standby (joins later): ${p.standby.map(code).join(', ')}.`] : []),
        ...(p.network ? ['', `Network: ${code(p.network)}.`] : []),
        '',
      ];
    }),
    'Back to the [index](index.md).',
  ]);
}
