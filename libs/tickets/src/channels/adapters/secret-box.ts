import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for channel configuration at rest, the same scheme as the AI gateway's credentials
 * (a local copy so channels do not reach into ai-gateway internals; the lead may repoint this at a
 * shared platform SecretBox). The first key encrypts, any decrypts; the tenant and channel ids are
 * bound as associated data, so a ciphertext copied to another tenant's row does not decrypt.
 */
export class ChannelSecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly primaryId: string;

  constructor(keys: readonly { id: string; key: Buffer }[]) {
    if (keys.length === 0) throw new Error('ChannelSecretBox needs at least one key');
    for (const { id, key } of keys) if (key.length !== 32) throw new Error(`Channel encryption key "${id}" must be 32 bytes`);
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    this.primaryId = keys[0]!.id;
  }

  encrypt(plaintext: string, aad: string): { keyId: string; blob: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.primaryId)!, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.primaryId, blob: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  decrypt(keyId: string, blob: Buffer, aad: string): string {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`The channel encryption key "${keyId}" is no longer configured; add it back to CHANNELS_ENCRYPTION_KEYS.`);
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** What a route may show of a secret: its last four characters and a short fingerprint. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)} (sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 8)})`;
}
