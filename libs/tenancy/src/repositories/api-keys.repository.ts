import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey, type ApiKeyView, type NewApiKey } from './api-keys.sql';

/** A tenant's API keys (SQL in `api-keys.sql.ts`); the credential check reads them through `credentials.sql.ts`. */
@Injectable()
export class ApiKeysRepository {
  create(tx: TenantTx, key: NewApiKey): Promise<ApiKeyView> {
    return insertApiKey(tx.manager, tx.tenantId, key);
  }

  find(tx: TenantTx, id: string): Promise<ApiKeyView | undefined> {
    return findApiKey(tx.manager, tx.tenantId, id);
  }

  /** Locked for the rest of the transaction. */
  findForUpdate(tx: TenantTx, id: string): Promise<ApiKeyView | undefined> {
    return findApiKey(tx.manager, tx.tenantId, id, true);
  }

  revoke(tx: TenantTx, id: string): Promise<void> {
    return revokeApiKey(tx.manager, tx.tenantId, id);
  }

  list(tx: TenantTx): Promise<ApiKeyView[]> {
    return listApiKeys(tx.manager, tx.tenantId);
  }
}
