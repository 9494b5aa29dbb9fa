import { ProblemException, type CommandContext } from '@switchboard/platform';

/** How many bytes of files a tenant may store, and the plan that says so. */
export interface StorageLimit {
  /** null: unlimited. */
  limit: number | null;
  /** The plan's display name, for the refusal. */
  plan: string;
}

/**
 * The tickets context's extension point for stored bytes: a context that sells plans (billing)
 * provides it; without a provider, attachments are limited only by their size per file. Tickets
 * never names that context (like tenancy's SEAT_LIMIT_POLICY).
 */
export interface StorageQuotaPolicy {
  storageLimit(context: CommandContext): Promise<StorageLimit>;
}

export const STORAGE_QUOTA_POLICY = Symbol.for('switchboard.tickets.storage-quota-policy');

/** Bytes as people read them: binary units, at most one decimal ("1.5 GiB"); the problem's extensions carry the exact numbers. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (unit < units.length - 1 && Number(value.toFixed(1)) >= 1024) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** The 402 for a file that would take the tenant past its plan's storage, or null when it fits. */
export function storageRefusal(quota: StorageLimit, usedBytes: number, fileBytes: number): ProblemException | null {
  if (quota.limit === null || usedBytes + fileBytes <= quota.limit) return null;
  return new ProblemException({
    status: 402,
    type: 'storage-limit-reached',
    title: 'Payment Required',
    detail:
      `The ${quota.plan} plan includes ${formatBytes(quota.limit)} of stored files; ${formatBytes(usedBytes)} are in use and this file of ${formatBytes(fileBytes)} ` +
      'would exceed it. Upgrade the plan or delete attachments.',
    extensions: { limit: 'storage-bytes', plan: quota.plan, allowed: quota.limit, used: usedBytes, size: fileBytes },
  });
}
