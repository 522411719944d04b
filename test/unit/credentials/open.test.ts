import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { openCredentialService, openCredentialStorage } from '../../../src/credentials/open.js';
import { CredentialStorageError } from '../../../src/credentials/store.js';
import { makeTempDir, newKeyText, sampleInput, SAMPLE_SECRET, silentLogger } from './helpers.js';

function fileDigest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Digests of every file in the folder, to prove that a failed start changed nothing. */
function folderDigests(dataDir: string): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const name of readdirSync(dataDir).sort()) digests[name] = fileDigest(join(dataDir, name));
  return digests;
}

async function storeOneCredential(dataDir: string, encryptionKey?: string): Promise<string> {
  const service = await openCredentialService({ dataDir, encryptionKey, logger: silentLogger });
  const record = await service.create(sampleInput());
  await service.close();
  return record.id;
}

describe('openCredentialStorage key file', () => {
  it('generates private key file', async () => {
    const dataDir = makeTempDir();

    await storeOneCredential(dataDir);

    const keyFile = join(dataDir, 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(statSync(join(dataDir, 'gateway.db')).mode & 0o777).toBe(0o600);
  });

  it('keeps credentials across restarts', async () => {
    const dataDir = makeTempDir();
    const id = await storeOneCredential(dataDir);

    const service = await openCredentialService({ dataDir, logger: silentLogger });
    const resolved = await service.resolve(id);
    await service.close();

    expect(resolved.clientSecret).toBe(SAMPLE_SECRET);
    expect(resolved.tenantId).toBe(12345);
  });

  it('rejects missing key file with rows', async () => {
    const dataDir = makeTempDir();
    await storeOneCredential(dataDir);
    renameSync(join(dataDir, 'encryption.key'), join(makeTempDir(), 'moved.key'));
    const before = folderDigests(dataDir);

    const opening = openCredentialStorage({ dataDir, logger: silentLogger });

    await expect(opening).rejects.toBeInstanceOf(CredentialStorageError);
    await expect(opening).rejects.toThrow(/no encryption key was found/);
    await expect(opening).rejects.toThrow(/No new key was generated/);
    expect(existsSync(join(dataDir, 'encryption.key'))).toBe(false);
    expect(folderDigests(dataDir)).toEqual(before);
  });

  it('rejects replaced key file unchanged', async () => {
    const dataDir = makeTempDir();
    await storeOneCredential(dataDir);
    writeFileSync(join(dataDir, 'encryption.key'), randomBytes(32).toString('base64'));
    const before = folderDigests(dataDir);

    const opening = openCredentialStorage({ dataDir, logger: silentLogger });

    await expect(opening).rejects.toThrow(
      `The encryption key from the key file ${join(dataDir, 'encryption.key')} does not match`,
    );
    expect(folderDigests(dataDir)).toEqual(before);
  });

  it('rejects missing key for empty initialized database', async () => {
    const dataDir = makeTempDir();
    const { store } = await openCredentialStorage({ dataDir, logger: silentLogger });
    await store.close();
    renameSync(join(dataDir, 'encryption.key'), join(makeTempDir(), 'moved.key'));

    await expect(openCredentialStorage({ dataDir, logger: silentLogger })).rejects.toThrow(
      /no encryption key was found/,
    );
  });

  it('rejects rows without key check', async () => {
    const dataDir = makeTempDir();
    await storeOneCredential(dataDir);
    const writer = new Database(join(dataDir, 'gateway.db'));
    writer.prepare("DELETE FROM gateway_meta WHERE key LIKE 'encryption_key_%'").run();
    writer.close();

    await expect(openCredentialStorage({ dataDir, logger: silentLogger })).rejects.toThrow(
      /contains credentials but no encryption key check/,
    );
  });
});

describe('openCredentialStorage environment key', () => {
  it('writes no key file', async () => {
    const dataDir = makeTempDir();

    await storeOneCredential(dataDir, newKeyText());

    expect(existsSync(join(dataDir, 'encryption.key'))).toBe(false);
  });

  it('reopens with the same key', async () => {
    const dataDir = makeTempDir();
    const key = newKeyText();
    const id = await storeOneCredential(dataDir, key);

    const service = await openCredentialService({ dataDir, encryptionKey: key, logger: silentLogger });
    const resolved = await service.resolve(id);
    await service.close();

    expect(resolved.clientSecret).toBe(SAMPLE_SECRET);
  });

  it('rejects wrong key unchanged', async () => {
    const dataDir = makeTempDir();
    await storeOneCredential(dataDir, newKeyText());
    const before = folderDigests(dataDir);

    const opening = openCredentialStorage({ dataDir, encryptionKey: newKeyText(), logger: silentLogger });

    await expect(opening).rejects.toBeInstanceOf(CredentialStorageError);
    await expect(opening).rejects.toThrow(/The encryption key from GATEWAY_ENCRYPTION_KEY does not match/);
    expect(folderDigests(dataDir)).toEqual(before);
  });

  it('rejects missing key after environment key', async () => {
    const dataDir = makeTempDir();
    await storeOneCredential(dataDir, newKeyText());
    const before = folderDigests(dataDir);

    await expect(openCredentialStorage({ dataDir, logger: silentLogger })).rejects.toThrow(
      /no encryption key was found/,
    );
    expect(existsSync(join(dataDir, 'encryption.key'))).toBe(false);
    expect(folderDigests(dataDir)).toEqual(before);
  });

  it('rejects malformed key before touching disk', async () => {
    const dataDir = join(makeTempDir(), 'data');

    await expect(
      openCredentialStorage({ dataDir, encryptionKey: 'not-a-key', logger: silentLogger }),
    ).rejects.toThrow(/GATEWAY_ENCRYPTION_KEY is not valid base64/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('prefers environment key over key file', async () => {
    const dataDir = makeTempDir();
    await storeOneCredential(dataDir);
    const key = newKeyText();

    await expect(openCredentialStorage({ dataDir, encryptionKey: key, logger: silentLogger })).rejects.toThrow(
      /GATEWAY_ENCRYPTION_KEY does not match/,
    );
  });
});

describe('secret at rest', () => {
  it('never stores the secret in clear', async () => {
    const dataDir = makeTempDir();
    const service = await openCredentialService({ dataDir, logger: silentLogger });
    const record = await service.create(sampleInput());
    await service.rotateSecret(record.id, `${SAMPLE_SECRET}-rotated`);
    await service.create(sampleInput({ name: 'Second', clientSecret: `${SAMPLE_SECRET}-second` }));

    const files = readdirSync(dataDir).filter((name) => name.startsWith('gateway.db'));
    expect(files).toContain('gateway.db-wal');
    const needles = [SAMPLE_SECRET, SAMPLE_SECRET.slice(0, 16), SAMPLE_SECRET.slice(-16)].flatMap((text) => [
      Buffer.from(text, 'utf8'),
      Buffer.from(Buffer.from(text, 'utf8').toString('base64').slice(0, 16), 'utf8'),
      Buffer.from(text, 'utf16le'),
    ]);
    const inspect = () => {
      for (const name of readdirSync(dataDir).filter((file) => file.startsWith('gateway.db'))) {
        const bytes = readFileSync(join(dataDir, name));
        for (const needle of needles) expect(bytes.includes(needle), `${name} contains the secret`).toBe(false);
      }
    };

    inspect();
    await service.close();
    inspect();
  });
});
