import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { EnvironmentCredential } from '../../../src/config.js';
import { openCredentialService } from '../../../src/credentials/open.js';
import type { CredentialService } from '../../../src/credentials/service.js';
import type { Logger } from '../../../src/logger.js';
import { captureLogs, makeTempDir, SAMPLE_SECRET, sampleInput, silentLogger } from './helpers.js';

const ENVIRONMENT_SECRET = 'env-secret-value-9d8c7b6a5f4e';

const environmentCredential: EnvironmentCredential = {
  clientId: 'env.app.1.0.0.Release',
  clientSecret: ENVIRONMENT_SECRET,
  tenantId: 999,
  siteId: 111,
  masterCatalogId: 1,
  catalogId: 2,
  apiHost: undefined,
  authHost: 'https://home.mozu.com',
};

const services: CredentialService[] = [];

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

interface Setup {
  environment?: boolean;
  logger?: Logger;
  onCredentialChanged?: (id: string) => void | Promise<void>;
  dataDir?: string;
}

async function openService(setup: Setup = {}): Promise<CredentialService> {
  const service = await openCredentialService({
    dataDir: setup.dataDir ?? makeTempDir(),
    logger: setup.logger ?? silentLogger,
    environmentCredential: setup.environment ? environmentCredential : undefined,
    onCredentialChanged: setup.onCredentialChanged,
  });
  services.push(service);
  return service;
}

describe('CredentialService create and read', () => {
  it('returns record without secret', async () => {
    const service = await openService();

    const record = await service.create(sampleInput());

    expect(record).toMatchObject({
      name: 'Sandbox',
      clientId: 'kibo.gateway.1.0.0.Release',
      secretHint: `••••${SAMPLE_SECRET.slice(-4)}`,
      tenantId: 12345,
      siteId: 23456,
      authHost: 'https://home.mozu.com',
      isDefault: false,
      status: 'UNVERIFIED',
      version: 1,
      source: 'STORED',
      isReadOnly: false,
    });
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(record)).not.toContain(SAMPLE_SECRET);
    expect(JSON.stringify(await service.list())).not.toContain(SAMPLE_SECRET);
  });

  it('omits hint for short secret', async () => {
    const service = await openService();

    const record = await service.create(sampleInput({ clientSecret: 'short-12345' }));

    expect(record.secretHint).toBeUndefined();
  });

  it('gets by id and name', async () => {
    const service = await openService();
    const record = await service.create(sampleInput({ name: 'EU Production' }));

    expect((await service.get(record.id))?.name).toBe('EU Production');
    expect((await service.get('eu production'))?.id).toBe(record.id);
    expect(await service.get('nothing')).toBeUndefined();
  });

  it('rejects duplicate name on field', async () => {
    const service = await openService();
    await service.create(sampleInput({ name: 'Shared' }));

    await expect(service.create(sampleInput({ name: 'SHARED' }))).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'name' },
    });
  });

  it('keeps the secret out of logs', async () => {
    const logs = captureLogs();
    const changed = vi.fn(() => {
      throw new Error('listener failed');
    });
    const service = await openService({ logger: logs.logger, environment: true, onCredentialChanged: changed });

    const record = await service.create(sampleInput());
    await service.update(record.id, { clientId: 'new-app', clientSecret: `${SAMPLE_SECRET}-2` });
    await service.rotateSecret(record.id, `${SAMPLE_SECRET}-3`);
    await service.recordVerification(record.id, {
      ok: false,
      errorCode: 'KIBO_UNAUTHENTICATED',
      errorMessage: `rejected ${SAMPLE_SECRET}-3`,
    });
    await service.resolve(record.id);
    await service.resolve(undefined);
    await expect(service.create(sampleInput({ clientSecret: ` ${SAMPLE_SECRET}` }))).rejects.toThrow();
    await service.delete(record.id);

    expect(logs.text()).toContain('Created credential');
    expect(logs.text()).toContain('listener failed');
    expect(logs.text()).not.toContain(SAMPLE_SECRET);
    expect(logs.text()).not.toContain(ENVIRONMENT_SECRET);
  });
});

