import { localInvalidationBus, type CommandContext, type TenantTransaction } from '@switchboard/platform';
import { defineAiFeature } from '../features/ai-feature';
import { AiFeatureRegistry } from '../features/ai-feature-registry';
import type { PromptTemplatesRepository } from '../repositories/prompt-templates.repository';
import { PromptTemplates } from './prompt-templates.service';
import { variable } from './template-variables';
import type { TemplateVersion } from './template-versions';

const TENANT = '0b8f5c1e-2f4a-4a57-9f0e-6d3c2b1a0f99';
const ctx: CommandContext = { tenantId: TENANT, actorId: null, correlationId: null };

const summary = defineAiFeature<{ subject: string; conversation: string }>({
  name: 'summary',
  description: 'test',
  contract: { subject: variable.text, conversation: variable.conversation },
  defaultTemplate: [{ role: 'user', content: 'Default {{subject}}: {{conversation}}' }],
});
const answer = defineAiFeature<{ question: string }>({ name: 'answer', description: 'test', contract: { question: variable.text }, defaultTemplate: [{ role: 'user', content: '{{question}}' }] });
const VARS = { subject: 'Heating', conversation: 'No heat.' };

const version = (v: number, content: string): TemplateVersion => ({ feature: 'summary', version: v, source: 'tenant', messages: [{ role: 'user', content }], createdAt: new Date().toISOString(), createdBy: null });

/** The renderer against a stand-in repository (counting reads) and a stand-in invalidation bus shared by "processes". */
function setup() {
  const state = { reads: 0, latest: new Map<string, TemplateVersion>() };
  const { bus, feed, published } = localInvalidationBus();
  const tx = { run: async (_c: CommandContext, work: (t: unknown) => Promise<unknown>) => work({}) } as unknown as TenantTransaction;
  const repository = { latest: async () => (state.reads++, state.latest) } as unknown as PromptTemplatesRepository;
  const registry = new AiFeatureRegistry([summary, answer]);
  const templates = new PromptTemplates(tx, bus, registry, repository);
  const other = new PromptTemplates(tx, bus, registry, repository);
  const save = (v: number, content: string) => {
    state.latest = new Map([['summary', version(v, content)]]);
  };
  return { state, templates, other, save, feed, published };
}

describe('PromptTemplates', () => {
  it('serves the cached templates until a change anywhere is published, then reloads', async () => {
    const { state, templates, other, save, published } = setup();
    const first = await templates.render(ctx, summary, VARS);
    expect(first).toEqual({ messages: [{ role: 'user', content: 'Default Heating: No heat.' }], template: { feature: 'summary', version: 1, source: 'default' } });
    await templates.render(ctx, summary, VARS);
    await templates.render(ctx, answer, { question: 'q' });
    expect(state.reads).toBe(1);

    // Another process saves and publishes: this one reloads on its next render.
    save(2, 'V2 {{subject}}');
    await other.changed(TENANT);
    expect(published).toEqual([`ai.templates:${TENANT}`]);
    const second = await templates.render(ctx, summary, VARS);
    expect(second).toEqual({ messages: [{ role: 'user', content: 'V2 Heating' }], template: { feature: 'summary', version: 2, source: 'tenant' } });
    expect(state.reads).toBe(2);
  });

  it('reads from the database on every render while not subscribed, never serving a stale cache', async () => {
    const { state, templates, save, feed } = setup();
    await templates.render(ctx, summary, VARS);
    feed.live = false;
    save(3, 'fresh {{subject}}');
    expect((await templates.render(ctx, summary, VARS)).template.version).toBe(3);
    await templates.render(ctx, summary, VARS);
    expect(state.reads).toBe(3);
  });

  it('falls back to the default when a stored template no longer fits its contract', async () => {
    const { state, templates } = setup();
    state.latest = new Map([['summary', version(2, '{{gone}}')]]);
    expect((await templates.render(ctx, summary, VARS)).template).toEqual({ feature: 'summary', version: 1, source: 'default' });
  });

  it('uses the shipped default for a version that went back to it', async () => {
    const { state, templates } = setup();
    state.latest = new Map([['summary', { ...version(4, 'ignored'), source: 'default' }]]);
    expect(await templates.render(ctx, summary, VARS)).toEqual({ messages: [{ role: 'user', content: 'Default Heating: No heat.' }], template: { feature: 'summary', version: 4, source: 'default' } });
  });

  it('refuses a feature that was never registered, before reading anything', async () => {
    const { state, templates } = setup();
    const stray = defineAiFeature<{ x: string }>({ name: 'stray', description: 'test', contract: { x: variable.text }, defaultTemplate: [{ role: 'user', content: '{{x}}' }] });
    await expect(templates.render(ctx, stray, { x: '1' })).rejects.toThrow(/AI feature "stray" is used but not registered/);
    expect(state.reads).toBe(0);
  });
});
