// Helpers the role actions use to produce effects as data (messages, timers)
// and to issue and verify credentials. Pure: no clocks, no randomness (the
// timer sets are interned and the constant messages shared, as immutable data).
import type { BaseContext, Credential, Message, TimerName } from './types.js';

/**
 * The messages whose content never varies, one frozen object each: messages are
 * data that nothing writes, so every Keepalive can be the same object (a step
 * that sends one then allocates only its outbox entry). Frozen: a write throws.
 */
export const MSG = Object.freeze({
  Connect: Object.freeze({ kind: 'Connect' }),
  RegisterAck: Object.freeze({ kind: 'RegisterAck' }),
  Keepalive: Object.freeze({ kind: 'Keepalive' }),
  KeepaliveAck: Object.freeze({ kind: 'KeepaliveAck' }),
  PeerHello: Object.freeze({ kind: 'PeerHello' }),
  PeerAck: Object.freeze({ kind: 'PeerAck' }),
  Unregister: Object.freeze({ kind: 'Unregister' }),
  Closing: Object.freeze({ kind: 'Closing' }),
  OfflineImFetch: Object.freeze({ kind: 'OfflineImFetch' }),
  LoginBusy: Object.freeze({ kind: 'LoginBusy' }),
  OfflineImBatch: Object.freeze({ kind: 'OfflineImBatch', count: 0 }),
} as const) satisfies Readonly<Record<string, Message>>;

/**
 * Timer sets. `timers` is a sorted array of distinct names, shared between
 * states (never written in place), so every set is one of at most 2^12: the
 * arrays `arm` and `cancel` produce are interned by bit mask (one array per
 * set, made on first use) instead of copied on every step, and each interned
 * array carries its mask in a non-enumerable property `mask` (invisible to
 * Object.keys, JSON, the canonical encoding and deepEqual), so that a step
 * reads a set's mask instead of recomputing it from the names. A timer that
 * fires and is armed again — the commonest step — then allocates nothing and
 * looks nothing up. A `timers` array made elsewhere (a literal `[]`, a test's
 * context) has its mask computed from its names; one that is not strictly
 * sorted (no model makes one) takes the copying path, which gives it exactly
 * the old result.
 */
export const TIMER_NAMES = ['connect', 'retry', 'login', 'keepalive', 'renew', 'im', 'query', 'warmup', 'cooldown', 'loadWindow', 'join', 'reply'] as const satisfies readonly TimerName[];
/**
 * Bit of each timer name, or -1. A switch, not a lookup table: `arm` and `cancel` are called
 * with every timer name, so a keyed load `BIT[timer]` in them goes megamorphic in V8 (a stub-cache
 * probe on every step); a switch compares interned strings and folds away where the name is a constant.
 */
function bitOf(timer: string): number {
  switch (timer) {
    case 'connect': return 1 << 0;
    case 'retry': return 1 << 1;
    case 'login': return 1 << 2;
    case 'keepalive': return 1 << 3;
    case 'renew': return 1 << 4;
    case 'im': return 1 << 5;
    case 'query': return 1 << 6;
    case 'warmup': return 1 << 7;
    case 'cooldown': return 1 << 8;
    case 'loadWindow': return 1 << 9;
    case 'join': return 1 << 10;
    case 'reply': return 1 << 11;
    default: return -1;
  }
}
// The switch must give each name its place in TIMER_NAMES (the interned sets are built from that list).
TIMER_NAMES.forEach((t, i) => { if (bitOf(t) !== 1 << i) throw new Error(`models/effects: bitOf(${t}) is not 1 << ${i}`); });
/**
 * A timer's place in TIMER_NAMES, or -1 for a name that is not a timer's: its bit's position
 * (the simulator indexes per-timer arrays with it; a switch, for the reason bitOf is one).
 */