describe('CredentialService resolve', () => {
  it('resolves by id and name', async () => {
    const service = await openService();
    const record = await service.create(sampleInput({ name: 'Storefront' }));

    const byId = await service.resolve(record.id);
    const byName = await service.resolve('STOREFRONT');

    expect(byId).toEqual({
      id: record.id,
      clientId: 'kibo.gateway.1.0.0.Release',
      clientSecret: SAMPLE_SECRET,
      tenantId: 12345,
      siteId: 23456,
      masterCatalogId: undefined,
      catalogId: undefined,
      apiHost: undefined,
      authHost: 'https://home.mozu.com',
      version: 1,
    });
    expect(byName).toEqual(byId);
  });

  it('resolves stored default', async () => {
    const service = await openService({ environment: true });
    const record = await service.create(sampleInput({ isDefault: true }));

    expect((await service.resolve(undefined)).id).toBe(record.id);
  });

  it('rejects unknown credential', async () => {
    const service = await openService({ environment: true });

    await expect(service.resolve('missing')).rejects.toMatchObject({
      code: 'CREDENTIAL_NOT_FOUND',
      message: expect.stringContaining('"missing"'),
    });
    await expect(service.resolve('')).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
  });

  it('rejects missing default', async () => {
    const service = await openService();
    await service.create(sampleInput());

    await expect(service.resolve(undefined)).rejects.toMatchObject({
      code: 'CREDENTIAL_NOT_FOUND',
      message: expect.stringContaining('no default credential is set'),
    });
  });

  it('rejects deleted credential', async () => {
    const service = await openService({ environment: true });
    const record = await service.create(sampleInput({ isDefault: true }));

    expect(await service.delete(record.id)).toBe(record.id);

    await expect(service.resolve(record.id)).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    await expect(service.resolve('Sandbox')).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    await expect(service.delete(record.id)).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    expect((await service.resolve(undefined)).id).toBe('environment');
  });

  it('fails safely on moved ciphertext', async () => {
    const dataDir = makeTempDir();
    const service = await openService({ dataDir });
    const first = await service.create(sampleInput({ name: 'First' }));
    const second = await service.create(sampleInput({ name: 'Second', clientSecret: `${SAMPLE_SECRET}-2` }));
    const writer = new Database(join(dataDir, 'gateway.db'));
    writer
      .prepare(
        'UPDATE credentials SET secret_ciphertext = (SELECT secret_ciphertext FROM credentials WHERE id = ?) WHERE id = ?',
      )
      .run(first.id, second.id);
    writer.close();

    const resolving = service.resolve(second.id);

    await expect(resolving).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    await expect(resolving).rejects.toThrow(/cannot be decrypted/);
    await expect(resolving).rejects.not.toThrow(SAMPLE_SECRET);
  });
});

