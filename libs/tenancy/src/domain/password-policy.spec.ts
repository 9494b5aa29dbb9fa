import { assertAcceptablePassword, emailWords, passwordWeakness } from './password-policy';

describe('password policy', () => {
  it('accepts long passphrases without composition rules', () => {
    expect(passwordWeakness('correct horse battery staple')).toBeNull();
    expect(passwordWeakness('alllowercaseisfine')).toBeNull();
    expect(passwordWeakness('ünïcödé pässwörd 🙂')).toBeNull();
  });

  it('refuses short and overlong passwords, counting characters not bytes', () => {
    expect(passwordWeakness('short')).toMatch(/at least 12/);
    expect(passwordWeakness('x'.repeat(257))).toMatch(/at most 256/);
    expect(passwordWeakness('🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂')).toMatch(/at least 12/);
  });

  it('refuses the bundled most common passwords and their padded forms', () => {
    expect(passwordWeakness('unbelievable')).toMatch(/most common/);
    expect(passwordWeakness('Password1234')).toMatch(/most common/);
    expect(passwordWeakness('password!!!!')).toMatch(/most common/);
    expect(passwordWeakness('qwertyqwerty')).toMatch(/most common/);
    expect(passwordWeakness('1234567890123')).not.toBeNull();
    expect(passwordWeakness('aaaaaaaaaaaaaaa')).toMatch(/repeated/);
    expect(passwordWeakness('iloveyou2024!')).toMatch(/most common/);
  });

  it('refuses a password built on the email', () => {
    const words = emailWords(' Margaret.Hamilton@Example.com ');
    expect(passwordWeakness('margaret.hamilton2024', words)).toMatch(/email/);
    expect(passwordWeakness('margaret.hamilton keeps the moon lander', words)).toBeNull();
    // A local part that ends in a digit, padded again (found by the e2e's time-based address).
    const numbered = emailWords('weakling.mxcqkub0@weak.test');
    expect(passwordWeakness('weakling.mxcqkub0!!!', numbered)).toMatch(/email/);
    expect(passwordWeakness('weakling.mxcqkub7', numbered)).toMatch(/email/);
  });

  it('throws 400 weak-password with the field named', () => {
    expect(() => assertAcceptablePassword('monkeymonkey', 'newPassword')).toThrow(
      expect.objectContaining({ problem: expect.objectContaining({ status: 400, type: 'weak-password', errors: [{ field: 'newPassword', message: expect.stringMatching(/most common/) }] }) }),
    );
    expect(() => assertAcceptablePassword('correct horse battery staple', 'password')).not.toThrow();
  });
});