export function timerIndex(timer: string): number {
  const b = bitOf(timer);
  return b < 0 ? -1 : 31 - Math.clz32(b);
}
/** An interned timer set: its mask rides along, defined once per set (a property load on the hot path, not a lookup). */
type Interned = TimerName[] & { readonly mask: number };
const maskIn = (ts: readonly TimerName[]): number | undefined => (ts as Partial<Interned>).mask;
const timerSets: (TimerName[] | undefined)[] = new Array<TimerName[] | undefined>(1 << TIMER_NAMES.length).fill(undefined);
/** The interned sorted array of the timers in `mask`. */
function timerSet(mask: number): TimerName[] {
  return timerSets[mask] ?? makeTimerSet(mask);
}
function makeTimerSet(mask: number): TimerName[] {
  const s: TimerName[] = [];
  for (let i = 0; i < TIMER_NAMES.length; i++) if (mask & (1 << i)) s.push(TIMER_NAMES[i]);
  s.sort();
  Object.defineProperty(s, 'mask', { value: mask });
  timerSets[mask] = s;
  return s;
}
/** The mask of a sorted array of distinct known timer names, or -1 (unsorted, a repeat, an unknown name). */
function maskOf(ts: readonly TimerName[]): number {
  const known = maskIn(ts);
  if (known !== undefined) return known;
  let m = 0;
  for (let i = 0; i < ts.length; i++) {
    const b = bitOf(ts[i]);
    if (b < 0 || (i > 0 && !(ts[i - 1] < ts[i]))) return -1;
    m |= b;
  }
  return m;
}
/** `armed` lists of one timer, shared (copied before a second timer is added in the same step), by the timer's bit (31 - clz32). */
const ARMED_ONE: readonly TimerName[][] = TIMER_NAMES.map((t) => [t]);
const armedOne = (b: number): TimerName[] => ARMED_ONE[31 - Math.clz32(b)];

function armSlow(d: BaseContext, timer: TimerName, b: number): void {
  const ts = d.timers;
  const m = b < 0 ? -1 : maskOf(ts);
  if (m >= 0) {
    if (!(m & b)) d.timers = timerSet(m | b);
  } else if (!ts.includes(timer)) {
    // Sorted insert into a fresh array (timers is shared with earlier states); as `.sort()` orders, without its cost.
    const next: TimerName[] = [];
    let i = 0;
    for (; i < ts.length && ts[i] < timer; i++) next.push(ts[i]);
    next.push(timer);
    for (; i < ts.length; i++) next.push(ts[i]);
    d.timers = next;
  }
  const armed = d.armed;
  if (armed.length === 0) d.armed = b < 0 ? [timer] : armedOne(b);
  else if (armed.length === 1 && armed === armedOne(bitOf(armed[0]))) d.armed = [armed[0], timer];
  else armed.push(timer);
}

function cancelSlow(d: BaseContext, timer: TimerName, b: number): void {
  const ts = d.timers;
  const m = b < 0 ? -1 : maskOf(ts);
  if (m >= 0) {
    if (m & b) d.timers = timerSet(m & ~b);
    return;
  }
  if (!ts.includes(timer)) return;
  const next: TimerName[] = [];
  for (const t of ts) if (t !== timer) next.push(t);
  d.timers = next;
}

/**
 * The helpers that read and write a context's `outbox`, `timers` and `armed`. Each role gets
 * copies of its own (`contextEffects`), compiled from the source below, as models/role.ts
 * compiles its interpreter: closures made from one function literal share their type
 * feedback in V8, so with one copy for all roles every `d.outbox` and `d.timers` in them sees
 * every role's contexts, and the loads and stores go megamorphic (a stub-cache probe each;
 * `StoreIC` and `LoadIC_Megamorphic` were ~280 of a supernode Keepalive's ~1,330 instructions
 * in callgrind). A copy per role sees one role's contexts. `arm` and `cancel` keep a small
 * common case that V8 can inline into the generated steps, where the timer's name is a
 * constant; the rest is `armSlow` and `cancelSlow`, shared (they run rarely).
 */
export interface ContextEffects {
  /** Queue `msg` for `to`; the system layer turns it into a network message. */
  emit(d: BaseContext, to: string, msg: Message): void;
  /** Arm (or re-arm) a timer: it joins the sorted set of armed timers and is reported in `armed`. */
  arm(d: BaseContext, timer: TimerName): void;
  /** Disarm a timer (no-op when it is not armed). */
  cancel(d: BaseContext, timer: TimerName): void;
  /** Disarm every timer. */
  cancelAll(d: BaseContext): void;
  /** Whether a timer is armed (false for a name that is not a timer's). */
  isArmed(c: BaseContext, timer: TimerName): boolean;
  /** The built-in action `{ type: 'fired', params: { timer } }` (models/role.ts): disarm the timer that fired. */
  fired(d: BaseContext, ev: unknown, params: { timer: TimerName }): void;
}
const CONTEXT_EFFECTS = `
  function emit(d, to, msg) {
    // A step starts with a shared empty outbox (most steps send nothing): allocate on first use.
    if (d.outbox.length === 0) d.outbox = [{ to, msg }];
    else d.outbox.push({ to, msg });
  }
  function arm(d, timer) {
    const b = bitOf(timer);
    const m = maskIn(d.timers);
    if (b < 0 || m === undefined || d.armed.length !== 0) { armSlow(d, timer, b); return; }
    if (!(m & b)) d.timers = timerSet(m | b);
    d.armed = armedOne(b);
  }
  function cancel(d, timer) {
    const b = bitOf(timer);
    const m = maskIn(d.timers);
    if (b < 0 || m === undefined) { cancelSlow(d, timer, b); return; }
    if (m & b) d.timers = timerSet(m & ~b);
  }
  function cancelAll(d) {
    if (d.timers.length) d.timers = timerSet(0);
  }
  function isArmed(c, timer) {
    const m = maskIn(c.timers);
    if (m === undefined) return c.timers.includes(timer);
    const b = bitOf(timer);
    return b > 0 && (m & b) !== 0; // a name not in the list (bit -1) is in no interned set
  }
  function fired(d, _ev, params) { cancel(d, params.timer); }
  return { emit, arm, cancel, cancelAll, isArmed, fired };`;
