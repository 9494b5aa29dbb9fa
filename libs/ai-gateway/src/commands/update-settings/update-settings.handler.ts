import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type FieldError } from '@switchboard/platform';
import { AiSettingsUpdated } from '../../ai-gateway.context';
import { AiFeatureRegistry } from '../../features/ai-feature-registry';
import { TenantAiState } from '../../gateway/tenant-ai-state';
import { AiSettingsRepository } from '../../repositories/ai-settings.repository';
import type { AiSettings, AiSettingsValues } from '../../settings/ai-settings';
import { UpdateAiSettingsCommand } from './update-settings.command';

/**
 * Replaces the tenant's AI settings (fields left out keep their value). Feature routes must name
 * registered features; every provider named in routing or fallback must be configured (or be
 * `local`), and routed models must be allowed. A `version` that is not the current one is a 409:
 * no silent overwrite.
 */
@CommandHandler(UpdateAiSettingsCommand)
export class UpdateAiSettingsHandler implements ICommandHandler<UpdateAiSettingsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly state: TenantAiState,
    private readonly settings: AiSettingsRepository,
    private readonly features: AiFeatureRegistry,
  ) {}

  async execute({ context, input }: UpdateAiSettingsCommand): Promise<AiSettings> {
    this.checkFeatureNames(input.features);
    const updated = await this.tx.run(context, async (tx) => {
      const before = await this.settings.settings(tx);
      if (input.version !== undefined && input.version !== before.version) {
        throw new ProblemException({ status: 409, type: 'version-conflict', title: 'Conflict', detail: `The settings are at version ${before.version}, not ${input.version}; read them again and retry.` });
      }
      const next: AiSettingsValues = {
        defaultProvider: input.defaultProvider ?? before.defaultProvider,
        defaultModel: input.defaultModel !== undefined ? input.defaultModel : before.defaultModel,
        features: input.features ?? before.features,
        fallback: input.fallback ?? before.fallback,
        allowedModels: input.allowedModels ?? before.allowedModels,
        budget: input.budget ?? before.budget,
        redaction: input.redaction ?? before.redaction,
      };
      const known = new Set(['local', ...(await this.settings.providers(tx)).map((p) => p.name)]);
      const errors: FieldError[] = [];
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

      const after = await this.settings.saveSettings(tx, next);
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

  /** Routes are keyed by feature name; a name no context registered is a malformed request (400, as any unknown field). */
  private checkFeatureNames(features: AiSettings['features'] | undefined): void {
    const unknown = Object.keys(features ?? {}).filter((name) => !this.features.find(name));
    if (unknown.length === 0) return;
    const registered = this.features.names.join(', ');
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: `features: ${unknown.map((n) => `"${n.slice(0, 40)}"`).join(', ')} ${unknown.length === 1 ? 'is not an AI feature' : 'are not AI features'}; the registered features are ${registered}.`,
      errors: unknown.map((name) => ({ field: `features.${name.slice(0, 40)}`, message: `is not an AI feature (registered: ${registered})` })),
    });
  }
}
