import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APPLICATION } from '../emulator/application.js';
import { errorCodes, observedBodies, observedLogs, startStack, TEST_ADMIN_TOKEN, type TestStack } from './harness.js';

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const WRONG_SECRET = 'wrong-secret-Kx7-never-valid';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateKiboCredentialInput!) {
    createKiboCredential(input: $input) {
      credential { id name description clientId tenantId siteId authHost status secretHint isDefault isReadOnly }
    }
  }
`;
const VERIFY = /* GraphQL */ `
  mutation Verify($id: ID!) {
    verifyKiboCredential(id: $id) { ok errorCode message durationMs expiresAt credential { status lastVerifiedAt lastError { code message } } }
  }
`;
const ROTATE = /* GraphQL */ `
  mutation Rotate($id: ID!, $secret: String!) { rotateKiboCredentialSecret(id: $id, clientSecret: $secret) { credential { status secretHint } } }
`;
const LIST = '{ kiboCredentials { id name status isReadOnly isDefault secretHint } }';
const ORDERS = '{ orders(first: 2) { totalCount nodes { id items { product { name } } } } }';

type Credential = Record<string, unknown> & { id: string };

let stack: TestStack;

function credentialInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Emulator demo',
    description: 'The emulator demo application',
    clientId: DEMO_APPLICATION.clientId,
    clientSecret: DEMO_APPLICATION.clientSecret,
    tenantId: DEMO_APPLICATION.tenantId,
    siteId: DEMO_APPLICATION.siteId,
    authHost: stack.emulator.url,
    ...overrides,
  };
}

async function create(overrides: Record<string, unknown> = {}): Promise<Credential> {
  const response = await stack.graphql<{ createKiboCredential: { credential: Credential } }>(
    CREATE,
    { input: credentialInput(overrides) },
    ADMIN,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createKiboCredential.credential;
}

function tokenRequests(): number {
  return stack.emulator.requests().filter((entry) => entry.path.endsWith('/authtickets/oauth')).length;
}

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.close();
});

describe('credential lifecycle', () => {
  it('creates, verifies, uses, rotates and deletes a credential', async () => {
    const credential = await create();
    expect(credential).toMatchObject({ name: 'Emulator demo', status: 'UNVERIFIED', isReadOnly: false });
    expect(credential.secretHint).toBe(`••••${DEMO_APPLICATION.clientSecret.slice(-4)}`);

    const verified = await stack.graphql<{ verifyKiboCredential: Record<string, unknown> }>(VERIFY, { id: credential.id }, ADMIN);
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyKiboCredential).toMatchObject({ ok: true, errorCode: null, credential: { status: 'VERIFIED' } });
    expect(Date.parse(String(verified.data!.verifyKiboCredential.expiresAt))).toBeGreaterThan(Date.now());

    const listed = await stack.graphql<{ kiboCredentials: Credential[] }>(LIST, undefined, ADMIN);
    expect(listed.data!.kiboCredentials.map((entry) => entry.name)).toEqual(['environment', 'Emulator demo']);

    const byId = await stack.graphql<{ orders: { totalCount: number } }>(ORDERS, undefined, { 'x-kibo-credential': credential.id });
    expect(byId.errors).toBeUndefined();
    expect(byId.data!.orders.totalCount).toBe(stack.emulator.data.orders.length);
    const byName = await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': 'emulator DEMO' });
    expect(byName.errors).toBeUndefined();

    const rotated = await stack.graphql<{ rotateKiboCredentialSecret: { credential: Credential } }>(
      ROTATE,
      { id: credential.id, secret: WRONG_SECRET },
      ADMIN,
    );
    expect(rotated.data!.rotateKiboCredentialSecret.credential.status).toBe('UNVERIFIED');
    const failedVerify = await stack.graphql<{ verifyKiboCredential: Record<string, unknown> }>(VERIFY, { id: credential.id }, ADMIN);
    expect(failedVerify.data!.verifyKiboCredential).toMatchObject({
      ok: false,
      errorCode: 'KIBO_UNAUTHENTICATED',
      expiresAt: null,
      credential: { status: 'FAILED', lastError: { code: 'KIBO_UNAUTHENTICATED' } },
    });
    const failedQuery = await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': credential.id });
    expect(errorCodes(failedQuery)).toEqual(['KIBO_UNAUTHENTICATED']);

    await stack.graphql(ROTATE, { id: credential.id, secret: DEMO_APPLICATION.clientSecret }, ADMIN);
    const restored = await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': credential.id });
    expect(restored.errors).toBeUndefined();

    const deleted = await stack.graphql<{ deleteKiboCredential: { deletedId: string } }>(
      'mutation($id: ID!) { deleteKiboCredential(id: $id) { deletedId } }',
      { id: credential.id },
      ADMIN,
    );
    expect(deleted.data!.deleteKiboCredential.deletedId).toBe(credential.id);
    const afterDelete = await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': credential.id });
    expect(errorCodes(afterDelete)).toEqual(['CREDENTIAL_NOT_FOUND']);
    const lookup = await stack.graphql('query($id: ID!) { kiboCredential(id: $id) { id } }', { id: credential.id }, ADMIN);
    expect(errorCodes(lookup)).toEqual(['CREDENTIAL_NOT_FOUND']);
  });

  it('unknown credential never falls back to another', async () => {
    const response = await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': 'no-such-credential' });
    expect(errorCodes(response)).toEqual(['CREDENTIAL_NOT_FOUND']);
    expect(response.data).toBeNull();
  });

  it('switches the default credential', async () => {
    const credential = await create({ name: 'Default switch' });
    const response = await stack.graphql<{ setDefaultKiboCredential: { credential: Credential } }>(
      'mutation($id: ID!) { setDefaultKiboCredential(id: $id) { credential { id isDefault } } }',
      { id: credential.id },
      ADMIN,
    );
    expect(response.data!.setDefaultKiboCredential.credential.isDefault).toBe(true);
    await stack.graphql(ROTATE, { id: credential.id, secret: WRONG_SECRET }, ADMIN);
    const withoutHeader = await stack.graphql(ORDERS);
    expect(errorCodes(withoutHeader)).toEqual(['KIBO_UNAUTHENTICATED']);

    await stack.graphql('mutation { setDefaultKiboCredential(id: "environment") { credential { id } } }', undefined, ADMIN);
    const backToEnvironment = await stack.graphql(ORDERS);
    expect(backToEnvironment.errors).toBeUndefined();
  });

  it('keeps tokens per credential', async () => {
    const first = await create({ name: 'Tokens one' });
    const second = await create({ name: 'Tokens two' });
    const before = tokenRequests();
    await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': first.id });
    await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': second.id });
    expect(tokenRequests() - before).toBe(2);
    await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': first.id });
    await stack.graphql(ORDERS, undefined, { 'x-kibo-credential': second.id });
    expect(tokenRequests() - before).toBe(2);
  });
});

describe('access control', () => {
  it('rejects credential operations without the admin token and changes nothing', async () => {
    const before = await stack.graphql<{ kiboCredentials: Credential[] }>(LIST, undefined, ADMIN);

    const list = await stack.graphql(LIST);
    expect(errorCodes(list)).toEqual(['UNAUTHENTICATED']);
    const created = await stack.graphql(CREATE, { input: credentialInput({ name: 'Sneaky' }) });
    expect(errorCodes(created)).toEqual(['UNAUTHENTICATED']);
    const wrongToken = await stack.graphql(CREATE, { input: credentialInput({ name: 'Sneaky' }) }, { authorization: 'Bearer not-the-admin-token' });
    expect(errorCodes(wrongToken)).toEqual(['FORBIDDEN']);
    const deleted = await stack.graphql('mutation { deleteKiboCredential(id: "environment") { deletedId } }', undefined, {
      authorization: 'Bearer nope',
    });
    expect(errorCodes(deleted)).toEqual(['FORBIDDEN']);

    const after = await stack.graphql<{ kiboCredentials: Credential[] }>(LIST, undefined, ADMIN);
    expect(after.data!.kiboCredentials).toEqual(before.data!.kiboCredentials);
  });

  it('keeps the environment credential read-only', async () => {
    const response = await stack.graphql('mutation { deleteKiboCredential(id: "environment") { deletedId } }', undefined, ADMIN);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('validation', () => {
  it.each([
    ['name', { name: '' }],
    ['name', { name: 'environment' }],
    ['clientSecret', { clientSecret: ' padded-secret-value ' }],
    ['clientSecret', { clientSecret: 'line\nbreak-secret' }],
    ['clientId', { clientId: 'tab\there' }],
    ['authHost', { authHost: 'http://kibo.example.com' }],
    ['authHost', { authHost: 'not a url' }],
    ['apiHost', { apiHost: 'ftp://t1.sandbox.mozu.com' }],
  ])('rejects a bad %s', async (field, overrides) => {
    const response = await stack.graphql(CREATE, { input: credentialInput({ name: `Bad ${field}`, ...overrides }) }, ADMIN);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    const secret = String((overrides as { clientSecret?: string }).clientSecret ?? DEMO_APPLICATION.clientSecret);
    expect(JSON.stringify(response)).not.toContain(secret.trim());
  });

  it('never echoes a secret of the wrong type', async () => {
    const response = await stack.graphql(CREATE, { input: credentialInput({ name: 'Numeric secret', clientSecret: 73914682 }) }, ADMIN);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain('input.clientSecret');
    expect(JSON.stringify(response)).not.toContain('73914682');
  });

  it('rejects a name that differs only in case', async () => {
    await create({ name: 'Case Test' });
    const response = await stack.graphql(CREATE, { input: credentialInput({ name: 'CASE test' }) }, ADMIN);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('name');
  });

  it('requires a new secret with a new client ID', async () => {
    const credential = await create({ name: 'Client change' });
    const response = await stack.graphql(
      'mutation($id: ID!) { updateKiboCredential(id: $id, input: { clientId: "other.app.1.0.0.Release" }) { credential { id } } }',
      { id: credential.id },
      ADMIN,
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('clientSecret');
  });
});

describe('concurrency', () => {
  it('keeps every acknowledged change of 200 concurrent mutations', async () => {
    const names = Array.from({ length: 100 }, (_value, index) => `Concurrent ${index}`);
    const created = await Promise.all(
      names.map((name) =>
        stack.graphql<{ createKiboCredential: { credential: Credential } }>(CREATE, { input: credentialInput({ name }) }, ADMIN),
      ),
    );
    expect(created.every((response) => response.errors === undefined)).toBe(true);
    const ids = created.map((response) => response.data!.createKiboCredential.credential.id);

    const updated = await Promise.all(
      ids.map((id, index) =>
        stack.graphql(
          'mutation($id: ID!, $description: String) { updateKiboCredential(id: $id, input: { description: $description }) { credential { id } } }',
          { id, description: `updated ${index}` },
          ADMIN,
        ),
      ),
    );
    expect(updated.every((response) => response.errors === undefined)).toBe(true);

    const listed = await stack.graphql<{ kiboCredentials: Array<Credential & { description: string | null }> }>(
      '{ kiboCredentials { id name description } }',
      undefined,
      ADMIN,
    );
    const byId = new Map(listed.data!.kiboCredentials.map((credential) => [credential.id, credential]));
    ids.forEach((id, index) => {
      expect(byId.get(id)?.name).toBe(names[index]);
      expect(byId.get(id)?.description).toBe(`updated ${index}`);
    });
  });
});

describe('storage', () => {
  it('encrypts secrets at rest and keeps credentials across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gateway-restart-'));
    try {
      const first = await startStack({ environment: { GATEWAY_DATA_DIR: dataDir }, reuseEmulator: stack.emulator });
      const secret = `${DEMO_APPLICATION.clientSecret}`;
      const created = await first.graphql<{ createKiboCredential: { credential: Credential } }>(
        CREATE,
        { input: { ...credentialInput({ name: 'Survivor' }), authHost: stack.emulator.url } },
        ADMIN,
      );
      const id = created.data!.createKiboCredential.credential.id;
      await first.close();

      for (const file of readdirSync(dataDir)) {
        const bytes = readFileSync(join(dataDir, file));
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `${file} holds the secret`).toBe(false);
        expect(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64'))), `${file} holds the secret in base64`).toBe(false);
      }

      const second = await startStack({ environment: { GATEWAY_DATA_DIR: dataDir }, reuseEmulator: stack.emulator });
      const orders = await second.graphql(ORDERS, undefined, { 'x-kibo-credential': id });
      expect(orders.errors).toBeUndefined();
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('secrets', () => {
  it('appear in no log line or response body', () => {
    const secrets = [DEMO_APPLICATION.clientSecret, WRONG_SECRET, TEST_ADMIN_TOKEN, '73914682'];
    const everything = [...observedBodies, ...observedLogs.flat()];
    expect(everything.length).toBeGreaterThan(50);
    for (const secret of secrets) {
      const leaks = everything.filter((text) => text.includes(secret));
      expect(leaks, `secret found in ${leaks.length} lines`).toEqual([]);
    }
  });
});
