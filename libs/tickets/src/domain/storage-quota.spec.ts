import { formatBytes, storageRefusal } from './storage-quota.port';

describe('storage quota', () => {
  it('lets a file through up to the limit exactly, and always without a limit', () => {
    expect(storageRefusal({ limit: 1000, plan: 'Free' }, 900, 100)).toBeNull();
    expect(storageRefusal({ limit: null, plan: 'Business' }, Number.MAX_SAFE_INTEGER, 1)).toBeNull();
  });

  it('refuses one byte past the limit with a 402 naming used, limit, file and plan', () => {
    const refusal = storageRefusal({ limit: 1_073_741_824, plan: 'Free' }, 1_073_741_000, 2_048);
    expect(refusal?.problem).toMatchObject({
      status: 402,
      type: 'storage-limit-reached',
      extensions: { limit: 'storage-bytes', plan: 'Free', allowed: 1_073_741_824, used: 1_073_741_000, size: 2_048 },
    });
    expect(refusal?.problem.detail).toBe('The Free plan includes 1 GiB of stored files; 1 GiB are in use and this file of 2 KiB would exceed it. Upgrade the plan or delete attachments.');
  });

  it('writes bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(107_374_182_400)).toBe('100 GiB');
    expect(formatBytes(1_048_575)).toBe('1 MiB');
  });
});
