import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes';

describe('recovery codes', () => {
  it('makes ten distinct codes and stores only their hashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const [i, code] of codes.entries()) {
      expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
      expect(hashes[i]).toMatch(/^[0-9a-f]{64}$/);
      expect(hashes[i]).not.toContain(normaliseRecoveryCode(code));
    }
  });

  it('a code typed back in another case, with spaces or without the dash, has the same hash', () => {
    const { codes, hashes } = newRecoveryCodes();
    const code = codes[0]!;
    expect(hashRecoveryCode(code.toUpperCase())).toBe(hashes[0]);
    expect(hashRecoveryCode(` ${code.replace('-', ' ')} `)).toBe(hashes[0]);
    expect(hashRecoveryCode(code.replace('-', ''))).toBe(hashes[0]);
  });

  it('tells a recovery code from a TOTP code and from junk', () => {
    expect(looksLikeRecoveryCode('123456')).toBe(false);
    expect(looksLikeRecoveryCode('abcde-fghij-k')).toBe(false);
    expect(looksLikeRecoveryCode('ilou0-12345')).toBe(false);
  });
});
