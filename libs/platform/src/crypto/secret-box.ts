import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest (AI provider credentials, TOTP secrets). Several keys may be
 * known at once (key ids); the first encrypts, any decrypts, so keys rotate by prepending a new
 * one and re-saving. The caller binds the row's identity (tenant and provider, user) as
 * associated data: a ciphertext copied to another row does not decrypt.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  /** `setting` names the configuration the keys come from, for the error messages. */
  constructor(
    keys: readonly { id: string; key: Buffer }[],
    private readonly setting = 'AI_ENCRYPTION_KEYS',
  ) {
    if (keys.length === 0) throw new Error('SecretBox needs at least one key');
    for (const { id, key } of keys) if (key.length !== 32) throw new Error(`Encryption key "${id}" (${setting}) must be 32 bytes`);
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    this.primaryId = keys[0]!.id;
  }

  readonly primaryId: string;

  encrypt(plaintext: string, aad: string): { keyId: string; blob: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.primaryId)!, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.primaryId, blob: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  decrypt(keyId: string, blob: Buffer, aad: string): string {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`The encryption key "${keyId}" is no longer configured; re-enter the secret or add the key back to ${this.setting}.`);
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** What a route may show of a secret: its last four characters and a short fingerprint. */
export function secretHint(secret: string): string {
  const fingerprint = createHash('sha256').update(secret).digest('hex').slice(0, 8);
  return `…${secret.slice(-4)} (sha256:${fingerprint})`;
}
