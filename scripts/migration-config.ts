import { z } from 'zod';
import { configSchema } from '../libs/platform/src/config/config.schema';
import { ConfigError } from '../libs/platform/src/config/load-config';
import type { DatabaseSettings } from '../libs/platform/src/database/data-source-options';

/** Migrations need only the database settings, validated like the apps' full config. */
export function loadMigrationConfig(env: Record<string, string | undefined>): DatabaseSettings {
  const schema = configSchema.pick({ DATABASE_URL: true, DATABASE_POOL_SIZE: true });
  const result = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v)));
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => `${String(i.path[0])}: ${i.code === 'invalid_type' ? 'is required' : i.message}`));
  return result.data satisfies z.infer<typeof schema>;
}
