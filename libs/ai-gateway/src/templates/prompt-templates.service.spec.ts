import type { AppConfig, CommandContext, TenantTransaction } from '@switchboard/platform';
import type { Redis } from 'ioredis';
import { PromptTemplates } from './prompt-templates.service';

const TENANT = '0b8f5c1e-2f4a-4a57-9f0e-6d3c2b1a0f99';
const ctx: CommandContext = { tenantId: TENANT, actorId: null, correlationId: null };
const VARS = { subject: 'Heating', conversation: 'No heat.' };

/** The renderer against a stand-in database (counting reads) and a stand-in Redis stamp. */
function setup() {
  const state = { reads: 0, stamp: null as string | null, redisDown: false, rows: [] as unknown[] };
  const tx = { run: async (_c: CommandContext, work: (t: unknown) => Promise<unknown>) => work({ manager: { query: async () => (state.reads++, state.rows) } }) } as unknown as TenantTransaction;
  const redis = {
    get: async () => {
      if (state.redisDown) throw new Error('Connection is closed.');
      return state.stamp;
    },
    incr: async () => {
      if (state.redisDown) throw new Error('Connection is closed.');
      state.stamp = String(Number(state.stamp ?? 0) + 1);
      return Number(state.stamp);
    },
  } as unknown as Redis;
  const templates = new PromptTemplates(tx, redis, { QUEUE_PREFIX: 'test' } as AppConfig);
  const save = (version: number, content: string) => {
    state.rows = [{ feature: 'summary', version, source: 'tenant', messages: [{ role: 'user', content }], created_by: null, created_at: new Date() }];
  };
  return { state, templates, save };
}

describe('PromptTemplates', () => {
  it('serves the cached templates while the stamp is unchanged, and reloads once it moves', async () => {
    const { state, templates, save } = setup();
    const first = await templates.render(ctx, 'summary', VARS);
    expect(first.template).toEqual({ feature: 'summary', version: 1, source: 'default' });
    await templates.render(ctx, 'summary', VARS);
    await templates.render(ctx, 'answer', { question: 'q', passages: [], locale: '' });
    expect(state.reads).toBe(1);

    // Another process saves and bumps the stamp: this one reloads on its next render.
    save(2, 'V2 {{subject}}');
    state.stamp = '7';
    const second = await templates.render(ctx, 'summary', VARS);
    expect(second).toEqual({ messages: [{ role: 'user', content: 'V2 Heating' }], template: { feature: 'summary', version: 2, source: 'tenant' } });
    expect(state.reads).toBe(2);

    // A lost stamp (Redis restarted) also counts as a change.
    state.stamp = null;
    await templates.render(ctx, 'summary', VARS);
    expect(state.reads).toBe(3);
  });

  it('forgets at once in the process that made the change, and bumps the stamp for the others', async () => {
    const { state, templates, save } = setup();
    await templates.render(ctx, 'summary', VARS);
    save(2, 'mine {{subject}}');
    await templates.changed(TENANT);
    expect(state.stamp).toBe('1');
    expect((await templates.render(ctx, 'summary', VARS)).messages[0]!.content).toBe('mine Heating');
  });

  it('reads from the database on every render when Redis is unreachable, never serving a stale cache', async () => {
    const { state, templates, save } = setup();
    await templates.render(ctx, 'summary', VARS);
    state.redisDown = true;
    save(3, 'fresh {{subject}}');
    await expect(templates.changed(TENANT)).resolves.toBeUndefined();
    expect((await templates.render(ctx, 'summary', VARS)).template.version).toBe(3);
    await templates.render(ctx, 'summary', VARS);
    expect(state.reads).toBe(3);
  });

  it('falls back to the default when a stored template no longer fits its contract', async () => {
    const { state, templates } = setup();
    state.rows = [{ feature: 'summary', version: 2, source: 'tenant', messages: [{ role: 'user', content: '{{gone}}' }], created_by: null, created_at: new Date() }];
    expect((await templates.render(ctx, 'summary', VARS)).template).toEqual({ feature: 'summary', version: 1, source: 'default' });
  });
});
