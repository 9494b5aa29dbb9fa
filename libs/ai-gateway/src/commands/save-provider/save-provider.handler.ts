import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, secretHint } from '@switchboard/platform';
import { aiGatewayConfig, type AiGatewayConfig } from '../../ai-gateway.context';
import { AiGateway } from '../../gateway/ai-gateway.service';
import { TenantAiState } from '../../gateway/tenant-ai-state';
import { AiSettingsRepository } from '../../repositories/ai-settings.repository';
import { baseUrlProblem } from '../../settings/base-url';
import { providerView, type ProviderView } from '../../settings/ai-settings';
import { SaveAiProviderCommand } from './save-provider.command';

const snapshot = ({ updatedAt: _u, ...view }: ProviderView) => view;

/**
 * Creates or replaces a named provider connection. The API key is encrypted (AES-256-GCM, bound
 * to tenant and name) before it reaches SQL, and only a hint ever comes back. Leaving `apiKey`
 * out keeps the stored one; `null` removes it (keyless local servers).
 */
@CommandHandler(SaveAiProviderCommand)
export class SaveAiProviderHandler implements ICommandHandler<SaveAiProviderCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly gateway: AiGateway,
    private readonly state: TenantAiState,
    private readonly settings: AiSettingsRepository,
    @Inject(aiGatewayConfig.token) private readonly config: AiGatewayConfig,
  ) {}

  async execute({ context, name, input }: SaveAiProviderCommand): Promise<{ provider: ProviderView; created: boolean }> {
    if (name === 'local') throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail: 'The name "local" is the built-in offline provider; choose another name.', errors: [{ field: 'name', message: 'reserved' }] });
    if (input.baseUrl) {
      const problem = baseUrlProblem(input.baseUrl, this.config.AI_ALLOW_PRIVATE_BASE_URLS);
      if (problem) throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail: `baseUrl ${problem}.`, errors: [{ field: 'baseUrl', message: problem }] });
    }
    const saved = await this.tx.run(context, async (tx) => {
      const existing = await this.settings.provider(tx, name);
      let keyId = existing?.keyId ?? null;
      let secret = existing?.secret ?? null;
      let hint = existing?.secretHint ?? null;
      if (input.apiKey !== undefined) {
        if (input.apiKey === null) [keyId, secret, hint] = [null, null, null];
        else {
          const sealed = this.gateway.secrets.encrypt(input.apiKey, `${context.tenantId}|${name}`);
          [keyId, secret, hint] = [sealed.keyId, sealed.blob, secretHint(input.apiKey)];
        }
      }
      const view = providerView(await this.settings.saveProvider(tx, { name, kind: input.kind, baseUrl: input.baseUrl ?? null, defaultModel: input.defaultModel ?? null, keyId, secret, secretHint: hint }));
      await tx.audit({ action: existing ? 'ai.provider_updated' : 'ai.provider_created', entityType: 'ai_provider', entityId: null, before: existing ? snapshot(providerView(existing)) : undefined, after: snapshot(view) });
      return { provider: view, created: !existing };
    });
    await this.state.changed(context.tenantId);
    return saved;
  }
}
