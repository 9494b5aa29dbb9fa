import type { AuditEntry, TenantTransaction } from '@switchboard/platform';
import type { DigestsRepository } from '../../repositories/digests.repository';
import { SetDigestSettingsCommand } from './set-digest-settings.command';
import { SetDigestSettingsHandler } from './set-digest-settings.handler';

const context = { tenantId: '0b6f4a52-4f6e-4d37-9a55-6a1c2f1f2a01', actorId: '5d0c7a0e-2b7a-4a38-8f3e-1d1c9b6f0e02', correlationId: null };

describe('SetDigestSettingsHandler', () => {
  function setup(initial: boolean) {
    let enabled = initial;
    const audits: AuditEntry[] = [];
    const digests = { settings: async () => ({ weeklyEnabled: enabled, lastWeekSent: '2026-11-23' }), setEnabled: async (_tx: unknown, v: boolean) => void (enabled = v) } as unknown as DigestsRepository;
    const tx = { run: async (_ctx: unknown, work: (tx: unknown) => Promise<unknown>) => work({ audit: async (a: AuditEntry) => void audits.push(a) }) } as unknown as TenantTransaction;
    return { handler: new SetDigestSettingsHandler(tx, digests), audits, enabled: () => enabled };
  }

  it('turns the digest off with an audit entry of before and after', async () => {
    const { handler, audits, enabled } = setup(true);
    expect(await handler.execute(new SetDigestSettingsCommand(context, false))).toEqual({ weeklyEnabled: false, lastWeekSent: '2026-11-23' });
    expect(enabled()).toBe(false);
    expect(audits).toEqual([{ action: 'reporting.digest_settings_changed', entityType: 'tenant', entityId: context.tenantId, before: { weeklyEnabled: true }, after: { weeklyEnabled: false } }]);
  });

  it('writes no audit entry when nothing changes', async () => {
    const { handler, audits } = setup(true);
    await handler.execute(new SetDigestSettingsCommand(context, true));
    expect(audits).toEqual([]);
  });

  it('refuses a command without a boolean', () => {
    expect(() => new SetDigestSettingsCommand(context, 'no' as unknown as boolean)).toThrow(TypeError);
  });
});
