// Loading a system config: a preset by name, or a JSON file validated against
// schemas/config.schema.json plus the checks a schema cannot express (unique
// ids, references to known supernodes, a standby list of known actors).
// Problems come back as data with a code (CFG…), the place and a hint.
import { readFile } from 'node:fs/promises';
import { lazySchema } from '../lazy-schema.js';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' };
import { PRESETS, type SystemConfig } from '../../models/presets.js';

export interface ConfigProblem {
  readonly code: 'CFG001' | 'CFG002' | 'CFG003' | 'CFG004';
  readonly message: string;
  readonly file: string;
  readonly value?: unknown;
  readonly hint: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.code} ${p.message}`).join('\n'));
  }
}

const schemaValidator = lazySchema(configSchema, [traceSchema], true);

/** Problems of a config value that a schema cannot see. */
export function configProblems(config: SystemConfig, file: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const ids = new Set<string>();
  for (const a of config.actors) {
    if (ids.has(a.id)) out.push({ code: 'CFG003', message: `duplicate actor id ${JSON.stringify(a.id)}`, file, value: a.id, hint: 'actor ids must be unique' });
    ids.add(a.id);
  }
  const sns = new Set(config.actors.filter((a) => a.role === 'supernode').map((a) => a.id));
  for (const a of config.actors) {
    const refs = a.role === 'client' ? a.hostCache ?? [] : a.role === 'supernode' ? a.peers ?? [] : [];
    for (const r of refs) if (!sns.has(r)) out.push({ code: 'CFG003', message: `${a.id} refers to ${JSON.stringify(r)}, which is not a supernode of this config`, file, value: r, hint: 'hostCache and peers list supernode ids' });
  }
  for (const s of config.standby ?? []) if (!ids.has(s)) out.push({ code: 'CFG003', message: `standby actor ${JSON.stringify(s)} is not in actors`, file, value: s, hint: 'list the actor in `actors` and its id in `standby`' });
  for (const role of ['client', 'supernode', 'auth'] as const) {
    if (!config.actors.some((a) => a.role === role)) out.push({ code: 'CFG004', message: `no ${role} in actors`, file, hint: 'a system needs at least one client, one supernode and an auth server' });
  }
  return out;
}

/** Reads and checks a config file; throws ConfigError with every problem found. */
export async function loadConfigFile(path: string): Promise<SystemConfig> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (e) {
    throw new ConfigError([{ code: 'CFG001', message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file: path, hint: 'check the path' }]);
  }
  let value: unknown;
  const body = text.replace(/^\uFEFF/, '');
  try { value = JSON.parse(body); } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    const pos = at ? Number(at[1]) : -1;
    const where = pos >= 0 ? `:${body.slice(0, pos).split('\n').length}:${pos - body.lastIndexOf('\n', pos - 1)}` : '';
    const why = (e as Error).message.replace(/[^\x20-\x7e]/g, '?').replace(/, ".*$/s, '').slice(0, 120);
    throw new ConfigError([{ code: 'CFG001', message: `not valid JSON: ${why}`, file: path + where, hint: 'a config is one JSON object; see schemas/config.schema.json' }]);
  }
  const validate = schemaValidator();
  if (!validate(value)) {
    // Every problem, most specific first; `oneOf` branch noise (the actor union) is left out.
    const errors = validate.errors!.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const e of errors) {
      const extra = e.keyword === 'additionalProperties' ? ` (${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)})`
        : e.keyword === 'enum' || e.keyword === 'const' ? ` (allowed: ${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)})` : '';
      const tag = e.keyword === 'discriminator' ? (e.params as { tag?: string; tagValue?: unknown }) : undefined;
      const message = tag ? `${e.instancePath || '/'} ${tag.tag} ${JSON.stringify(tag.tagValue)} is not one of client, supernode, auth, im` : `${e.instancePath || '/'} ${e.message}${extra}`;
      if (seen.has(message)) continue;
      seen.add(message);
      problems.push({ code: 'CFG002', message, file: path, hint: 'see schemas/config.schema.json (actors as in a trace header, params, budget)' });
      if (problems.length >= 10) break;
    }
    throw new ConfigError(problems);
  }
  const config = value as SystemConfig;
  const problems = configProblems(config, path);
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** A preset by name, or undefined. */
export function preset(name: string): SystemConfig | undefined {
  return Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
}
