// How long each timer of the models runs, from the parameters. The models
// only arm and disarm timers by name; the simulator schedules them with these
// durations, and the explorer uses them for its time horizon (timers longer
// than the horizon never fire in an exploration).
import type { TimerName } from '../schemas/generated/trace.js';
import type { ResolvedParams } from './params.js';

/** Duration in ms of `timer` under `p`. */
export function timerDuration(timer: TimerName, p: ResolvedParams): number {
  switch (timer) {
    case 'connect': return p.connectTimeout;
    case 'retry': return p.retryWait;
    case 'login': return p.loginTimeout;
    case 'keepalive': return p.keepaliveInterval;
    case 'renew': return Math.max(0, p.credentialLifetime - p.renewBefore);
    case 'im': return p.imTimeout;
    case 'query': return p.queryTimeout;
    case 'warmup': return p.warmup;
    case 'cooldown': return p.cooldown;
    case 'loadWindow': return p.loadWindow;
    case 'join': return p.connectTimeout;
    case 'reply': return p.imSlowDelay;
  }
}
