// The im role (PROTOCOL.md, "Client" step 5 and 6): the offline-IM support
// server clients query once after login. `slow` answers only when its `reply`
// timer fires, which may be after the client's imTimeout: the late reply that
// crashed 5.0.0.152 in December 2010. `down` is the operator switching it off.
import { defineRole, type GuardImpl, type ActionImpl, type RoleConfig } from './role.js';
import { contextEffects, MSG } from './effects.js';
import type { ActorConfig, BaseContext, ModelEvent } from './types.js';
import { inPlace } from './in-place.js';

// This role's own copies of the context helpers (models/effects.ts says why).
const { emit, arm, cancel, isArmed } = contextEffects('im');

export interface ImContext extends BaseContext {
  /** Clients whose fetch a slow server has not answered yet, sorted. */
  waiting: string[];
}
type C = ImContext;
const mode = (ev: ModelEvent) => (ev.type === 'input.SetMode' ? ev.input.mode : undefined);

export const imConfig: RoleConfig = {
  id: 'im',
  description: 'Offline instant messages: OfflineImFetch → OfflineImBatch, at once (up), late (slow) or never (down).',
  initial: 'up',
  on: {
    'input.SetMode': [
      { guard: 'modeIsUp', target: '.up' },
      { guard: 'modeIsSlow', target: '.slow', description: 'fault: overloaded im servers reply late' },
      { guard: 'modeIsDown', target: '.down', description: 'operator: im switched off' },
    ],
    'timeout.reply': { actions: 'answerWaiting' },
  },
  states: {
    up: { on: { OfflineImFetch: { actions: 'answerNow' } } },
    slow: { on: { OfflineImFetch: { actions: 'answerLater' } } },
    down: { entry: 'forgetWaiting' },
  },
};

export const imGuards: Record<string, GuardImpl<C>> = {
  modeIsUp: (_c, ev) => mode(ev) === 'up',
  modeIsSlow: (_c, ev) => mode(ev) === 'slow' || mode(ev) === 'overloaded',
  modeIsDown: (_c, ev) => mode(ev) === 'down',
};

export const imActions: Record<string, ActionImpl<C>> = {
  answerNow: (d, ev) => { if (ev.type === 'OfflineImFetch') emit(d, ev.from, MSG.OfflineImBatch); },
  answerLater: (d, ev) => {
    if (ev.type !== 'OfflineImFetch') return;
    // Sorted insert by binary search (the list grows to every client while im is slow). A copy, then `splice`, or
    // in place when steps write in place (models/in-place.ts): the list is thousands long at scale (outage-2010 at
    // 100k clients: ~5k fetches a batch, 150k an hour), where a spread of two slices copied it at ~2x the cost of
    // the copy and splice (a list grown to 6,000 ids: 40 ms against 24).
    const w = d.waiting;
    let lo = 0;
    for (let hi = w.length; lo < hi;) { const mid = (lo + hi) >> 1; if (w[mid] < ev.from) lo = mid + 1; else hi = mid; }
    if (w[lo] !== ev.from) {
      if (inPlace()) w.splice(lo, 0, ev.from);
      else { const next = w.slice(); next.splice(lo, 0, ev.from); d.waiting = next; }
    }
    // Armed once per batch: the batch goes out imSlowDelay after its first fetch, whatever
    // comes after. (Re-arming on every fetch would hold the batch back for as long as
    // fetches come closer than imSlowDelay: at ≥ 10k clients no reply would ever leave.)
    if (!isArmed(d, 'reply')) arm(d, 'reply');
  },
  answerWaiting: (d) => {
    for (const c of d.waiting) emit(d, c, MSG.OfflineImBatch);
    d.waiting = [];
  },
  forgetWaiting: (d) => { d.waiting = []; cancel(d, 'reply'); },
};

export function imContext(cfg: ActorConfig): ImContext {
  return { cfg, outbox: [], armed: [], timers: [], waiting: [] };
}

export const im = defineRole<ImContext>(imConfig, imContext, imGuards, imActions);
