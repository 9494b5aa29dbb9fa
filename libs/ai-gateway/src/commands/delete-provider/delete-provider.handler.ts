import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { DeleteAiProviderCommand } from '../save-provider/save-provider.command';
import { TenantAiState } from '../../gateway/tenant-ai-state';
import { loadSettings } from '../../settings/ai-settings';

/** Removes a provider connection and its secret; refused while routing still names it. */
@CommandHandler(DeleteAiProviderCommand)
export class DeleteAiProviderHandler implements ICommandHandler<DeleteAiProviderCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly state: TenantAiState,
  ) {}

  async execute({ context, name }: DeleteAiProviderCommand): Promise<void> {
    await this.tx.run(context, async (tx) => {
      const settings = await loadSettings(tx.manager, context.tenantId);
      const inUse = settings.defaultProvider === name || settings.fallback.includes(name) || Object.values(settings.features).some((r) => r?.provider === name);
      const rows: { kind: string }[] = await tx.manager.query(`SELECT kind FROM ai_provider_credentials WHERE tenant_id = $1 AND name = $2`, [context.tenantId, name]);
      if (!rows[0]) throw notFound('AI provider', name);
      if (inUse) throw new ProblemException({ status: 409, type: 'ai-provider-in-use', title: 'Conflict', detail: `The provider "${name}" is still used by the AI settings (default, fallback or a feature route); change them first.` });
      await tx.manager.query(`DELETE FROM ai_provider_credentials WHERE tenant_id = $1 AND name = $2`, [context.tenantId, name]);
      await tx.audit({ action: 'ai.provider_deleted', entityType: 'ai_provider', entityId: null, before: { name, kind: rows[0].kind } });
    });
    await this.state.changed(context.tenantId);
  }
}
