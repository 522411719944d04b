import type { MockAgent } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { KiboClient } from '../../../src/kibo/client.js';
import { kiboPath } from '../../../src/kibo/path.js';
import { contextFromTenant, originFromDomain } from '../../../src/kibo/tenant.js';
import {
  API_ORIGIN,
  AUTH_ORIGIN,
  capturingLogger,
  mockKibo,
  testCredential,
  testSettings,
  tokenBody,
  type MockReply,
  type RecordedRequest,
} from './helpers.js';

const SITE_ORIGIN = 'https://t100-s200.sandbox.kibo.test';
const TENANT_PATH = '/api/platform/tenants/100';
const tenantRecord = {
  id: 100,
  domain: 't100.sandbox.kibo.test',
  sites: [
    { id: 200, domain: 't100-s200.sandbox.kibo.test', catalogId: 5 },
    { id: 201, domain: '', catalogId: 6 },
  ],
  masterCatalogs: [
    { id: 9, catalogs: [{ id: 5, masterCatalogId: 9 }] },
    { id: 10, catalogs: [{ id: 6, masterCatalogId: 10 }] },
  ],
};
const lookedUp = testCredential({ apiHost: undefined, catalogId: undefined, masterCatalogId: undefined });
const ordersPath = kiboPath`/commerce/orders`;

let agents: MockAgent[] = [];

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(agents.map((agent) => agent.close()));
  agents = [];
});

function setup(
  tenantReply: (request: RecordedRequest) => MockReply = () => ({ status: 200, json: tenantRecord }),
  cacheSeconds = 3_600,
) {
  const mock = mockKibo([AUTH_ORIGIN, API_ORIGIN, SITE_ORIGIN], (request) => {
    if (request.path === '/api/platform/applications/authtickets/oauth') return { status: 200, json: tokenBody('tok') };
    if (request.path === TENANT_PATH) return tenantReply(request);
    return { status: 200, json: { items: [], totalCount: 0 } };
  });
  agents.push(mock.agent);
  const client = new KiboClient({
    settings: testSettings({ tenantCacheSeconds: cacheSeconds }),
    logger: capturingLogger().logger,
    dispatcher: mock.agent,
    maxAttempts: 1,
  });
  const tenantRequests = () => mock.requests.filter((request) => request.path === TENANT_PATH);
  const dataRequests = () => mock.requests.filter((request) => request.path.startsWith('/api/commerce'));
  return { client, tenantRequests, dataRequests };
}

describe('tenant lookup', () => {
  it('shares one lookup among concurrent calls', async () => {
    const { client, tenantRequests, dataRequests } = setup();

    await Promise.all(Array.from({ length: 20 }, () => client.get(lookedUp, ordersPath)));

    expect(tenantRequests()).toHaveLength(1);
    expect(tenantRequests()[0]!.origin).toBe(AUTH_ORIGIN);
    expect(tenantRequests()[0]!.headers.authorization).toBe('Bearer tok');
    expect(dataRequests()).toHaveLength(20);
    for (const request of dataRequests()) {
      expect(request.origin).toBe(SITE_ORIGIN);
      expect(request.headers).toMatchObject({
        'x-vol-tenant': '100',
        'x-vol-site': '200',
        'x-vol-catalog': '5',
        'x-vol-master-catalog': '9',
      });
    }
  });

  it('caches the record until tenantCacheSeconds pass', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { client, tenantRequests } = setup(undefined, 60);

    await client.get(lookedUp, ordersPath);
    vi.setSystemTime(Date.now() + 59_000);
    await client.get(lookedUp, ordersPath);
    expect(tenantRequests()).toHaveLength(1);

    vi.setSystemTime(Date.now() + 2_000);
    await client.get(lookedUp, ordersPath);
    expect(tenantRequests()).toHaveLength(2);
  });

  it('looks up again after forgetCredential', async () => {
    const { client, tenantRequests } = setup();
    await client.get(lookedUp, ordersPath);
    client.forgetCredential(lookedUp.id);
    await client.get(lookedUp, ordersPath);
    expect(tenantRequests()).toHaveLength(2);
  });

  it('does not cache a failed lookup', async () => {
    let calls = 0;
    const { client, tenantRequests } = setup(() => {
      calls += 1;
      return calls === 1 ? { status: 500, json: {} } : { status: 200, json: tenantRecord };
    });

    await expect(client.get(lookedUp, ordersPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAVAILABLE });
    await expect(client.get(lookedUp, ordersPath)).resolves.toBeDefined();
    expect(tenantRequests()).toHaveLength(2);
  });

  it('maps an unknown tenant to KIBO_BAD_REQUEST', async () => {
    const { client, dataRequests } = setup(() => ({ status: 404, json: { errorCode: 'ITEM_NOT_FOUND' } }));
    const error = await client.get(lookedUp, ordersPath).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: ErrorCode.KIBO_BAD_REQUEST, status: 404 });
    expect(dataRequests()).toHaveLength(0);
  });

  it('skips the lookup when the credential names an API host', async () => {
    const { client, tenantRequests, dataRequests } = setup();
    await client.get(testCredential(), ordersPath);
    expect(tenantRequests()).toHaveLength(0);
    expect(dataRequests()[0]!.origin).toBe(API_ORIGIN);
  });

  it('rejects a site that is not in the tenant', async () => {
    const { client } = setup();
    await expect(client.get(testCredential({ apiHost: undefined, siteId: 999 }), ordersPath)).rejects.toMatchObject({
      code: ErrorCode.KIBO_BAD_REQUEST,
    });
  });

  it('returns the record from client.tenant', async () => {
    const { client } = setup();
    await expect(client.tenant(lookedUp)).resolves.toMatchObject({ id: 100 });
  });
});

