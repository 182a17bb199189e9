// One page per role (docs/roles/<role>.md): the role's purpose, its states,
// the Mermaid state diagram, the transition table with the messages each
// transition may send and the timers it arms or stops (observed by probe.ts,
// not written by hand), its timers, and the fields of its local state.
import { DERIVED } from '../../models/canonical.js';
import { ROLES } from '../../models/index.js';
import type { Role } from '../../models/types.js';
import type { TimerName } from '../../schemas/generated/trace.js';
import { cell, code, codes, duration, page, table } from './markdown.js';
import { probeRole, type ProbedRow } from './probe.js';
import { sampleContexts } from './samples.js';
import { stateDiagram } from './state-diagram.js';
import { ALWAYS, ANY, actionLabel, entryExit, isIgnore, timerDoc, timersOf } from './transitions.js';

const INTRO = `How to read this page. The machine is written once, in \`models/\`, as an XState v5
machine; this page is generated from it. Transitions are tried in the order listed: for
one event in one state, the first row whose guard holds is taken (a row without a guard
always holds). Rows from \`*\` are the machine's root handlers: they apply in every state
that has no handler of its own for that event. \`always\` rows are eventless: they are
taken as soon as their guard holds after any step. A timer firing is the event
\`timeout.<timer>\`; a fired timer is no longer armed.

The columns *may send*, *arms* and *stops* are observed, not written: each row was
executed on its own (guard bypassed) with the role's own action implementations, from
the sample contexts of \`checker/docs/samples.ts\`, including the exit actions of the
source state and the entry actions of the target; the union over the samples is shown.
*may send*: an action may send nothing when there is nobody to send to.`;

/** Markdown of docs/roles/<role>.md. */
export function rolePage(role: Role): string {
  const def = ROLES[role];
  const rows = probeRole(role);
  const lines: string[] = [
    `# Role: ${role}`,
    '',
    def.config.description ?? '',
    '',
    `Initial state: ${code(def.config.initial)}. ${def.stateNames.length} states, ${rows.length} transitions, ${def.eventTypes.length} event types. Back to the [index](../index.md).`,
    '',
    '## States',
    '',
    ...table(['state', 'description', 'entry', 'exit'], def.stateNames.map((s) => {
      const { entry, exit } = entryExit(def, s);
      return [code(s) + (s === def.config.initial ? ' (initial)' : ''), cell(def.config.states[s].description), codes(entry), codes(exit)];
    })),
    '',
    '## State diagram',
    '',
    'Arrows change state; lines inside a box are its description, its entry/exit actions and its internal transitions (handled without leaving the state). The dashed box holds the root handlers.',
    '',
    '```mermaid',
    stateDiagram(role),
    '```',
    '',
    '## Transitions',
    '',
    INTRO,
    '',
    ...table(['from', 'event', 'guard', 'to', 'actions', 'may send', 'arms', 'stops', 'note'], rows.map((r) => transitionCells(r, timersOf(def)))),
    '',
    '## Timers',
    '',
    ...timerTable(timersOf(def) as TimerName[]),
    '',
    '## Local state',
    '',
    'The fields of the context (besides `cfg`, the static configuration, and `outbox`/`armed`, the effects of the last step), with their initial values in a sample system.',
    '',
    ...contextTable(role),
  ];
  return page(lines);
}

function transitionCells(r: ProbedRow, allTimers: readonly string[]): string[] {
  const to = isIgnore(r) ? '*(ignored)*' : r.target === undefined ? '*(stays)*' : r.target === r.from && r.reenter ? `${code(r.target)} (re-entered)` : code(r.target);
  const sends = r.effects.sends.map((k) => `${code(k)} → ${r.effects.sendsTo[k].join(', ')}`).join('<br>') || '—';
  const stops = allTimers.length > 1 && allTimers.every((t) => r.effects.stops.includes(t)) ? '*all*' : codes(r.effects.stops);
  return [
    r.from === ANY ? '`*`' : code(r.from),
    r.event === ALWAYS ? '*always*' : code(r.event),
    r.guard ? code(r.guard) : '',
    to,
    codes(r.actions.map(actionLabel)),
    sends,
    codes(r.effects.arms),
    stops,
    cell(r.description),
  ];
}

function timerTable(timers: readonly TimerName[]): string[] {
  return table(['timer', 'fires as', 'duration', 'default'], timers.map((t) => {
    const d = timerDoc(t);
    return [code(t), code(`timeout.${t}`), d.params.map((p) => `[${code(p)}](../parameters.md#${p.toLowerCase()})`).join(' − '), duration(d.defaultMs)];
  }));
}

function contextTable(role: Role): string[] {
  const ctx = ROLES[role].init(sampleContexts(role)[0].cfg, 0).next.ctx as unknown as Record<string, unknown>;
  const keys = Object.keys(ctx).filter((k) => !['cfg', 'outbox', 'armed'].includes(k) && !DERIVED.has(k));
  return table(['field', 'initial value'], keys.map((k) => [code(k), code(JSON.stringify(ctx[k]))]));
}
