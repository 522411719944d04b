import { randomBytes } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  EncryptionKeyError,
  parseEncryptionKey,
  SecretCipher,
  SecretDecryptionError,
} from '../../../src/credentials/encryption.js';
import { createKeyFile, keyFilePath, readKeyFile } from '../../../src/credentials/key-file.js';
import { captureLogs, makeTempDir, SAMPLE_SECRET, silentLogger } from './helpers.js';

const ID = '6f1f7f3e-8f7a-4c55-9a57-3c1a0a0d7b11';
const OTHER_ID = '0b8e9c54-2f0e-4c9c-8d8e-1f1e2d3c4b5a';

describe('SecretCipher', () => {
  const cipher = new SecretCipher(randomBytes(32), 1);

  it('round-trips a secret', () => {
    expect(cipher.decrypt(cipher.encrypt(SAMPLE_SECRET, ID), ID)).toBe(SAMPLE_SECRET);
  });

  it('round-trips non-ASCII secret', () => {
    const secret = 'Grüße-秘密-🔑-secret';
    expect(cipher.decrypt(cipher.encrypt(secret, ID), ID)).toBe(secret);
  });

  it('writes version, key id and random IV', () => {
    const first = cipher.encrypt(SAMPLE_SECRET, ID);
    const second = cipher.encrypt(SAMPLE_SECRET, ID);

    expect(first[0]).toBe(1);
    expect(first[1]).toBe(1);
    expect(first.length).toBe(2 + 12 + 16 + Buffer.byteLength(SAMPLE_SECRET));
    expect(first.subarray(2, 14).equals(second.subarray(2, 14))).toBe(false);
    expect(first.equals(second)).toBe(false);
  });

  it('hides the plaintext', () => {
    const blob = cipher.encrypt(SAMPLE_SECRET, ID);

    expect(blob.includes(Buffer.from(SAMPLE_SECRET))).toBe(false);
    expect(blob.toString('base64')).not.toContain(Buffer.from(SAMPLE_SECRET).toString('base64'));
  });

  it('rejects ciphertext of another credential', () => {
    const blob = cipher.encrypt(SAMPLE_SECRET, ID);

    expect(() => cipher.decrypt(blob, OTHER_ID)).toThrow(SecretDecryptionError);
  });

  it('rejects changed bytes', () => {
    const blob = cipher.encrypt(SAMPLE_SECRET, ID);
    for (const index of [2, 14, 30, blob.length - 1]) {
      const tampered = Buffer.from(blob);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => cipher.decrypt(tampered, ID), `byte ${index}`).toThrow(SecretDecryptionError);
    }
  });

  it('rejects another key', () => {
    const other = new SecretCipher(randomBytes(32), 1);

    expect(() => other.decrypt(cipher.encrypt(SAMPLE_SECRET, ID), ID)).toThrow(/failed authentication/);
  });

  it('rejects another key id', () => {
    const blob = cipher.encrypt(SAMPLE_SECRET, ID);
    const relabelled = Buffer.from(blob);
    relabelled[1] = 2;

    expect(() => cipher.decrypt(relabelled, ID)).toThrow(/key id 2, but the loaded key has id 1/);
  });

  it('rejects truncated and unknown formats', () => {
    const blob = cipher.encrypt(SAMPLE_SECRET, ID);
    const unknownFormat = Buffer.from(blob);
    unknownFormat[0] = 9;

    expect(() => cipher.decrypt(blob.subarray(0, 20), ID)).toThrow(/truncated/);
    expect(() => cipher.decrypt(unknownFormat, ID)).toThrow(/unknown format version 9/);
  });

  it('never puts the secret in errors', () => {
    const other = new SecretCipher(randomBytes(32), 1);
    try {
      other.decrypt(cipher.encrypt(SAMPLE_SECRET, ID), ID);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(SAMPLE_SECRET);
    }
  });

  it('matches own key check only', () => {
    const key = randomBytes(32);
    const check = new SecretCipher(key, 1).keyCheck();

    expect(new SecretCipher(Buffer.from(key), 1).matchesKeyCheck(check)).toBe(true);
    expect(new SecretCipher(randomBytes(32), 1).matchesKeyCheck(check)).toBe(false);
    expect(new SecretCipher(key, 1).matchesKeyCheck('not hex')).toBe(false);
  });

  it('derives key check that is not the key', () => {
    const key = randomBytes(32);
    const check = new SecretCipher(key, 1).keyCheck();

    expect(check).toMatch(/^[0-9a-f]{32}$/);
    expect(key.toString('hex')).not.toContain(check);
  });
});

describe('parseEncryptionKey', () => {
  it('accepts 32 bytes of base64', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(`${key.toString('base64')}\n`, 'test key').equals(key)).toBe(true);
  });

  it('rejects wrong length', () => {
    const text = randomBytes(16).toString('base64');

    expect(() => parseEncryptionKey(text, 'GATEWAY_ENCRYPTION_KEY')).toThrow(EncryptionKeyError);
    expect(() => parseEncryptionKey(text, 'GATEWAY_ENCRYPTION_KEY')).toThrow(
      'GATEWAY_ENCRYPTION_KEY decodes to 16 bytes, but the key must be exactly 32 bytes',
    );
  });

  it('rejects non-base64 without echo', () => {
    const text = `${randomBytes(32).toString('hex')}!`;
    try {
      parseEncryptionKey(text, 'GATEWAY_ENCRYPTION_KEY');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EncryptionKeyError);
      expect(String(error)).toContain('is not valid base64');
      expect(String(error)).not.toContain(text.slice(0, 16));
    }
  });
});

describe('key file', () => {
  it('creates private base64 file', () => {
    const path = keyFilePath(makeTempDir());

    const key = createKeyFile(path, silentLogger);

    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(key.toString('base64'));
    expect(readKeyFile(path, silentLogger)?.equals(key)).toBe(true);
  });

  it('keeps existing file', () => {
    const dataDir = makeTempDir();
    const path = keyFilePath(dataDir);
    const existing = randomBytes(32);
    writeFileSync(path, existing.toString('base64'), { mode: 0o600 });

    const key = createKeyFile(path, silentLogger);

    expect(key.equals(existing)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(existing.toString('base64'));
    expect(readdirSync(dataDir)).toEqual(['encryption.key']);
  });

  it('leaves no temporary file', () => {
    const dataDir = makeTempDir();

    createKeyFile(keyFilePath(dataDir), silentLogger);

    expect(readdirSync(dataDir)).toEqual(['encryption.key']);
  });

  it('returns undefined when missing', () => {
    expect(readKeyFile(join(makeTempDir(), 'encryption.key'), silentLogger)).toBeUndefined();
  });

  it('rejects malformed file', () => {
    const path = keyFilePath(makeTempDir());
    writeFileSync(path, 'too short', { mode: 0o600 });

    expect(() => readKeyFile(path, silentLogger)).toThrow(`The key file ${path} is not valid base64`);
  });

  it('warns about readable file', () => {
    const path = keyFilePath(makeTempDir());
    writeFileSync(path, randomBytes(32).toString('base64'));
    chmodSync(path, 0o644);
    const logs = captureLogs();

    readKeyFile(path, logs.logger);

    expect(logs.text()).toContain('accessible to other users');
  });
});