describe('contextFromTenant', () => {
  it('falls back to the tenant domain when the site has none', () => {
    const credential = testCredential({ apiHost: undefined, siteId: 201, catalogId: undefined, masterCatalogId: undefined });
    const context = contextFromTenant(credential, tenantRecord);
    expect(context).toEqual({ origin: API_ORIGIN, tenantId: 100, siteId: 201, catalogId: 6, masterCatalogId: 10 });
  });

  it('prefers the credential catalog ids', () => {
    const context = contextFromTenant(testCredential({ apiHost: undefined }), tenantRecord);
    expect(context.catalogId).toBe(1);
    expect(context.masterCatalogId).toBe(2);
  });

  it('uses the only master catalog when no site is set', () => {
    const record = { domain: 'x.kibo.test', masterCatalogs: [{ id: 3 }] };
    const credential = testCredential({ apiHost: undefined, siteId: undefined, catalogId: undefined, masterCatalogId: undefined });
    const context = contextFromTenant(credential, record);
    expect(context).toMatchObject({ siteId: undefined, catalogId: undefined, masterCatalogId: 3 });
  });

  it('rejects a record without a domain', () => {
    expect(() => contextFromTenant(testCredential({ apiHost: undefined, siteId: undefined }), {})).toThrow(
      expect.objectContaining({ code: ErrorCode.KIBO_BAD_RESPONSE }),
    );
  });
});

describe('originFromDomain', () => {
  it('takes the auth host scheme for a loopback domain', () => {
    expect(originFromDomain('127.0.0.1:8123', 'http://127.0.0.1:8000')).toBe('http://127.0.0.1:8123');
    expect(originFromDomain('localhost:8123', 'http://localhost:8000')).toBe('http://localhost:8123');
  });

  it('uses https for any other domain', () => {
    expect(originFromDomain('t1.sandbox.mozu.com', 'http://127.0.0.1:8000')).toBe('https://t1.sandbox.mozu.com');
    expect(originFromDomain('t1.sandbox.mozu.com', 'https://home.mozu.com')).toBe('https://t1.sandbox.mozu.com');
    expect(originFromDomain('127.0.0.1:9', 'https://home.mozu.com')).toBe('https://127.0.0.1:9');
  });

  it.each(['t1.mozu.com/evil', 'user@t1.mozu.com', 't1.mozu.com?x', '', 'a b', 't1.mozu.com#x'])('rejects %j', (domain) => {
    expect(() => originFromDomain(domain, 'https://home.mozu.com')).toThrow(
      expect.objectContaining({ code: ErrorCode.KIBO_BAD_RESPONSE }),
    );
  });
});
