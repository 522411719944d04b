import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTenant } from './data.js';
import { getJson, issueToken, send } from './http-helpers.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, startEmulator, type RunningEmulator } from './server.js';

const TOKEN_PATH = '/api/platform/applications/authtickets/oauth';

function credentials(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, grant_type: 'client_credentials', ...overrides };
}

function expectEnvelope(body: unknown, errorCode: string, correlationId: unknown): void {
  expect(body).toMatchObject({
    errorCode,
    message: expect.any(String),
    applicationName: expect.any(String),
    additionalErrorData: expect.any(Array),
    items: [],
  });
  expect((body as { correlationId: string }).correlationId).toBe(correlationId);
}

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ data: generateTenant({ products: 40, customers: 10, orders: 20 }) });
});

afterAll(async () => {
  await emulator.close();
});

describe('token endpoint', () => {
  it('issues a bearer token to the demo application', async () => {
    const response = await send(emulator, 'POST', TOKEN_PATH, { body: credentials() });

    expect(response.status).toBe(200);
    expect(response.headers['x-vol-correlation']).toMatch(/^[0-9a-f]{32}$/);
    expect(response.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{20,}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^[\w-]{20,}$/),
    });
  });

  it('issues a different token each time', async () => {
    expect(await issueToken(emulator)).not.toBe(await issueToken(emulator));
  });

  it('rejects a wrong secret with 401 and the envelope', async () => {
    const response = await send(emulator, 'POST', TOKEN_PATH, { body: credentials({ client_secret: 'wrong' }) });

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expectEnvelope(response.body, 'UNAUTHORIZED', response.headers['x-vol-correlation']);
    expect(JSON.stringify(response.body)).not.toContain('wrong');
  });

  it('rejects an unknown client id with 401', async () => {
    const response = await send(emulator, 'POST', TOKEN_PATH, { body: credentials({ client_id: 'someone.else.1.0.0.Release' }) });

    expect(response.status).toBe(401);
    expectEnvelope(response.body, 'UNAUTHORIZED', response.headers['x-vol-correlation']);
  });

  it.each([
    ['client_id', credentials({ client_id: undefined })],
    ['client_secret', credentials({ client_secret: '' })],
    ['grant_type', credentials({ grant_type: undefined })],
    ['grant_type', credentials({ grant_type: 'password' })],
    ['body', ['not', 'an', 'object']],
  ])('rejects a missing or invalid %s with 400', async (parameter, body) => {
    const response = await send(emulator, 'POST', TOKEN_PATH, { body });

    expect(response.status).toBe(400);
    expectEnvelope(response.body, 'MISSING_OR_INVALID_PARAMETER', response.headers['x-vol-correlation']);
    expect((response.body as { additionalErrorData: unknown[] }).additionalErrorData).toContainEqual({
      name: 'ParameterName',
      value: parameter,
    });
  });

  it('rejects a request without a body with 400', async () => {
    const response = await send(emulator, 'POST', TOKEN_PATH);

    expect(response.status).toBe(400);
    expectEnvelope(response.body, 'MISSING_OR_INVALID_PARAMETER', response.headers['x-vol-correlation']);
  });

  it('rejects an empty JSON body with 400', async () => {
    const response = await send(emulator, 'POST', TOKEN_PATH, { headers: { 'content-type': 'application/json' } });

    expect(response.status).toBe(400);
    expectEnvelope(response.body, 'MISSING_OR_INVALID_PARAMETER', response.headers['x-vol-correlation']);
  });

  it('rejects malformed JSON with 400', async () => {
    const response = await request(`${emulator.url}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"client_id":',
    });
    const body: unknown = await response.body.json();

    expect(response.statusCode).toBe(400);
    expectEnvelope(body, 'MISSING_OR_INVALID_PARAMETER', response.headers['x-vol-correlation']);
  });

  it('renews with a refresh token it issued and rejects an unknown one', async () => {
    const first = await send(emulator, 'POST', TOKEN_PATH, { body: credentials() });
    const refreshToken = (first.body as { refresh_token: string }).refresh_token;

    const renewed = await send(emulator, 'POST', TOKEN_PATH, { body: credentials({ refresh_token: refreshToken }) });
    const unknown = await send(emulator, 'POST', TOKEN_PATH, { body: credentials({ refresh_token: 'not-issued' }) });

    expect(renewed.status).toBe(200);
    expect(unknown.status).toBe(401);
  });
});

describe('bearer authentication', () => {
  const path = `/api/platform/tenants/${DEMO_TENANT_ID}`;

  it('rejects a request without a token', async () => {
    const response = await send(emulator, 'GET', path);

    expect(response.status).toBe(401);
    expectEnvelope(response.body, 'UNAUTHORIZED', response.headers['x-vol-correlation']);
  });

  it('rejects an unknown token', async () => {
    const response = await getJson(emulator, path, 'not-a-token');

    expect(response.status).toBe(401);
  });

  it('rejects a header without the Bearer scheme', async () => {
    const token = await issueToken(emulator);
    const response = await send(emulator, 'GET', path, { headers: { authorization: token } });

    expect(response.status).toBe(401);
  });

  it('rejects an expired token', async () => {
    const shortLived = await startEmulator({ data: emulator.data, tokenTtlSeconds: 0 });
    try {
      const token = await issueToken(shortLived);
      const response = await getJson(shortLived, path, token);

      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ errorCode: 'UNAUTHORIZED' });
    } finally {
      await shortLived.close();
    }
  });
});

describe('tenant endpoint', () => {
  it('returns the tenant with the emulator as its domain', async () => {
    const token = await issueToken(emulator);
    const response = await getJson(emulator, `/api/platform/tenants/${DEMO_TENANT_ID}`, token);
    const domain = new URL(emulator.url).host;

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: DEMO_TENANT_ID,
      isDevTenant: true,
      domain,
      sites: [
        {
          id: emulator.application.siteId,
          tenantId: DEMO_TENANT_ID,
          catalogId: emulator.application.catalogId,
          localeCode: 'en-US',
          countryCode: 'US',
          currencyCode: 'USD',
          domain,
        },
      ],
      masterCatalogs: [{ id: emulator.application.masterCatalogId, catalogs: [{ id: emulator.application.catalogId }] }],
    });
  });

  it('answers an unknown tenant with ITEM_NOT_FOUND', async () => {
    const token = await issueToken(emulator);
    const response = await getJson(emulator, '/api/platform/tenants/99999', token);

    expect(response.status).toBe(404);
    expectEnvelope(response.body, 'ITEM_NOT_FOUND', response.headers['x-vol-correlation']);
  });

  it('answers a non-integer tenant id with 400', async () => {
    const token = await issueToken(emulator);
    const response = await getJson(emulator, '/api/platform/tenants/abc', token);

    expect(response.status).toBe(400);
  });
});

describe('unknown routes', () => {
  it('answer 404 with the envelope', async () => {
    const response = await send(emulator, 'GET', '/api/commerce/nothing-here');

    expect(response.status).toBe(404);
    expectEnvelope(response.body, 'ROUTE_NOT_FOUND', response.headers['x-vol-correlation']);
  });

  it('answer a malformed percent-encoding with 400', async () => {
    const token = await issueToken(emulator);
    const response = await getJson(emulator, '/api/commerce/catalog/admin/products/%ZZ', token);

    expect(response.status).toBe(400);
    expectEnvelope(response.body, 'MISSING_OR_INVALID_PARAMETER', response.headers['x-vol-correlation']);
    expect(emulator.requests().at(-1)).toEqual({
      method: 'GET',
      path: '/api/commerce/catalog/admin/products/%ZZ',
      query: {},
      status: 400,
    });
  });
});
