import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/credentials/migrations.js';
import { SqliteCredentialStore } from '../../../src/credentials/sqlite-store.js';
import {
  CredentialStorageError,
  DuplicateCredentialNameError,
  type NewStoredCredential,
} from '../../../src/credentials/store.js';
import { makeTempDir, silentLogger } from './helpers.js';

const openStores: SqliteCredentialStore[] = [];

afterEach(async () => {
  for (const store of openStores.splice(0)) await store.close();
});

function openStore(dataDir = makeTempDir()): SqliteCredentialStore {
  const store = SqliteCredentialStore.open({ dataDir, logger: silentLogger });
  store.migrate();
  openStores.push(store);
  return store;
}

function newRow(overrides: Partial<NewStoredCredential> = {}): NewStoredCredential {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `credential-${randomUUID().slice(0, 8)}`,
    description: '',
    clientId: 'client',
    secretCiphertext: Buffer.from([1, 1, 2, 3]),
    secretHint: 'abcd',
    tenantId: 1,
    siteId: undefined,
    masterCatalogId: undefined,
    catalogId: undefined,
    apiHost: undefined,
    authHost: 'https://home.mozu.com',
    isDefault: false,
    status: 'UNVERIFIED',
    lastVerifiedAt: undefined,
    lastErrorCode: undefined,
    lastErrorMessage: undefined,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('SqliteCredentialStore files', () => {
  it('creates private directory and database', () => {
    const dataDir = join(makeTempDir(), 'data');
    const store = openStore(dataDir);

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('uses WAL mode and private WAL file', async () => {
    const store = openStore();
    await store.insert(newRow());

    const reader = new Database(store.path, { readonly: true });
    expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    reader.close();
    expect(statSync(`${store.path}-wal`).mode & 0o777).toBe(0o600);
  });

  it('records applied migrations once', () => {
    const dataDir = makeTempDir();
    const first = SqliteCredentialStore.open({ dataDir, logger: silentLogger });
    openStores.push(first);
    expect(first.migrate()).toEqual(MIGRATIONS.map((migration) => migration.version));

    const second = SqliteCredentialStore.open({ dataDir, logger: silentLogger });
    openStores.push(second);
    expect(second.migrate()).toEqual([]);

    const reader = new Database(first.path, { readonly: true });
    const versions = reader.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    reader.close();
    expect(versions).toEqual(MIGRATIONS.map((migration) => ({ version: migration.version })));
  });

  it('numbers migrations without gaps', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
      Array.from({ length: MIGRATIONS.length }, (_, index) => index + 1),
    );
  });

  it('rejects newer schema unchanged', async () => {
    const dataDir = makeTempDir();
    const store = openStore(dataDir);
    await store.close();
    const writer = new Database(store.path);
    writer
      .prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, 'future', 'now')")
      .run(LATEST_SCHEMA_VERSION + 1);
    writer.close();
    const before = readFileSync(store.path);

    expect(() => SqliteCredentialStore.open({ dataDir, logger: silentLogger })).toThrow(CredentialStorageError);
    expect(() => SqliteCredentialStore.open({ dataDir, logger: silentLogger })).toThrow(
      `has schema version ${LATEST_SCHEMA_VERSION + 1}, but this gateway supports versions up to ` +
        `${LATEST_SCHEMA_VERSION}`,
    );
    expect(readFileSync(store.path).equals(before)).toBe(true);
  });

  it('rejects file that is not SQLite', () => {
    const dataDir = makeTempDir();
    writeFileSync(join(dataDir, 'gateway.db'), 'this is not a database, just some text '.repeat(200));

    expect(() => SqliteCredentialStore.open({ dataDir, logger: silentLogger })).toThrow(
      /is not a readable credential database/,
    );
  });
});

