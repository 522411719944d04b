import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

import { CredentialStorageError } from './store.js';

/** Length of an encryption key in bytes (AES-256). */
export const KEY_BYTES = 32;

/** Version of the ciphertext layout described at `SecretCipher.encrypt`. */
const FORMAT_VERSION = 1;
const HEADER_BYTES = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;

// HKDF labels keep the AES key and the key check value independent, so publishing the check value reveals
// nothing about the key that encrypts the secrets.
const ENCRYPTION_KEY_INFO = 'kibo-graphql-gateway/credential-secret/aes-256-gcm/v1';
const KEY_CHECK_INFO = 'kibo-graphql-gateway/key-check/v1';

/** Failure to decrypt a stored secret: a wrong key, a ciphertext moved to another row, or damaged data. */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/** An invalid encryption key; the message never contains the key. */
export class EncryptionKeyError extends CredentialStorageError {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

/**
 * Decodes a base64 encryption key and checks that it is 32 bytes long.
 * @param source names where the key came from, for the error message.
 * @throws EncryptionKeyError without echoing the value.
 */
export function parseEncryptionKey(encoded: string, source: string): Buffer {
  const text = encoded.trim();
  // Buffer.from ignores characters outside the alphabet, so check the text first to catch a mangled key.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new EncryptionKeyError(`${source} is not valid base64; it must encode exactly ${KEY_BYTES} bytes.`);
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new EncryptionKeyError(
      `${source} decodes to ${key.length} bytes, but the key must be exactly ${KEY_BYTES} bytes ` +
        '(for example the output of `openssl rand -base64 32`).',
    );
  }
  return key;
}

/** Generates a random encryption key. */
export function generateEncryptionKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * AES-256-GCM encryption of credential secrets under one key. Each ciphertext is bound to its credential id
 * through the additional authenticated data, so a ciphertext copied into another row fails to decrypt.
 */
export class SecretCipher {
  readonly keyId: number;
  readonly #encryptionKey: Buffer;
  readonly #checkValue: Buffer;

  /**
   * @param masterKey 32 random bytes from `GATEWAY_ENCRYPTION_KEY` or the key file.
   * @param keyId number written into every ciphertext (1 to 255), so that a later key rotation can tell which
   *   key encrypted a row.
   */
  constructor(masterKey: Buffer, keyId: number) {
    if (masterKey.length !== KEY_BYTES) throw new EncryptionKeyError(`The encryption key must be ${KEY_BYTES} bytes.`);
    if (!Number.isInteger(keyId) || keyId < 1 || keyId > 255) {
      throw new RangeError(`Key id must be an integer from 1 to 255, got ${keyId}.`);
    }
    this.keyId = keyId;
    this.#encryptionKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), ENCRYPTION_KEY_INFO, KEY_BYTES));
    this.#checkValue = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), KEY_CHECK_INFO, 16));
  }

  /** Returns the key check value: hex text that identifies the key without revealing it. */
  keyCheck(): string {
    return this.#checkValue.toString('hex');
  }

  /** Compares a stored key check value with this key's, in constant time. */
  matchesKeyCheck(stored: string): boolean {
    const storedBytes = Buffer.from(stored, 'hex');
    return storedBytes.length === this.#checkValue.length && timingSafeEqual(storedBytes, this.#checkValue);
  }

  /**
   * Encrypts a secret for the credential `credentialId`. The layout is: format version (1 byte), key id
   * (1 byte), random IV (12 bytes), GCM tag (16 bytes), ciphertext. The first two bytes and the credential id
   * are authenticated as additional data.
   */
  encrypt(plaintext: string, credentialId: string): Buffer {
    const header = Buffer.from([FORMAT_VERSION, this.keyId]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(header, credentialId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
  }

  /**
   * Decrypts a secret written by `encrypt` for the same credential id.
   * @throws SecretDecryptionError when the layout, key id, key or credential id does not match.
   */
  decrypt(blob: Buffer, credentialId: string): string {
    if (blob.length < HEADER_BYTES + IV_BYTES + TAG_BYTES) {
      throw new SecretDecryptionError(`The secret of credential ${credentialId} is truncated.`);
    }
    const version = blob[0];
    const keyId = blob[1];
    if (version !== FORMAT_VERSION) {
      throw new SecretDecryptionError(`The secret of credential ${credentialId} has unknown format version ${version}.`);
    }
    if (keyId !== this.keyId) {
      throw new SecretDecryptionError(
        `The secret of credential ${credentialId} was encrypted with key id ${keyId}, but the loaded key has id ` +
          `${this.keyId}.`,
      );
    }

    const header = blob.subarray(0, HEADER_BYTES);
    const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
    const tag = blob.subarray(HEADER_BYTES + IV_BYTES, HEADER_BYTES + IV_BYTES + TAG_BYTES);
    const ciphertext = blob.subarray(HEADER_BYTES + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(header, credentialId));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // OpenSSL reports only "unable to authenticate data", so the message lists the likely causes.
      throw new SecretDecryptionError(
        `The secret of credential ${credentialId} failed authentication: the key is wrong, or the data was ` +
          'changed or copied from another credential.',
      );
    }
  }
}

function additionalData(header: Buffer, credentialId: string): Buffer {
  return Buffer.concat([header, Buffer.from(`credential:${credentialId}`, 'utf8')]);
}
