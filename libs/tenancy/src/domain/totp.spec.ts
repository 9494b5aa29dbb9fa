import { checkTotp, newTotpSecret, totpCode, totpUri, TOTP_PERIOD_SECONDS } from './totp';

describe('TOTP (RFC 6238)', () => {
  const secret = newTotpSecret();
  const now = 1_800_000_015; // 15 s into a step
  const step = Math.floor(now / TOTP_PERIOD_SECONDS);

  it('a provisioning URI names the issuer and account and carries the secret', () => {
    const uri = totpUri(secret, 'Switchboard (acme)', 'ada@example.com');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(decodeURIComponent(uri)).toContain('ada@example.com');
  });

  it('accepts the current code, and the neighbouring steps for clock drift, returning the matched step', async () => {
    expect(await checkTotp(secret, await totpCode(secret, now), null, now)).toEqual({ valid: true, timeStep: step });
    expect(await checkTotp(secret, await totpCode(secret, now - 30), null, now)).toEqual({ valid: true, timeStep: step - 1 });
    expect(await checkTotp(secret, await totpCode(secret, now + 30), null, now)).toEqual({ valid: true, timeStep: step + 1 });
    expect(await checkTotp(secret, await totpCode(secret, now - 90), null, now)).toEqual({ valid: false, replayed: false });
  });

  it('refuses a replayed code within its window, and any older step, once a step was used', async () => {
    const code = await totpCode(secret, now);
    expect(await checkTotp(secret, code, step, now)).toEqual({ valid: false, replayed: true });
    expect(await checkTotp(secret, code, step, now + 20)).toEqual({ valid: false, replayed: true });
    expect(await checkTotp(secret, await totpCode(secret, now - 30), step, now)).toEqual({ valid: false, replayed: true });
    expect(await checkTotp(secret, await totpCode(secret, now + 30), step, now + 30)).toEqual({ valid: true, timeStep: step + 1 });
  });

  it('refuses malformed codes without throwing', async () => {
    for (const code of ['', '12345', '1234567', 'abcdef', '12 34 5x', '０１２３４５']) {
      expect(await checkTotp(secret, code, null, now)).toEqual({ valid: false, replayed: false });
    }
    expect((await checkTotp(secret, ` ${(await totpCode(secret, now)).replace(/(\d{3})/, '$1 ')} `, null, now)).valid).toBe(true);
  });

  it('a code for another secret does not pass', async () => {
    expect((await checkTotp(newTotpSecret(), await totpCode(secret, now), null, now)).valid).toBe(false);
  });
});