describe('SqliteCredentialStore rows', () => {
  it('inserts and reads back', async () => {
    const store = openStore();
    const row = newRow({ siteId: 7, apiHost: 'https://t1.example.com' });

    const inserted = await store.insert(row);

    expect(inserted).toEqual({ ...row, version: 1 });
    expect(await store.get(row.id)).toEqual(inserted);
    expect(await store.get(randomUUID())).toBeUndefined();
  });

  it('finds names regardless of case', async () => {
    const store = openStore();
    const row = await store.insert(newRow({ name: 'Production EU' }));

    expect((await store.getByName('production eu'))?.id).toBe(row.id);
    expect((await store.getByName('PRODUCTION EU'))?.id).toBe(row.id);
    expect(await store.getByName('Production')).toBeUndefined();
  });

  it('rejects names differing in case', async () => {
    const store = openStore();
    await store.insert(newRow({ name: 'Staging' }));

    const duplicate = store.insert(newRow({ name: 'STAGING' }));

    await expect(duplicate).rejects.toBeInstanceOf(DuplicateCredentialNameError);
    await expect(duplicate).rejects.toMatchObject({ extensions: { field: 'name', code: 'BAD_USER_INPUT' } });
    expect(await store.list()).toHaveLength(1);
  });

  it('lists by name regardless of case', async () => {
    const store = openStore();
    for (const name of ['beta', 'Alpha', 'gamma', 'Delta']) await store.insert(newRow({ name }));

    expect((await store.list()).map((row) => row.name)).toEqual(['Alpha', 'beta', 'Delta', 'gamma']);
  });

  it('updates settings and raises version', async () => {
    const store = openStore();
    const row = await store.insert(newRow());

    const updated = await store.update(row.id, () => ({
      changedAt: '2030-01-01T00:00:00.000Z',
      description: 'changed',
      siteId: 99,
    }));

    expect(updated?.description).toBe('changed');
    expect(updated?.siteId).toBe(99);
    expect(updated?.version).toBe(2);
    expect(updated?.updatedAt).toBe('2030-01-01T00:00:00.000Z');
  });

  it('clears column set to undefined', async () => {
    const store = openStore();
    const row = await store.insert(newRow({ siteId: 5 }));

    const updated = await store.update(row.id, () => ({ changedAt: row.updatedAt, siteId: undefined }));

    expect(updated?.siteId).toBeUndefined();
  });

  it('records verification without new version', async () => {
    const store = openStore();
    const row = await store.insert(newRow());

    const updated = await store.update(row.id, () => ({
      changedAt: '2030-01-01T00:00:00.000Z',
      status: 'FAILED',
      lastVerifiedAt: '2030-01-01T00:00:00.000Z',
      lastErrorCode: 'KIBO_UNAUTHENTICATED',
      lastErrorMessage: 'Kibo rejected the client ID or secret.',
    }));

    expect(updated?.status).toBe('FAILED');
    expect(updated?.lastErrorCode).toBe('KIBO_UNAUTHENTICATED');
    expect(updated?.version).toBe(1);
    expect(updated?.updatedAt).toBe(row.updatedAt);
  });

  it('aborts update when change throws', async () => {
    const store = openStore();
    const row = await store.insert(newRow());

    const update = store.update(row.id, () => {
      throw new Error('rejected by the caller');
    });

    await expect(update).rejects.toThrow('rejected by the caller');
    expect(await store.get(row.id)).toEqual(row);
  });

  it('rejects rename to taken name', async () => {
    const store = openStore();
    await store.insert(newRow({ name: 'Taken' }));
    const row = await store.insert(newRow({ name: 'Free' }));

    const rename = store.update(row.id, () => ({ changedAt: row.updatedAt, name: 'taken' }));

    await expect(rename).rejects.toBeInstanceOf(DuplicateCredentialNameError);
    expect((await store.get(row.id))?.name).toBe('Free');
  });

  it('allows rename to other case of own name', async () => {
    const store = openStore();
    const row = await store.insert(newRow({ name: 'sandbox' }));

    const updated = await store.update(row.id, () => ({ changedAt: row.updatedAt, name: 'Sandbox' }));

    expect(updated?.name).toBe('Sandbox');
  });

  it('returns undefined for unknown id', async () => {
    const store = openStore();

    expect(await store.update(randomUUID(), () => ({ changedAt: 'x', description: 'y' }))).toBeUndefined();
    expect(await store.delete(randomUUID())).toBe(false);
    expect(await store.setDefault(randomUUID())).toBeUndefined();
  });

  it('deletes a row', async () => {
    const store = openStore();
    const row = await store.insert(newRow());

    expect(await store.delete(row.id)).toBe(true);
    expect(await store.get(row.id)).toBeUndefined();
  });
});

describe('SqliteCredentialStore default', () => {
  it('switches default in one step', async () => {
    const store = openStore();
    const first = await store.insert(newRow({ isDefault: true }));
    const second = await store.insert(newRow());

    await store.setDefault(second.id);

    expect((await store.getDefault())?.id).toBe(second.id);
    expect((await store.get(first.id))?.isDefault).toBe(false);
  });

  it('moves default on default insert', async () => {
    const store = openStore();
    const first = await store.insert(newRow({ isDefault: true }));
    const second = await store.insert(newRow({ isDefault: true }));

    expect((await store.getDefault())?.id).toBe(second.id);
    expect((await store.get(first.id))?.isDefault).toBe(false);
  });

  it('keeps default when target unknown', async () => {
    const store = openStore();
    const first = await store.insert(newRow({ isDefault: true }));

    await store.setDefault(randomUUID());

    expect((await store.getDefault())?.id).toBe(first.id);
  });

  it('clears default', async () => {
    const store = openStore();
    await store.insert(newRow({ isDefault: true }));

    await store.clearDefault();

    expect(await store.getDefault()).toBeUndefined();
  });

  it('enforces single default in schema', async () => {
    const store = openStore();
    await store.insert(newRow({ isDefault: true }));
    const writer = new Database(store.path);

    const second = () =>
      writer
        .prepare(
          `INSERT INTO credentials (id, name, client_id, secret_ciphertext, tenant_id, auth_host, is_default,
             created_at, updated_at)
           VALUES (?, 'other', 'c', x'00', 1, 'https://home.mozu.com', 1, 'now', 'now')`,
        )
        .run(randomUUID());

    expect(second).toThrow(/UNIQUE constraint failed/);
    writer.close();
  });
});
