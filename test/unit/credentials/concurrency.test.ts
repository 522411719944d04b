import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { openCredentialService } from '../../../src/credentials/open.js';
import type { CredentialService } from '../../../src/credentials/service.js';
import type { CredentialRecord } from '../../../src/credentials/types.js';
import { hasErrorCode } from '../../../src/errors.js';
import { makeTempDir, newKeyText, silentLogger, startWriter, type WriterProcess } from './helpers.js';

const services: CredentialService[] = [];
const writers: WriterProcess[] = [];

afterEach(async () => {
  for (const writer of writers.splice(0)) writer.kill('SIGKILL');
  for (const service of services.splice(0)) await service.close();
});

async function openService(dataDir: string, encryptionKey?: string): Promise<CredentialService> {
  const service = await openCredentialService({ dataDir, encryptionKey, logger: silentLogger });
  services.push(service);
  return service;
}

function launch(args: string[]): WriterProcess {
  const writer = startWriter(args);
  writers.push(writer);
  return writer;
}

function integrityCheck(dataDir: string): unknown {
  const connection = new Database(join(dataDir, 'gateway.db'), { readonly: true });
  try {
    return connection.pragma('integrity_check', { simple: true });
  } finally {
    connection.close();
  }
}

describe('concurrent writes in one process', () => {
  it('stores 200 concurrent changes', async () => {
    const dataDir = makeTempDir();
    const service = await openService(dataDir);
    const existing: CredentialRecord[] = [];
    for (let index = 0; index < 100; index++) {
      existing.push(
        await service.create({ name: `existing-${index}`, clientId: 'app', clientSecret: 'secret-existing-0', tenantId: 1 }),
      );
    }

    const creates = Array.from({ length: 100 }, (_, index) =>
      service.create({
        name: `new-${index}`,
        clientId: `app-${index}`,
        clientSecret: `secret-new-${index}-abcdefgh`,
        tenantId: index + 1,
      }),
    );
    const updates = existing.map((record, index) =>
      service.update(record.id, {
        description: `updated ${index}`,
        clientId: `app-updated-${index}`,
        clientSecret: `secret-updated-${index}-abcdefgh`,
      }),
    );
    const results = await Promise.all([...creates, ...updates]);
    expect(results).toHaveLength(200);

    // A second connection must see every acknowledged change, whole.
    const reader = await openService(dataDir);
    const stored = await reader.list();
    expect(stored).toHaveLength(200);
    for (let index = 0; index < 100; index++) {
      const created = await reader.resolve(`new-${index}`);
      expect(created).toMatchObject({ clientId: `app-${index}`, clientSecret: `secret-new-${index}-abcdefgh` });
      const updated = await reader.resolve(existing[index]!.id);
      expect(updated).toMatchObject({
        clientId: `app-updated-${index}`,
        clientSecret: `secret-updated-${index}-abcdefgh`,
        version: 2,
      });
      expect((await reader.get(existing[index]!.id))?.description).toBe(`updated ${index}`);
    }
    expect(integrityCheck(dataDir)).toBe('ok');
  });

  it('applies every update to one row', async () => {
    const service = await openService(makeTempDir());
    const record = await service.create({ name: 'busy', clientId: 'app', clientSecret: 'secret-000000', tenantId: 1 });

    await Promise.all(
      Array.from({ length: 50 }, (_, index) => service.update(record.id, { description: `writer ${index}` })),
    );

    const final = await service.get(record.id);
    expect(final?.version).toBe(51);
    expect(final?.description).toMatch(/^writer \d+$/);
  });

  it('admits one of many equal names', async () => {
    const service = await openService(makeTempDir());

    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        service.create({ name: index % 2 ? 'Contested' : 'CONTESTED', clientId: 'a', clientSecret: 'b', tenantId: 1 }),
      ),
    );

    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(19);
    for (const outcome of rejected) expect(hasErrorCode(outcome.reason, 'BAD_USER_INPUT')).toBe(true);
    expect(await service.list()).toHaveLength(1);
  });
});

describe('concurrent writes across processes', () => {
  it('keeps writes of two processes', async () => {
    const dataDir = makeTempDir();
    const key = newKeyText();
    const parent = await openService(dataDir, key);
    const child = launch(['create', dataDir, key, '300', 'child']);
    await child.waitForLines(1);

    const parentIds: string[] = [];
    for (let index = 0; index < 300; index++) {
      const record = await parent.create({
        name: `parent-${index}`,
        clientId: 'app',
        clientSecret: `secret-parent-${index}`,
        tenantId: 1,
      });
      parentIds.push(record.id);
    }
    expect(await child.exited, child.stderr()).toBe(0);

    const stored = await parent.list();
    expect(stored).toHaveLength(600);
    // Child rows created between the parent's first and last row show that the two processes really
    // competed for the write lock.
    const parentTimes = stored.filter((record) => record.name.startsWith('parent-')).map((record) => record.createdAt);
    const parentStart = parentTimes.reduce((earliest, time) => (time < earliest ? time : earliest));
    const parentEnd = parentTimes.reduce((latest, time) => (time > latest ? time : latest));
    const interleaved = stored.filter(
      (record) => record.name.startsWith('child-') && record.createdAt > parentStart && record.createdAt < parentEnd,
    );
    expect(interleaved.length).toBeGreaterThan(0);
    expect(child.lines).toHaveLength(300);
    for (const id of child.lines) expect((await parent.resolve(id)).clientSecret).toMatch(/^secret-child-\d+-/);
    for (const id of parentIds) expect((await parent.resolve(id)).clientSecret).toMatch(/^secret-parent-\d+$/);
  });

  it('agrees on one generated key', async () => {
    const dataDir = makeTempDir();

    const children = Array.from({ length: 3 }, () => launch(['open', dataDir, '-']));
    const statuses = await Promise.all(children.map((child) => child.exited));

    expect(statuses, children.map((child) => child.stderr()).join('\n')).toEqual([0, 0, 0]);
    const checks = new Set(children.map((child) => child.lines[0]));
    expect(checks.size).toBe(1);
    const service = await openService(dataDir);
    await service.create({ name: 'after start', clientId: 'a', clientSecret: 'b', tenantId: 1 });
  });
});

describe('crash during writes', () => {
  it('keeps acknowledged writes after SIGKILL', async () => {
    const dataDir = makeTempDir();
    const key = newKeyText();
    const acknowledged = new Map<string, string>();

    // Three crashes at different points, each followed by a start on the same files.
    for (const [round, lineCount] of [40, 75, 110].entries()) {
      const writer = launch(['loop', dataDir, key, `crash${round}`]);
      await writer.waitForLines(lineCount);
      writer.kill('SIGKILL');
      expect(await writer.exited).toBe('SIGKILL');
      for (const line of [...writer.lines]) {
        const [action, id] = line.split(' ');
        acknowledged.set(id!, action!);
      }

      expect(integrityCheck(dataDir)).toBe('ok');
    }

    const service = await openService(dataDir, key);
    for (const [id, action] of acknowledged) {
      const resolved = await service.resolve(id);
      if (action !== 'created') expect(resolved.clientSecret).toMatch(/^rotated-/);
      if (action === 'updated') expect(resolved.siteId).toBeGreaterThan(199);
    }
    // Every row, acknowledged or not, must be whole and decrypt.
    const records = await service.list();
    expect(records.length).toBeGreaterThanOrEqual(acknowledged.size);
    for (const record of records) {
      expect((await service.resolve(record.id)).clientSecret).toMatch(/^(secret|rotated)-\d+-abcdefghijkl$/);
    }
  });
});