/** A fresh copy of the context helpers, for one role (`who` names it in the source, for profiles). */
export function contextEffects(who: string): ContextEffects {
  // eslint-disable-next-line no-new-func
  return new Function('bitOf', 'maskIn', 'timerSet', 'armedOne', 'armSlow', 'cancelSlow', `// effects of ${who.replace(/[^\w-]/g, '')}${CONTEXT_EFFECTS}`)(
    bitOf, maskIn, timerSet, armedOne, armSlow, cancelSlow,
  ) as ContextEffects;
}
/** A copy for callers outside the roles (tests, tools). */
export const { emit, arm, cancel, cancelAll, isArmed } = contextEffects('shared');

/**
 * The signature auth puts on a credential: a 32-bit FNV-1a hash, in 8 hex digits, of
 * `${key}|${user}|${issuedAt}|${expiresAt}` (symbolic: deterministic and cheap). Hashed
 * part by part rather than over the joined string, and the hex digits made without
 * `toString(16)`: joining made a cons string that V8 flattened before reading its
 * characters, and `toString(16)` of a number above 2^31 takes V8's double-to-radix path
 * (fmod per digit); together half of a supernode's Register step (callgrind).
 * test/models-role.test.ts checks it against the joined-string definition.
 */
export function sign(user: string, issuedAt: number, expiresAt: number, key: string): string {
  let h = fnvText(0x811c9dc5, key);
  h = fnvText(fnvChar(h, 124), user); // '|'
  h = fnvNumber(fnvChar(h, 124), issuedAt);
  h = fnvNumber(fnvChar(h, 124), expiresAt);
  h >>>= 0;
  return String.fromCharCode(
    HEX[h >>> 28], HEX[(h >>> 24) & 15], HEX[(h >>> 20) & 15], HEX[(h >>> 16) & 15],
    HEX[(h >>> 12) & 15], HEX[(h >>> 8) & 15], HEX[(h >>> 4) & 15], HEX[h & 15],
  );
}
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const fnvChar = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);
function fnvText(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = fnvChar(h, s.charCodeAt(i));
  return h;
}
/** The hash continued over `String(n)`'s characters; a safe non-negative integer's digits without making the string. */
function fnvNumber(h: number, n: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) return fnvText(h, String(n));
  let k = 0;
  if (n <= 0x7fffffff) {
    // In int32 (every time in ms below ~24 days): a division by 10 that compiles to a multiply and shift, where
    // the double's `%` and `/` were a division each (a signature: 103 → ~75 ns).
    let m = n | 0;
    do { const q = (m / 10) | 0; DIGITS[k++] = m - q * 10; m = q; } while (m > 0);
  } else {
    do { const d = n % 10; DIGITS[k++] = d; n = (n - d) / 10; } while (n > 0); // exact: n stays a safe integer
  }
  while (k > 0) h = fnvChar(h, 48 + DIGITS[--k]);
  return h;
}
const DIGITS = new Uint8Array(16);

/** A credential issued by auth at `now`. */
export function issueCredential(user: string, now: number, lifetime: number, key: string): Credential {
  const expiresAt = now + lifetime;
  return { user, issuedAt: now, expiresAt, sig: sign(user, now, expiresAt, key) };
}

/** Offline verification, as a supernode does it: signature, then expiry. */
export function credentialValid(c: Credential | null | undefined, now: number, key: string): boolean {
  return !!c && c.expiresAt > now && c.sig === sign(c.user, c.issuedAt, c.expiresAt, key);
}
