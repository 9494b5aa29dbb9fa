import { randomBytes } from 'node:crypto';
import { SecretBox, secretHint } from './secret-box';

describe('SecretBox', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };

  it('round-trips, and the ciphertext does not contain the secret', () => {
    const box = new SecretBox([k1]);
    const { keyId, blob } = box.encrypt('sk-live-abcdef123456', 't1|openai');
    expect(keyId).toBe('k1');
    expect(blob.toString('latin1')).not.toContain('sk-live');
    expect(box.decrypt(keyId, blob, 't1|openai')).toBe('sk-live-abcdef123456');
  });

  it('rotates: a new primary key encrypts, the old one still decrypts', () => {
    const old = new SecretBox([k1]).encrypt('secret-one', 'aad');
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.decrypt(old.keyId, old.blob, 'aad')).toBe('secret-one');
    expect(rotated.encrypt('x', 'aad').keyId).toBe('k2');
  });

  it('refuses a ciphertext moved to another tenant (associated data) or tampered with', () => {
    const box = new SecretBox([k1]);
    const { keyId, blob } = box.encrypt('secret', 'tenant-a|openai');
    expect(() => box.decrypt(keyId, blob, 'tenant-b|openai')).toThrow();
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.decrypt(keyId, tampered, 'tenant-a|openai')).toThrow();
  });

  it('names a missing key instead of failing obscurely', () => {
    const { keyId, blob } = new SecretBox([k1]).encrypt('s', 'aad');
    expect(() => new SecretBox([k2]).decrypt(keyId, blob, 'aad')).toThrow(/"k1" is no longer configured/);
  });

  it('hints show only the last four characters', () => {
    expect(secretHint('sk-verysecretvalue-WXYZ')).toMatch(/^…WXYZ \(sha256:[0-9a-f]{8}\)$/);
  });
});
