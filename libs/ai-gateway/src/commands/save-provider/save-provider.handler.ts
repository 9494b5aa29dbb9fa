import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { aiGatewayConfig, type AiGatewayConfig } from '../../ai-gateway.context';
import { AiGateway } from '../../gateway/ai-gateway.service';
import { TenantAiState } from '../../gateway/tenant-ai-state';
import { baseUrlProblem } from '../../settings/base-url';
import { loadProviders, providerView, type ProviderView } from '../../settings/ai-settings';
import { secretHint } from '../../settings/secret-box';
import { SaveAiProviderCommand } from './save-provider.command';

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
    @Inject(aiGatewayConfig.token) private readonly config: AiGatewayConfig,
  ) {}

  async execute({ context, name, input }: SaveAiProviderCommand): Promise<{ provider: ProviderView; created: boolean }> {
    if (name === 'local') throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail: 'The name "local" is the built-in offline provider; choose another name.', errors: [{ field: 'name', message: 'reserved' }] });
    if (input.baseUrl) {
      const problem = baseUrlProblem(input.baseUrl, this.config.AI_ALLOW_PRIVATE_BASE_URLS);
      if (problem) throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail: `baseUrl ${problem}.`, errors: [{ field: 'baseUrl', message: problem }] });
    }
    const saved = await this.tx.run(context, async (tx) => {
      const existing = (await loadProviders(tx.manager, context.tenantId)).find((p) => p.name === name);
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
      await tx.manager.query(
        `INSERT INTO ai_provider_credentials (tenant_id, name, kind, base_url, default_model, key_id, secret, secret_hint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, name) DO UPDATE SET kind = $3, base_url = $4, default_model = $5, key_id = $6, secret = $7, secret_hint = $8, updated_at = clock_timestamp()`,
        [context.tenantId, name, input.kind, input.baseUrl ?? null, input.defaultModel ?? null, keyId, secret, hint],
      );
      const saved = (await loadProviders(tx.manager, context.tenantId)).find((p) => p.name === name)!;
      const view = providerView(saved);
      const { updatedAt: _u, ...snapshot } = view;
      await tx.audit({ action: existing ? 'ai.provider_updated' : 'ai.provider_created', entityType: 'ai_provider', entityId: null, before: existing ? (({ updatedAt: _x, ...s }) => s)(providerView(existing)) : undefined, after: snapshot });
      return { provider: view, created: !existing };
    });
    await this.state.changed(context.tenantId);
    return saved;
  }
}
