import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetStorageUsageHandler } from './get-storage-usage.handler';
import { GetStorageUsageQuery } from './get-storage-usage.query';

describe('GetStorageUsageHandler', () => {
  it('answers the tenant’s stored bytes from its totals row, and 0 before its first file', async () => {
    const tx = new FakeTenantTransaction();
    const handler = new GetStorageUsageHandler(tx.asTenantTransaction());
    await expect(handler.execute(new GetStorageUsageQuery(testContext().tenantId))).resolves.toBe(0);
    tx.batchRows = [[{ bytes: '5000' }]];
    await expect(handler.execute(new GetStorageUsageQuery(testContext().tenantId))).resolves.toBe(5_000);
  });
});
