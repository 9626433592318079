import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SALT_BYTES = 16;

/**
 * AES-256-GCM: `iv | tag | ciphertext`. `aad` binds the record to where it is stored, so a record
 * moved under another key does not open.
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The plaintext, or undefined when the key, the AAD or a byte is wrong. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer | undefined {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** HKDF-SHA-256 of a secret (the bearer token) with a per-record salt: the record's own key. */
export function derivedKey(secret: string, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, Buffer.from(info, 'utf8'), 32));
}

/**
 * The server key for stored responses (FISCALIACORE_DATA_KEY). Outside production it may be unset:
 * then a fixed development key, the same on every replica, so a local pair still shares results.
 * loadConfig refuses production without a real key.
 */
export function dataKeyOf(settings: { dataKey?: Buffer }): Buffer {
  return (
    settings.dataKey ??
    createHash('sha256').update('fiscaliacore development data key, never production').digest()
  );
}
