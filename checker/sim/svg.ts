// A hand-rolled SVG line chart of a simulation's time series: stacked panels
// (clients, supernodes, load per supernode) over simulated hours, with the
// scenario's actions as dashed markers. No browser, no dependency: the result
// is a string the CLI writes to a file.
import type { SeriesRow } from './metrics.js';
import type { SimAction } from './scenario.js';

interface Line { readonly name: string; readonly color: string; readonly values: readonly number[] }
interface Panel { readonly title: string; readonly lines: readonly Line[]; readonly log?: boolean }

const W = 900;
const PANEL_H = 170;
const M = { left: 70, right: 170, top: 40, gap: 46, bottom: 40 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (x: number) => (x >= 10_000 ? `${Math.round(x / 1000)}k` : x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x >= 10 ? `${Math.round(x)}` : `${Math.round(x * 10) / 10}`);

/** "Nice" tick values from 0 (or 1, log) to at least `max`. */
function ticks(max: number, log: boolean): number[] {
  if (log) {
    const out = [1];
    while (out[out.length - 1] < max) out.push(out[out.length - 1] * 10);
    return out;
  }
  const raw = Math.max(max, 1) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) out.push(v);
  return out.length > 1 ? out : [0, step];
}

function panel(p: Panel, hours: readonly number[], top: number, xOf: (h: number) => number): string[] {
  const max = Math.max(1, ...p.lines.flatMap((l) => l.values));
  const ts = ticks(max, p.log === true);
  const hi = ts[ts.length - 1];
  const yOf = (v: number) => top + PANEL_H - (p.log ? (Math.log10(Math.max(v, 1)) / Math.log10(hi)) : v / hi) * PANEL_H;
  const out: string[] = [`<text x="${M.left}" y="${top - 8}" class="title">${esc(p.title)}</text>`];
  for (const v of ts) {
    const y = yOf(v).toFixed(1);
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" class="grid"/>`, `<text x="${M.left - 6}" y="${y}" class="ylab">${fmt(v)}</text>`);
  }
  p.lines.forEach((l, k) => {
    const pts = l.values.map((v, i) => `${xOf(hours[i]).toFixed(1)},${yOf(v).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${l.color}" stroke-width="1.6"/>`);
    const ly = top + 14 + k * 18;
    out.push(`<line x1="${W - M.right + 12}" x2="${W - M.right + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${l.color}" stroke-width="3"/>`, `<text x="${W - M.right + 38}" y="${ly}" class="legend">${esc(l.name)}</text>`);
  });
  return out;
}

/** The chart of `rows` as an SVG document. */
export function seriesSvg(rows: readonly SeriesRow[], title: string, actions: readonly SimAction[] = []): string {
  const hours = rows.map((r) => r.t / 3_600_000);
  const end = Math.max(hours[hours.length - 1] ?? 1, 1e-9);
  const xOf = (h: number) => M.left + (h / end) * (W - M.left - M.right);
  const panels: Panel[] = [
    { title: 'Clients', lines: [{ name: 'online', color: '#1f77b4', values: rows.map((r) => r.online) }, { name: 'attached', color: '#2ca02c', values: rows.map((r) => r.attached) }] },
    { title: 'Supernodes serving', lines: [{ name: 'all', color: '#9467bd', values: rows.map((r) => r.liveSupernodes) }, { name: 'regular', color: '#8c564b', values: rows.map((r) => r.liveRegular) }] },
    { title: 'Load per supernode (messages per loadWindow, log scale)', log: true, lines: [{ name: 'mean', color: '#ff7f0e', values: rows.map((r) => r.meanLoad) }, { name: 'max', color: '#d62728', values: rows.map((r) => r.maxLoad) }] },
  ];
  const H = M.top + panels.length * PANEL_H + (panels.length - 1) * M.gap + M.bottom;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    '<style>.grid{stroke:#e5e5e5}.ylab{text-anchor:end;dominant-baseline:middle;fill:#555}.xlab{text-anchor:middle;fill:#555}.title{font-weight:bold}.legend{fill:#333}.mark{stroke:#888;stroke-dasharray:4 3}.mlab{fill:#666;font-size:10px}</style>',
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${M.left}" y="20" font-size="15" class="title">${esc(title)}</text>`,
  ];
  panels.forEach((p, k) => out.push(...panel(p, hours, M.top + 14 + k * (PANEL_H + M.gap), xOf)));
  const bottom = M.top + 14 + panels.length * PANEL_H + (panels.length - 1) * M.gap;
  const step = end <= 6 ? 1 : end <= 24 ? 2 : end <= 48 ? 4 : 12;
  for (let h = 0; h <= end + 1e-9; h += step) out.push(`<text x="${xOf(h).toFixed(1)}" y="${bottom + 16}" class="xlab">${h}h</text>`);
  out.push(`<text x="${(W - M.right + M.left) / 2}" y="${bottom + 32}" class="xlab">simulated time</text>`);
  actions.forEach((a, k) => {
    const x = xOf(a.at / 3_600_000).toFixed(1);
    const label = a.action === 'set-mode' ? `${a.server} ${a.mode}` : a.action === 'add-mega' ? `+${a.count} mega` : a.action === 'crash' ? `crash ${a.count}` : 'mass restart';
    out.push(`<line x1="${x}" x2="${x}" y1="${M.top + 4}" y2="${bottom}" class="mark"/>`, `<text x="${Number(x) + 3}" y="${M.top + 4 + (k % 3) * 11}" class="mlab">${esc(label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
