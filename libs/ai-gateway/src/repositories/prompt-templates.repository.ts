import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { TemplatedAiFeature } from '../features/ai-feature';
import { AiFeatureRegistry } from '../features/ai-feature-registry';
import type { TemplateMessage } from '../templates/template-variables';
import type { TemplateVersion } from '../templates/template-versions';
import { insertVersion, latestVersions, versionsOf, type StoredTemplateVersion } from './prompt-templates.sql';

/** A stored version as tenants see it: one that went back to the default shows the default's messages. */
const asVersion = (stored: StoredTemplateVersion, feature: TemplatedAiFeature): TemplateVersion => ({ ...stored, messages: stored.messages ?? [...feature.defaultTemplate] });

/**
 * Template history, append-only (ADR 0010). Rows of features no longer registered in this process
 * are left where they are and not shown. Every method runs inside the caller's transaction.
 */
@Injectable()
export class PromptTemplatesRepository {
  constructor(private readonly features: AiFeatureRegistry) {}

  /** The newest version of each feature the tenant has changed (or of one); features never changed are absent. */
  async latest(tx: TenantTx, feature?: TemplatedAiFeature): Promise<Map<string, TemplateVersion>> {
    const latest = new Map<string, TemplateVersion>();
    for (const stored of await latestVersions(tx.manager, tx.tenantId, feature?.name ?? null)) {
      const registered = this.features.findTemplated(stored.feature);
      if (registered) latest.set(registered.name, asVersion(stored, registered));
    }
    return latest;
  }

  /** A feature's stored versions, newest first, below `beforeVersion` when paging. */
  async versions(tx: TenantTx, feature: TemplatedAiFeature, limit: number, beforeVersion: number | null): Promise<TemplateVersion[]> {
    return (await versionsOf(tx.manager, tx.tenantId, feature.name, limit, beforeVersion)).map((v) => asVersion(v, feature));
  }

  /** Appends `version` by the transaction's actor; no messages: back to the shipped default. */
  async append(tx: TenantTx, feature: TemplatedAiFeature, version: number, messages: TemplateMessage[] | null): Promise<TemplateVersion> {
    return asVersion(await insertVersion(tx.manager, tx.tenantId, feature.name, version, messages, tx.context.actorId), feature);
  }
}
