// Helpers the role actions use to produce effects as data (messages, timers)
// and to issue and verify credentials. Pure: no clocks, no randomness.
import type { BaseContext, Credential, Message, TimerName } from './types.js';

/** Queue `msg` for `to`; the system layer turns it into a network message. */
export function emit(d: BaseContext, to: string, msg: Message): void {
  // A step starts with a shared empty outbox (most steps send nothing): allocate on first use.
  if (d.outbox.length === 0) d.outbox = [{ to, msg }];
  else d.outbox.push({ to, msg });
}

/** Arm (or re-arm) a timer: it joins the sorted set of armed timers and is reported in `armed`. */
export function arm(d: BaseContext, timer: TimerName): void {
  const ts = d.timers;
  if (!ts.includes(timer)) {
    // Sorted insert into a fresh array (timers is shared with earlier states); as `.sort()` orders, without its cost.
    const next: TimerName[] = [];
    let i = 0;
    for (; i < ts.length && ts[i] < timer; i++) next.push(ts[i]);
    next.push(timer);
    for (; i < ts.length; i++) next.push(ts[i]);
    d.timers = next;
  }
  if (d.armed.length === 0) d.armed = [timer];
  else d.armed.push(timer);
}

/** Disarm a timer (no-op when it is not armed). */
export function cancel(d: BaseContext, timer: TimerName): void {
  const ts = d.timers;
  if (!ts.includes(timer)) return;
  const next: TimerName[] = [];
  for (const t of ts) if (t !== timer) next.push(t);
  d.timers = next;
}

/** Disarm every timer. */
export function cancelAll(d: BaseContext): void {
  if (d.timers.length) d.timers = [];
}

/** Whether a timer is armed. */
export const isArmed = (c: BaseContext, timer: TimerName): boolean => c.timers.includes(timer);

/** A 32-bit FNV-1a hash in hex: a symbolic signature, deterministic and cheap. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The signature auth puts on a credential. */
export function sign(user: string, issuedAt: number, expiresAt: number, key: string): string {
  return fnv1a(`${key}|${user}|${issuedAt}|${expiresAt}`);
}

/** A credential issued by auth at `now`. */
export function issueCredential(user: string, now: number, lifetime: number, key: string): Credential {
  const expiresAt = now + lifetime;
  return { user, issuedAt: now, expiresAt, sig: sign(user, now, expiresAt, key) };
}

/** Offline verification, as a supernode does it: signature, then expiry. */
export function credentialValid(c: Credential | null | undefined, now: number, key: string): boolean {
  return !!c && c.expiresAt > now && c.sig === sign(c.user, c.issuedAt, c.expiresAt, key);
}
