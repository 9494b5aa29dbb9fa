import { z } from 'zod';
import type { ContextDefinition } from '../registry/context';
import { PLATFORM_QUEUES, platformContext } from '../platform.context';
import { configSchema, crossFieldProblems, type AppConfig } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Platform's variables and every context's slice, as one schema; a variable claimed twice is a programming error. */
function assembledSchema(contexts: readonly ContextDefinition[]) {
  const shape: Record<string, z.ZodType> = { ...configSchema.shape };
  for (const context of contexts) {
    for (const [name, type] of Object.entries(context.config?.shape ?? {})) {
      if (name in shape) throw new Error(`Configuration variable ${name} of ${context.name} is already declared`);
      shape[name] = type as z.ZodType;
    }
  }
  return z.object(shape);
}

/**
 * Validates the environment once, for the platform and the contexts the app is assembled from;
 * every problem names its variable. The result carries every slice's values: a context reads its
 * own through its slice's token.
 */
export function loadConfig(env: Record<string, string | undefined>, contexts: readonly ContextDefinition[] = []): AppConfig {
  // An empty variable means "unset", as shells and compose files tend to produce them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = assembledSchema(contexts).safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const message = issue.code === 'invalid_type' && cleaned[name] === undefined ? 'is required' : issue.message;
        return `${name}: ${message}`;
      }),
    );
  }
  const config = result.data as AppConfig & Record<string, unknown>;
  const problems = [...crossFieldProblems(config), ...contexts.flatMap((c) => c.config?.check?.(config) ?? [])];
  const queues = [...PLATFORM_QUEUES.map((q) => q.name), ...contexts.flatMap((c) => (c.queues ?? []).map((q) => q.name))];
  for (const name of config.WORKER_QUEUES) {
    if (name !== 'all' && !queues.includes(name)) problems.push(`WORKER_QUEUES: unknown queue "${name}"; known: all, ${queues.join(', ')}`);
  }
  const schedules = [platformContext, ...contexts].flatMap((c) => (c.schedules ?? []).map((s) => s.id));
  for (const id of Object.keys(config.SCHEDULE_OVERRIDES)) {
    if (!schedules.includes(id)) problems.push(`SCHEDULE_OVERRIDES: unknown schedule "${id}"; known: ${schedules.join(', ')}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const selected = config.WORKER_QUEUES;
  return { ...config, WORKER_QUEUES: selected.length === 0 || selected.includes('all') ? queues : selected };
}

/** Entry points call this: prints the problems and exits instead of booting half-configured. */
export function loadConfigOrExit(env: Record<string, string | undefined>, contexts: readonly ContextDefinition[] = []): AppConfig {
  try {
    return loadConfig(env, contexts);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
