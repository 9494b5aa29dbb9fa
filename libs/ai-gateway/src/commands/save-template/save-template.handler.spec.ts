import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { defineAiFeature } from '../../features/ai-feature';
import type { PromptTemplatesRepository } from '../../repositories/prompt-templates.repository';
import type { PromptTemplates } from '../../templates/prompt-templates.service';
import { variable, type TemplateMessage } from '../../templates/template-variables';
import type { TemplateVersion } from '../../templates/template-versions';
import { ResetTemplateCommand, SaveTemplateCommand } from './save-template.command';
import { ResetTemplateHandler, SaveTemplateHandler } from './save-template.handler';

const ctx = testContext();
const notes = defineAiFeature<{ subject: string }>({ name: 'notes', description: 'test', contract: { subject: variable.text }, defaultTemplate: [{ role: 'user', content: 'Default {{subject}}' }] });
const mine: TemplateMessage[] = [{ role: 'user', content: 'Mine: {{subject}}' }];
const tenantVersion = (version: number, messages: TemplateMessage[] = mine): TemplateVersion => ({ feature: 'notes', version, source: 'tenant', messages, createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'someone' });

function setup(latest: TemplateVersion | undefined) {
  const tx = new FakeTenantTransaction();
  const repository = {
    latest: jest.fn(async () => new Map(latest ? [['notes', latest]] : [])),
    append: jest.fn(async (_tx: unknown, _f: unknown, version: number, messages: TemplateMessage[] | null): Promise<TemplateVersion> => ({ feature: 'notes', version, source: messages ? 'tenant' : 'default', messages: messages ?? [...notes.defaultTemplate], createdAt: '2026-12-02T00:00:00.000Z', createdBy: ctx.actorId })),
  };
  const templates = { changed: jest.fn(async () => undefined) };
  const save = new SaveTemplateHandler(tx.asTenantTransaction(), templates as unknown as PromptTemplates, repository as unknown as PromptTemplatesRepository);
  const reset = new ResetTemplateHandler(tx.asTenantTransaction(), templates as unknown as PromptTemplates, repository as unknown as PromptTemplatesRepository);
  return {
    tx,
    repository,
    templates,
    save: (messages: TemplateMessage[], version?: number) => save.execute(new SaveTemplateCommand(ctx, notes, messages, version)),
    reset: (version?: number) => reset.execute(new ResetTemplateCommand(ctx, notes, version)),
  };
}

describe('SaveTemplateHandler', () => {
  it('appends the version after the newest, audits before and after, emits ai.template_saved and tells every renderer', async () => {
    const { tx, repository, templates, save } = setup(undefined);
    const saved = await save([{ role: 'user', content: 'Mine: {{subject}}' }], 1);
    expect(saved).toMatchObject({ feature: 'notes', version: 2, source: 'tenant', messages: mine });
    expect(repository.append).toHaveBeenCalledWith(expect.anything(), notes, 2, mine);
    expect(tx.audits).toEqual([{ action: 'ai.template_saved', entityType: 'ai_prompt_template', entityId: 'notes', before: { version: 1, source: 'default', messages: notes.defaultTemplate }, after: { version: 2, source: 'tenant', messages: mine } }]);
    expect(tx.emitted).toEqual([{ type: 'ai.template_saved', aggregateId: 'notes', payload: { feature: 'notes', version: 2, source: 'tenant' } }]);
    expect(templates.changed).toHaveBeenCalledWith(ctx.tenantId);
  });

  it('refuses a template that does not fit the contract (422) before any transaction', async () => {
    const { tx, repository, templates, save } = setup(undefined);
    await expect(save([{ role: 'user', content: '{{subjet}}' }])).rejects.toMatchObject({ status: 422, problem: { type: 'invalid-template' } });
    expect(repository.latest).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
    expect(templates.changed).not.toHaveBeenCalled();
  });

  it('refuses a stale version (409 naming the current one) and a lost race on the same version number', async () => {
    const stale = setup(tenantVersion(4));
    await expect(stale.save(mine, 3)).rejects.toMatchObject({ status: 409, problem: { type: 'version-conflict', extensions: { currentVersion: 4 } } });
    expect(stale.repository.append).not.toHaveBeenCalled();

    const raced = setup(tenantVersion(4));
    raced.repository.append.mockRejectedValueOnce(Object.assign(new Error('duplicate key'), { driverError: { code: '23505' } }));
    await expect(raced.save(mine)).rejects.toMatchObject({ status: 409, problem: { extensions: { currentVersion: 5 } } });
    expect(raced.tx.events).toEqual([]);
    expect(raced.templates.changed).not.toHaveBeenCalled();
  });
});

describe('ResetTemplateHandler', () => {
  it('goes back to the shipped default as a version of its own, emitting ai.template_reset', async () => {
    const { tx, repository, reset } = setup(tenantVersion(2));
    const saved = await reset(2);
    expect(repository.append).toHaveBeenCalledWith(expect.anything(), notes, 3, null);
    expect(saved).toMatchObject({ version: 3, source: 'default', messages: notes.defaultTemplate });
    expect(tx.emitted).toEqual([{ type: 'ai.template_reset', aggregateId: 'notes', payload: { feature: 'notes', version: 3, source: 'default' } }]);
    expect(tx.audits[0]).toMatchObject({ action: 'ai.template_reset', before: { version: 2, source: 'tenant' }, after: { version: 3, source: 'default' } });
  });

  it('records nothing when the default is already in effect', async () => {
    const { tx, repository, reset } = setup(undefined);
    expect(await reset()).toMatchObject({ version: 1, source: 'default', createdAt: null });
    expect(repository.append).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });
});
