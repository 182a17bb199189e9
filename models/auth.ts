// The auth role (PROTOCOL.md, "Auth"): the central login server. It checks
// user name and password and issues signed, time-limited credentials that
// supernodes verify offline. Overload (more than `authQueue` requests in a
// loadWindow, or forced by the operator) answers LoginBusy; down answers nothing.
import { defineRole, type GuardImpl, type ActionImpl, type RoleConfig } from './role.js';
import { contextEffects, issueCredential, MSG } from './effects.js';
import type { ActorConfig, BaseContext, ModelEvent } from './types.js';

// This role's own copies of the context helpers (models/effects.ts says why).
const { emit, arm, cancel } = contextEffects('auth');

export interface AuthContext extends BaseContext {
  /** LoginRequests in the current loadWindow. */
  load: number;
}
type C = AuthContext;
const mode = (ev: ModelEvent) => (ev.type === 'input.SetMode' ? ev.input.mode : undefined);

export const authConfig: RoleConfig = {
  id: 'auth',
  description: 'The login server: LoginRequest → LoginOk{credential} | LoginDenied | LoginBusy.',
  initial: 'up',
  on: {
    'input.SetMode': [
      { guard: 'modeIsUp', target: '.up' },
      { guard: 'modeIsOverloaded', target: '.overloaded', description: 'fault: auth overload' },
      { guard: 'modeIsDown', target: '.down', description: 'fault: auth outage' },
    ],
  },
  states: {
    up: {
      description: 'answering logins',
      entry: { type: 'arm', params: { timer: 'loadWindow' } },
      exit: { type: 'disarm', params: { timer: 'loadWindow' } },
      on: {
        LoginRequest: [
          { guard: 'queueFull', actions: ['countLoad', 'answerBusy'] },
          { actions: ['countLoad', 'answerLogin'] },
        ],
        'timeout.loadWindow': { actions: ['newLoadWindow', { type: 'arm', params: { timer: 'loadWindow' } }] },
      },
    },
    overloaded: {
      description: 'every LoginRequest gets LoginBusy',
      on: { LoginRequest: { actions: 'answerBusy' } },
    },
    down: { description: 'no answers at all' },
  },
};

export const authGuards: Record<string, GuardImpl<C>> = {
  modeIsUp: (_c, ev) => mode(ev) === 'up',
  modeIsOverloaded: (_c, ev) => mode(ev) === 'overloaded' || mode(ev) === 'slow',
  modeIsDown: (_c, ev) => mode(ev) === 'down',
  queueFull: (c) => c.cfg.params.authQueue > 0 && c.load >= c.cfg.params.authQueue,
};

type Users = ActorConfig['users'];
const userIndex = new WeakMap<Users, Map<string, Users[number]>>();
/** The first entry of `users` for `user`, through a Map built once per user list (a login storm of 100k users must not scan them all). */
function findUser(users: Users, user: string): Users[number] | undefined {
  let index = userIndex.get(users);
  if (!index) {
    index = new Map();
    for (const u of users) if (!index.has(u.user)) index.set(u.user, u);
    userIndex.set(users, index);
  }
  return index.get(user);
}

export const authActions: Record<string, ActionImpl<C>> = {
  arm: (d, _ev, params) => arm(d, params.timer),
  disarm: (d, _ev, params) => cancel(d, params.timer),
  // authQueue 0: no load-based overload (only the operator's SetMode), and no load count.
  countLoad: (d) => { if (d.cfg.params.authQueue > 0) d.load += 1; },
  newLoadWindow: (d) => { d.load = 0; },
  answerBusy: (d, ev) => { if (ev.type === 'LoginRequest') emit(d, ev.from, MSG.LoginBusy); },
  answerLogin: (d, ev) => {
    if (ev.type !== 'LoginRequest') return;
    const known = findUser(d.cfg.users, ev.msg.user);
    if (!known) emit(d, ev.from, { kind: 'LoginDenied', reason: 'unknown-user' });
    else if (known.password !== ev.msg.password) emit(d, ev.from, { kind: 'LoginDenied', reason: 'bad-password' });
    else {
      const { credentialLifetime, authKey } = d.cfg.params;
      emit(d, ev.from, { kind: 'LoginOk', credential: issueCredential(ev.msg.user, ev.now, credentialLifetime, authKey) });
    }
  },
};

export function authContext(cfg: ActorConfig): AuthContext {
  return { cfg, outbox: [], armed: [], timers: [], load: 0 };
}

export const auth = defineRole<AuthContext>(authConfig, authContext, authGuards, authActions);
