// The Mermaid `stateDiagram-v2` of a role, drawn from its config: the initial
// state, each state with its description and entry/exit actions as lines of
// its box, transitions that change state as arrows labelled
// `event [guard] / actions` (one arrow per pair of states, one line per
// transition), internal transitions (no state change) as lines
// inside the state's box (UML's internal-transition compartment), and root
// handlers on a dashed "any state" box. Timers show as `timeout.<timer>` events.
// Transitions that do nothing (no target, no actions) are in the table only.
import { ROLES } from '../../models/index.js';
import type { Role } from '../../models/types.js';
import { ANY, entryExit, isIgnore, transitionLabel, transitionsOf } from './transitions.js';

/** Id of the pseudo-state that carries the root handlers. */
export const ANY_STATE = 'any_state';

/**
 * Text safe inside a Mermaid state-diagram label or description line: no
 * characters the grammar reads as syntax (`:` `;` `#` `{` `}` `"` backticks,
 * `-->`), and nothing GitHub's sanitiser would strip (`<`, `>`).
 */
export function mermaidText(text: string): string {
  return text
    .replace(/`/g, '')
    .replace(/-->/g, '→')
    .replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'))
    .replace(/[:;#{}"]/g, (c) => ({ ':': ' -', ';': ',', '#': 'no.', '{': '(', '}': ')', '"': "'" })[c]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The `stateDiagram-v2` source of `role` (without the Markdown fence). */
export function stateDiagram(role: Role): string {
  const def = ROLES[role];
  const rows = transitionsOf(def);
  const out: string[] = ['stateDiagram-v2'];
  out.push(`  [*] --> ${def.config.initial}`);
  for (const [name, sc] of Object.entries(def.config.states)) {
    // Declared with a title, so that the description lines go below the name instead of replacing it.
    out.push(`  state "${name}" as ${name}`);
    if (sc.description) out.push(`  ${name} : ${mermaidText(sc.description)}`);
    const { entry, exit } = entryExit(def, name);
    if (entry.length) out.push(`  ${name} : entry / ${mermaidText(entry.join(', '))}`);
    if (exit.length) out.push(`  ${name} : exit / ${mermaidText(exit.join(', '))}`);
    for (const r of rows) if (r.from === name && r.target === undefined && !isIgnore(r)) out.push(`  ${name} : ${mermaidText(transitionLabel(r))}`);
  }
  const root = rows.filter((r) => r.from === ANY && !isIgnore(r));
  if (root.length) {
    out.push(`  state "any state (unless handled)" as ${ANY_STATE}`);
    for (const r of root) if (r.target === undefined) out.push(`  ${ANY_STATE} : ${mermaidText(transitionLabel(r))}`);
    out.push(`  classDef anyState stroke-dasharray: 5 5`);
    out.push(`  class ${ANY_STATE} anyState`);
  }
  // One arrow per pair of states, its transitions one per line: parallel arrows would tangle.
  const edges = new Map<string, string[]>();
  for (const r of rows) {
    if (r.target === undefined) continue;
    const key = `${r.from === ANY ? ANY_STATE : r.from} --> ${r.target}`;
    edges.set(key, [...(edges.get(key) ?? []), mermaidText(transitionLabel(r))]);
  }
  for (const [key, labels] of edges) out.push(`  ${key} : ${labels.join('<br/>')}`);
  return out.join('\n');
}
