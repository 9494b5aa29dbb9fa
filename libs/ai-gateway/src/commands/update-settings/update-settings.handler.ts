import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { TenantAiState } from '../../gateway/tenant-ai-state';
import { loadProviders, loadSettings, type AiSettings } from '../../settings/ai-settings';
import { UpdateAiSettingsCommand } from './update-settings.command';
import { AiSettingsUpdated } from '../../ai-gateway.context';

/**
 * Replaces the tenant's AI settings (fields left out keep their value). Every provider named in
 * routing or fallback must be configured (or be `local`), and routed models must be allowed.
 * A `version` that is not the current one is a 409: no silent overwrite.
 */
@CommandHandler(UpdateAiSettingsCommand)
export class UpdateAiSettingsHandler implements ICommandHandler<UpdateAiSettingsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly state: TenantAiState,
  ) {}

  async execute({ context, input }: UpdateAiSettingsCommand): Promise<AiSettings> {
    const updated = await this.tx.run(context, async (tx) => {
      const before = await loadSettings(tx.manager, context.tenantId);
      if (input.version !== undefined && input.version !== before.version) {
        throw new ProblemException({ status: 409, type: 'version-conflict', title: 'Conflict', detail: `The settings are at version ${before.version}, not ${input.version}; read them again and retry.` });
      }
      const next = {
        defaultProvider: input.defaultProvider ?? before.defaultProvider,
        defaultModel: input.defaultModel !== undefined ? input.defaultModel : before.defaultModel,
        features: input.features ?? before.features,
        fallback: input.fallback ?? before.fallback,
        allowedModels: input.allowedModels ?? before.allowedModels,
        budget: input.budget ?? before.budget,
        redaction: input.redaction ?? before.redaction,
      };
      const known = new Set(['local', ...(await loadProviders(tx.manager, context.tenantId)).map((p) => p.name)]);
      const errors: { field: string; message: string }[] = [];
      const check = (field: string, name: string | undefined) => {
        if (name !== undefined && !known.has(name)) errors.push({ field, message: `provider "${name}" is not configured (known: ${[...known].join(', ')})` });
      };
      check('defaultProvider', next.defaultProvider);
      next.fallback.forEach((n, i) => check(`fallback[${i}]`, n));
      for (const [feature, route] of Object.entries(next.features)) {
        check(`features.${feature}.provider`, route?.provider);
        if (route?.model && next.allowedModels.length > 0 && !next.allowedModels.includes(route.model)) errors.push({ field: `features.${feature}.model`, message: `"${route.model}" is not in allowedModels` });
      }
      if (next.defaultModel && next.allowedModels.length > 0 && !next.allowedModels.includes(next.defaultModel)) errors.push({ field: 'defaultModel', message: `"${next.defaultModel}" is not in allowedModels` });
      if (errors.length > 0) throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail: 'The AI settings refer to providers or models that are not available.', errors });

      await tx.manager.query(
        `INSERT INTO ai_settings (tenant_id, default_provider, default_model, features, fallback, allowed_models, budget, redaction)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb)
         ON CONFLICT (tenant_id) DO UPDATE SET default_provider = $2, default_model = $3, features = $4::jsonb, fallback = $5, allowed_models = $6, budget = $7::jsonb, redaction = $8::jsonb,
           updated_at = now(), version = ai_settings.version + 1`,
        [context.tenantId, next.defaultProvider, next.defaultModel, JSON.stringify(next.features), next.fallback, next.allowedModels, JSON.stringify(next.budget), JSON.stringify(next.redaction)],
      );
      const after = await loadSettings(tx.manager, context.tenantId);
      const { version: _b, updatedAt: _bu, ...beforeSnap } = before;
      const { version: _a, updatedAt: _au, ...afterSnap } = after;
      await tx.audit({ action: 'ai.settings_updated', entityType: 'ai_settings', entityId: null, before: beforeSnap as never, after: afterSnap as never });
      await tx.emit(AiSettingsUpdated.of(context.tenantId, { version: after.version }));
      return after;
    });
    // After the commit, before the answer: the next call on any process uses the new settings.
    await this.state.changed(context.tenantId);
    return updated;
  }
}
