import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { AiTemplateReset, AiTemplateSaved } from '../../ai-gateway.context';
import type { TemplatedAiFeature } from '../../features/ai-feature';
import { PromptTemplatesRepository } from '../../repositories/prompt-templates.repository';
import { compileTemplate } from '../../templates/compiled-template';
import { PromptTemplates } from '../../templates/prompt-templates.service';
import type { TemplateMessage } from '../../templates/template-variables';
import { shippedDefault, type TemplateVersion } from '../../templates/template-versions';
import { ResetTemplateCommand, SaveTemplateCommand } from './save-template.command';

const isUniqueViolation = (error: unknown) => (error as { driverError?: { code?: string } } | null)?.driverError?.code === '23505';

function conflict(current: number, expected: number): ProblemException {
  return new ProblemException({ status: 409, type: 'version-conflict', title: 'Conflict', detail: `The template is at version ${current}, not ${expected}; read it again and retry.`, extensions: { currentVersion: current } });
}

/**
 * The one write path of template history: checks the caller's version against the newest one,
 * appends the next version, audits and emits in the same transaction; the handlers then publish
 * the change, so every process's renderer reloads.
 */
async function append(tx: TenantTx, repository: PromptTemplatesRepository, feature: TemplatedAiFeature, messages: TemplateMessage[] | null, expected: number | undefined): Promise<TemplateVersion> {
  const current = (await repository.latest(tx, feature)).get(feature.name) ?? shippedDefault(feature);
  if (expected !== undefined && expected !== current.version) throw conflict(current.version, expected);
  // Going back to the default when already there records nothing.
  if (messages === null && current.source === 'default') return current;
  let saved: TemplateVersion;
  try {
    saved = await repository.append(tx, feature, current.version + 1, messages);
  } catch (error) {
    // Two writers read the same version; the second one lost.
    if (isUniqueViolation(error)) throw conflict(current.version + 1, current.version);
    throw error;
  }
  const event = messages ? AiTemplateSaved : AiTemplateReset;
  await tx.audit({
    action: event.type,
    entityType: 'ai_prompt_template',
    entityId: feature.name,
    before: { version: current.version, source: current.source, messages: current.messages } as never,
    after: { version: saved.version, source: saved.source, messages: saved.messages } as never,
  });
  await tx.emit(event.of(feature.name, { feature: feature.name, version: saved.version, source: saved.source }));
  return saved;
}

@CommandHandler(SaveTemplateCommand)
export class SaveTemplateHandler implements ICommandHandler<SaveTemplateCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly templates: PromptTemplates,
    private readonly repository: PromptTemplatesRepository,
  ) {}

  async execute({ context, feature, messages, version }: SaveTemplateCommand): Promise<TemplateVersion> {
    compileTemplate(feature, messages);
    const saved = await this.tx.run(context, (tx) => append(tx, this.repository, feature, messages.map((m) => ({ role: m.role, content: m.content })), version));
    await this.templates.changed(context.tenantId);
    return saved;
  }
}

@CommandHandler(ResetTemplateCommand)
export class ResetTemplateHandler implements ICommandHandler<ResetTemplateCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly templates: PromptTemplates,
    private readonly repository: PromptTemplatesRepository,
  ) {}

  async execute({ context, feature, version }: ResetTemplateCommand): Promise<TemplateVersion> {
    const saved = await this.tx.run(context, (tx) => append(tx, this.repository, feature, null, version));
    await this.templates.changed(context.tenantId);
    return saved;
  }
}
