// Text rendering of an exploration report: the search figures, then one line
// per property with its verdict, the counterexample length and trace file.
import type { ExplorationReport } from '../../schemas/generated/report.js';
import { printable } from './io.js';
import { plural } from './render.js';

const n = (x: number) => x.toLocaleString('en');
const MARK: Record<string, string> = { holds: '✓', violated: '✗', witnessed: '●', unwitnessed: '○', pending: '…', 'not-checked': '-' };

/** The summary `snc explore` prints. */
export function explorationText(r: ExplorationReport): string {
  const lines: string[] = [];
  if (r.mode === 'random') {
    lines.push(`snc explore ${r.model}: random search, seed ${r.seed}`);
    lines.push(`  ${plural(r.runs ?? 0, 'walk', n)} in all, shrinking included · ${n(r.transitions)} steps · ${r.seconds} s · ${n(r.statesPerSecond ?? 0)} steps/s`);
    if (r.replay) lines.push(`  replay: ${r.replay}`);
  } else {
    lines.push(`snc explore ${r.model}: exhaustive${r.symmetry ? ', symmetry-reduced' : ''}`);
    lines.push(`  ${plural(r.states, 'state', n)} · ${plural(r.transitions, 'transition', n)} · depth ${r.depth} · ${r.seconds} s · ${n(r.statesPerSecond ?? 0)} states/s · ${r.complete ? 'complete' : `INCOMPLETE: ${r.bound}`}`);
  }
  const width = Math.max(...r.properties.map((p) => p.id.length));
  for (const p of r.properties) {
    let what: string = p.status;
    if (p.status === 'violated' || p.status === 'witnessed') {
      what += ` in ${plural(p.length ?? 0, 'step')}: ${p.explanation}`;
      if (p.trace) what += ` → ${p.trace}${p.line ? `:${p.line}` : ''}`;
    } else if (p.explanation) {
      what += ` (${p.explanation})`;
    }
    lines.push(`  ${MARK[p.status] ?? ' '} ${p.id.padEnd(width)}  ${what}`);
  }
  const bad = r.properties.filter((p) => p.status === 'violated').length;
  const unwitnessed = r.properties.filter((p) => p.status === 'unwitnessed').map((p) => p.id);
  const incomplete = r.mode !== 'random' && !r.complete;
  lines.push(bad ? `${bad} propert${bad === 1 ? 'y' : 'ies'} violated` : incomplete ? 'no property violated in the states explored (incomplete: a violation may lie beyond the bound)' : 'no property violated');
  if (unwitnessed.length) lines.push(`note: not witnessed in this system: ${unwitnessed.join(', ')} — fine if its budget allows no such run (e.g. no crash, no lookup); otherwise the model may be unable to act there`);
  return lines.map(printable).join('\n') + '\n';
}