describe('CredentialService changes', () => {
  it('requires secret with new client id', async () => {
    const service = await openService();
    const record = await service.create(sampleInput());

    await expect(service.update(record.id, { clientId: 'other-app' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { field: 'clientSecret' },
    });
    expect((await service.resolve(record.id)).clientId).toBe('kibo.gateway.1.0.0.Release');
  });

  it('changes client id with secret', async () => {
    const changed = vi.fn();
    const service = await openService({ onCredentialChanged: changed });
    const record = await service.create(sampleInput());
    await service.recordVerification(record.id, { ok: true });

    const updated = await service.update(record.id, { clientId: 'other-app', clientSecret: 'new-secret-000000wxyz' });

    expect(updated).toMatchObject({ clientId: 'other-app', secretHint: '••••wxyz', status: 'UNVERIFIED', version: 2 });
    expect(updated.lastVerifiedAt).toBeUndefined();
    expect((await service.resolve(record.id)).clientSecret).toBe('new-secret-000000wxyz');
    expect(changed).toHaveBeenCalledWith(record.id);
  });

  it('keeps status on rename', async () => {
    const service = await openService();
    const record = await service.create(sampleInput());
    await service.recordVerification(record.id, { ok: true });

    const updated = await service.update(record.id, { name: 'Renamed', description: 'new text' });

    expect(updated).toMatchObject({ name: 'Renamed', description: 'new text', status: 'VERIFIED', version: 2 });
  });

  it('skips no-op update', async () => {
    const changed = vi.fn();
    const service = await openService({ onCredentialChanged: changed });
    const record = await service.create(sampleInput());

    const updated = await service.update(record.id, { name: record.name, tenantId: record.tenantId });

    expect(updated.version).toBe(1);
    expect(changed).not.toHaveBeenCalled();
  });

  it('clears optional fields', async () => {
    const service = await openService();
    const record = await service.create(sampleInput({ apiHost: 'https://t1.example.com' }));

    const updated = await service.update(record.id, { siteId: null, apiHost: null });

    expect(updated.siteId).toBeUndefined();
    expect(updated.apiHost).toBeUndefined();
    expect(updated.status).toBe('UNVERIFIED');
  });

  it('rotates secret', async () => {
    const changed = vi.fn();
    const service = await openService({ onCredentialChanged: changed });
    const record = await service.create(sampleInput());
    await service.recordVerification(record.id, { ok: true });

    const rotated = await service.rotateSecret(record.id, 'rotated-secret-1234abcd');

    expect(rotated).toMatchObject({ secretHint: '••••abcd', status: 'UNVERIFIED', version: 2 });
    expect((await service.resolve(record.id)).clientSecret).toBe('rotated-secret-1234abcd');
    expect(changed).toHaveBeenCalledWith(record.id);
  });

  it('rejects invalid rotation', async () => {
    const service = await openService();
    const record = await service.create(sampleInput());

    const rotation = service.rotateSecret(record.id, `${SAMPLE_SECRET}\n`);

    await expect(rotation).rejects.toMatchObject({ extensions: { field: 'clientSecret' } });
    await expect(rotation).rejects.not.toThrow(SAMPLE_SECRET);
  });

  it('reports unknown id', async () => {
    const service = await openService();

    for (const action of [
      () => service.update('missing', { description: 'x' }),
      () => service.rotateSecret('missing', SAMPLE_SECRET),
      () => service.setDefault('missing'),
      () => service.delete('missing'),
      () => service.recordVerification('missing', { ok: true }),
    ]) {
      await expect(action()).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    }
  });

  it('notifies listener on delete', async () => {
    const changed = vi.fn();
    const service = await openService({ onCredentialChanged: changed });
    const record = await service.create(sampleInput());

    await service.delete(record.id);

    expect(changed).toHaveBeenCalledWith(record.id);
  });
});

describe('CredentialService verification', () => {
  it('records success', async () => {
    const service = await openService();
    const record = await service.create(sampleInput());
    const verifiedAt = new Date('2031-05-06T07:08:09.000Z');

    const updated = await service.recordVerification(record.id, { ok: true, verifiedAt });

    expect(updated).toMatchObject({ status: 'VERIFIED', lastVerifiedAt: '2031-05-06T07:08:09.000Z', version: 1 });
    expect(updated.updatedAt).toBe(record.updatedAt);
  });

  it('cleans failure message', async () => {
    const service = await openService();
    const record = await service.create(sampleInput());

    const updated = await service.recordVerification(record.id, {
      ok: false,
      errorCode: 'KIBO_UNAUTHENTICATED\n',
      errorMessage: `Kibo rejected\r\nsecret ${SAMPLE_SECRET} ${'x'.repeat(600)}`,
    });

    expect(updated.status).toBe('FAILED');
    expect(updated.lastErrorCode).toBe('KIBO_UNAUTHENTICATED');
    expect(updated.lastErrorMessage).not.toContain(SAMPLE_SECRET);
    expect(updated.lastErrorMessage).toMatch(/^Kibo rejected {2}secret \[redacted\] x+…$/);
    expect(Array.from(updated.lastErrorMessage ?? '')).toHaveLength(500);
  });

  it('clears error after success', async () => {
    const service = await openService();
    const record = await service.create(sampleInput());
    await service.recordVerification(record.id, { ok: false, errorCode: 'KIBO_TIMEOUT', errorMessage: 'timed out' });

    const updated = await service.recordVerification(record.id, { ok: true });

    expect(updated.lastErrorCode).toBeUndefined();
    expect(updated.lastErrorMessage).toBeUndefined();
  });

  it('ignores stale result', async () => {
    const service = await openService();
    const record = await service.create(sampleInput());
    const resolved = await service.resolve(record.id);
    await service.rotateSecret(record.id, 'rotated-secret-1234abcd');

    const updated = await service.recordVerification(record.id, { ok: true, credentialVersion: resolved.version });

    expect(updated.status).toBe('UNVERIFIED');
  });
});

describe('CredentialService default', () => {
  it('switches default', async () => {
    const service = await openService();
    const first = await service.create(sampleInput({ name: 'First', isDefault: true }));
    const second = await service.create(sampleInput({ name: 'Second' }));

    const updated = await service.setDefault(second.id);
    const list = await service.list();

    expect(updated.isDefault).toBe(true);
    expect(list.filter((record) => record.isDefault).map((record) => record.id)).toEqual([second.id]);
    expect((await service.get(first.id))?.isDefault).toBe(false);
    expect((await service.resolve(undefined)).id).toBe(second.id);
  });

  it('returns default to environment', async () => {
    const service = await openService({ environment: true });
    const record = await service.create(sampleInput({ isDefault: true }));

    const environment = await service.setDefault('environment');

    expect(environment).toMatchObject({ id: 'environment', isDefault: true });
    expect((await service.get(record.id))?.isDefault).toBe(false);
    expect((await service.resolve(undefined)).id).toBe('environment');
  });
});

describe('CredentialService environment credential', () => {
  it('lists it first as default', async () => {
    const service = await openService({ environment: true });
    await service.create(sampleInput({ name: 'Alpha' }));

    const list = await service.list();

    expect(list.map((record) => record.name)).toEqual(['environment', 'Alpha']);
    expect(list[0]).toMatchObject({
      id: 'environment',
      clientId: 'env.app.1.0.0.Release',
      secretHint: `••••${ENVIRONMENT_SECRET.slice(-4)}`,
      tenantId: 999,
      isDefault: true,
      isReadOnly: true,
      source: 'ENVIRONMENT',
      status: 'UNVERIFIED',
    });
    expect(JSON.stringify(list)).not.toContain(ENVIRONMENT_SECRET);
  });

  it('loses default to stored default', async () => {
    const service = await openService({ environment: true });
    await service.create(sampleInput({ isDefault: true }));

    expect((await service.get('environment'))?.isDefault).toBe(false);
  });

  it('resolves by id in any case', async () => {
    const service = await openService({ environment: true });

    for (const selector of ['environment', 'ENVIRONMENT', undefined]) {
      expect(await service.resolve(selector)).toMatchObject({
        id: 'environment',
        clientSecret: ENVIRONMENT_SECRET,
        tenantId: 999,
        masterCatalogId: 1,
      });
    }
  });

  it('rejects changes', async () => {
    const changed = vi.fn();
    const service = await openService({ environment: true, onCredentialChanged: changed });

    for (const [action, verb] of [
      [() => service.update('environment', { description: 'x' }), 'updated'],
      [() => service.rotateSecret('environment', SAMPLE_SECRET), 'rotated'],
      [() => service.delete('environment'), 'deleted'],
    ] as const) {
      const attempt = action();
      await expect(attempt).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'id' } });
      await expect(attempt).rejects.toThrow(`The environment credential cannot be ${verb}: it is read-only`);
    }
    expect(changed).not.toHaveBeenCalled();
  });

  it('records verification in memory', async () => {
    const service = await openService({ environment: true });

    await service.recordVerification('environment', {
      ok: false,
      errorCode: 'KIBO_UNAUTHENTICATED',
      errorMessage: `bad secret ${ENVIRONMENT_SECRET}`,
    });
    const record = await service.get('environment');

    expect(record).toMatchObject({ status: 'FAILED', lastErrorCode: 'KIBO_UNAUTHENTICATED' });
    expect(record?.lastErrorMessage).toBe('bad secret [redacted]');
  });

  it('is absent when not configured', async () => {
    const service = await openService();

    expect(await service.list()).toEqual([]);
    await expect(service.resolve('environment')).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    await expect(service.setDefault('environment')).rejects.toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
  });
});
