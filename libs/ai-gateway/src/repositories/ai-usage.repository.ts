import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { usageGroups, type UsageGroup } from './ai-usage.sql';

/** Reads of the usage ledger (the rows themselves are written in batches by UsageRecorder). */
@Injectable()
export class AiUsageRepository {
  /** The transaction's tenant's usage in [from, to) by UTC day, feature, provider and model. */
  groups(tx: TenantTx, from: Date, to: Date): Promise<UsageGroup[]> {
    return usageGroups(tx.manager, tx.tenantId, from, to);
  }
}
