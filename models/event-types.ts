// The model event types of timers and inputs (`timeout.<timer>`, `input.<kind>`)
// as string literals. A type built per event (`timeout.${timer}`) is a new,
// non-interned string each time: the roles' generated dispatch (models/role.ts)
// compares event types with interned literals, which is one pointer comparison
// for an interned string and a character-by-character one for a built string.
// Every place that makes a timer or input event takes its type from here.
import type { EventType, Input, TimerName } from './types.js';

/** `timeout.<timer>`, interned (a switch: no keyed load, which goes megamorphic when the names vary). */
export function timeoutType(timer: TimerName): EventType {
  switch (timer) {
    case 'connect': return 'timeout.connect';
    case 'retry': return 'timeout.retry';
    case 'login': return 'timeout.login';
    case 'keepalive': return 'timeout.keepalive';
    case 'renew': return 'timeout.renew';
    case 'im': return 'timeout.im';
    case 'query': return 'timeout.query';
    case 'warmup': return 'timeout.warmup';
    case 'cooldown': return 'timeout.cooldown';
    case 'loadWindow': return 'timeout.loadWindow';
    case 'join': return 'timeout.join';
    case 'reply': return 'timeout.reply';
    default: return `timeout.${timer as string}` as EventType;
  }
}

/** `input.<kind>`, interned. */
export function inputType(kind: Input['kind']): EventType {
  switch (kind) {
    case 'Login': return 'input.Login';
    case 'Logout': return 'input.Logout';
    case 'Lookup': return 'input.Lookup';
    case 'Promote': return 'input.Promote';
    case 'SetMode': return 'input.SetMode';
    default: return `input.${kind as string}` as EventType;
  }
}
