import { localInvalidationBus, type CommandContext, type TenantTransaction } from '@switchboard/platform';
import { PromptTemplates } from './prompt-templates.service';

const TENANT = '0b8f5c1e-2f4a-4a57-9f0e-6d3c2b1a0f99';
const ctx: CommandContext = { tenantId: TENANT, actorId: null, correlationId: null };
const VARS = { subject: 'Heating', conversation: 'No heat.' };

/** The renderer against a stand-in database (counting reads) and a stand-in invalidation bus shared by "processes". */
function setup() {
  const state = { reads: 0, rows: [] as unknown[] };
  const { bus, feed, published } = localInvalidationBus();
  const tx = { run: async (_c: CommandContext, work: (t: unknown) => Promise<unknown>) => work({ manager: { query: async () => (state.reads++, state.rows) } }) } as unknown as TenantTransaction;
  const templates = new PromptTemplates(tx, bus);
  const other = new PromptTemplates(tx, bus);
  const save = (version: number, content: string) => {
    state.rows = [{ feature: 'summary', version, source: 'tenant', messages: [{ role: 'user', content }], created_by: null, created_at: new Date() }];
  };
  return { state, templates, other, save, feed, published };
}

describe('PromptTemplates', () => {
  it('serves the cached templates until a change anywhere is published, then reloads', async () => {
    const { state, templates, other, save, published } = setup();
    const first = await templates.render(ctx, 'summary', VARS);
    expect(first.template).toEqual({ feature: 'summary', version: 1, source: 'default' });
    await templates.render(ctx, 'summary', VARS);
    await templates.render(ctx, 'answer', { question: 'q', passages: [], locale: '' });
    expect(state.reads).toBe(1);

    // Another process saves and publishes: this one reloads on its next render.
    save(2, 'V2 {{subject}}');
    await other.changed(TENANT);
    expect(published).toEqual([`ai.templates:${TENANT}`]);
    const second = await templates.render(ctx, 'summary', VARS);
    expect(second).toEqual({ messages: [{ role: 'user', content: 'V2 Heating' }], template: { feature: 'summary', version: 2, source: 'tenant' } });
    expect(state.reads).toBe(2);
  });

  it('reads from the database on every render while not subscribed, never serving a stale cache', async () => {
    const { state, templates, save, feed } = setup();
    await templates.render(ctx, 'summary', VARS);
    feed.live = false;
    save(3, 'fresh {{subject}}');
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
