import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { DeleteAiProviderCommand } from '../save-provider/save-provider.command';
import { TenantAiState } from '../../gateway/tenant-ai-state';
import { AiSettingsRepository } from '../../repositories/ai-settings.repository';

/** Removes a provider connection and its secret; refused while routing still names it. */
@CommandHandler(DeleteAiProviderCommand)
export class DeleteAiProviderHandler implements ICommandHandler<DeleteAiProviderCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly state: TenantAiState,
    private readonly settings: AiSettingsRepository,
  ) {}

  async execute({ context, name }: DeleteAiProviderCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const settings = await this.settings.settings(tx);
      const inUse = settings.defaultProvider === name || settings.fallback.includes(name) || Object.values(settings.features).some((r) => r?.provider === name);
      const provider = await this.settings.provider(tx, name);
      if (!provider) throw notFound('AI provider', name);
      if (inUse) throw new ProblemException({ status: 409, type: 'ai-provider-in-use', title: 'Conflict', detail: `The provider "${name}" is still used by the AI settings (default, fallback or a feature route); change them first.` });
      await this.settings.deleteProvider(tx, name);
      await tx.audit({ action: 'ai.provider_deleted', entityType: 'ai_provider', entityId: null, before: { name, kind: provider.kind } });
    });
    await this.state.changed(context.tenantId);
  }
}
