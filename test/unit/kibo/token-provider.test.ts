import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, KiboError } from '../../../src/errors.js';
import type { UpstreamResponse } from '../../../src/kibo/errors.js';
import type { HttpRequest } from '../../../src/kibo/http.js';
import { Requester } from '../../../src/kibo/requester.js';
import { TokenProvider } from '../../../src/kibo/token-provider.js';
import {
  AUTH_ORIGIN,
  capturingLogger,
  deferred,
  jsonResponse,
  SECRET,
  testCredential,
  tokenBody,
} from './helpers.js';

type Responder = (request: HttpRequest, count: number) => Promise<UpstreamResponse> | UpstreamResponse;

function setup(respond: Responder, { marginSeconds = 300, requestTimeoutMs = 2_000, maxAttempts = 1 } = {}) {
  const requests: HttpRequest[] = [];
  const log = capturingLogger();
  const requester = new Requester({
    send: async (request) => {
      requests.push(request);
      return respond(request, requests.length);
    },
    requestTimeoutMs,
    maxResponseBytes: 64 * 1024,
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2, random: () => 0 },
  });
  const provider = new TokenProvider({
    requester,
    logger: log.logger,
    refreshMarginSeconds: marginSeconds,
    callTimeoutMs: requestTimeoutMs,
  });
  return { provider, requests, log };
}

const credential = testCredential();

describe('TokenProvider', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2025, 0, 1, 0, 0, 0));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('requests a token with client credentials as JSON', async () => {
    const { provider, requests } = setup(() => jsonResponse(200, tokenBody('token-1')));

    await expect(provider.getToken(credential)).resolves.toBe('token-1');

    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.origin).toBe(AUTH_ORIGIN);
    expect(request.path).toBe('/api/platform/applications/authtickets/oauth');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body!)).toEqual({
      client_id: credential.clientId,
      client_secret: SECRET,
      grant_type: 'client_credentials',
    });
  });

  it('sends one request for 50 concurrent callers at expiry', async () => {
    const pending = deferred<UpstreamResponse>();
    const { provider, requests } = setup((_request, count) =>
      count === 1 ? jsonResponse(200, tokenBody('old', 3600)) : pending.promise,
    );
    await provider.getToken(credential);
    vi.setSystemTime(Date.now() + 3600 * 1000);

    const callers = Array.from({ length: 50 }, () => provider.getToken(credential));
    await Promise.resolve();
    pending.resolve(jsonResponse(200, tokenBody('new', 3600)));
    const tokens = await Promise.all(callers);

    expect(requests).toHaveLength(2);
    expect(new Set(tokens)).toEqual(new Set(['new']));
  });

  // A 3600 s token is renewed 300 s (the margin) before expiry; a 90 s token after half its life.
  it.each([
    [3600, 3300],
    [90, 45],
  ])('renews a %i s token after %i s without making callers wait', async (expiresIn, renewAfter) => {
    const renewal = deferred<UpstreamResponse>();
    const { provider, requests } = setup((_request, count) =>
      count === 1 ? jsonResponse(200, tokenBody('t1', expiresIn)) : renewal.promise,
    );
    const start = Date.now();

    expect(await provider.getToken(credential)).toBe('t1');
    vi.setSystemTime(start + (renewAfter - 1) * 1000);
    expect(await provider.getToken(credential)).toBe('t1');
    expect(requests).toHaveLength(1);

    vi.setSystemTime(start + (renewAfter + 1) * 1000);
    expect(await provider.getToken(credential)).toBe('t1');
    expect(await provider.getToken(credential)).toBe('t1');
    expect(requests).toHaveLength(2);

    renewal.resolve(jsonResponse(200, tokenBody('t2', expiresIn)));
    await vi.waitFor(async () => expect(await provider.getToken(credential)).toBe('t2'));
    expect(requests).toHaveLength(2);
  });

  it('makes callers wait for a token about to expire', async () => {
    const { provider, requests } = setup((_request, count) => jsonResponse(200, tokenBody(`t${count}`, 3600)));
    const start = Date.now();
    await provider.getToken(credential);

    vi.setSystemTime(start + (3600 - 10) * 1000);
    expect(await provider.getToken(credential)).toBe('t2');
    expect(requests).toHaveLength(2);
  });

  it('rejects every waiter of a failed refresh and does not cache the failure', async () => {
    const failure = deferred<UpstreamResponse>();
    const { provider, requests } = setup((_request, count) =>
      count === 1 ? failure.promise : jsonResponse(200, tokenBody('recovered')),
    );

    const waiters = Array.from({ length: 10 }, () => provider.getToken(credential));
    failure.resolve(jsonResponse(503, {}));
    const results = await Promise.allSettled(waiters);

    expect(requests).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(((result as PromiseRejectedResult).reason as KiboError).code).toBe(ErrorCode.KIBO_UNAVAILABLE);
    }
    await expect(provider.getToken(credential)).resolves.toBe('recovered');
    expect(requests).toHaveLength(2);
  });

  it('keeps credentials apart', async () => {
    const { provider, requests } = setup((request) => {
      const body = JSON.parse(request.body!) as { client_id: string; client_secret: string };
      return jsonResponse(200, tokenBody(`${body.client_id}:${body.client_secret.length}`));
    });
    const other = testCredential({ id: 'cred-b', clientId: 'app.client.b' });
    const rotated = testCredential({ clientSecret: 'rotated-secret' });

    expect(await provider.getToken(credential)).toBe(`app.client.a:${SECRET.length}`);
    expect(await provider.getToken(other)).toBe(`app.client.b:${SECRET.length}`);
    expect(await provider.getToken(credential)).toBe(`app.client.a:${SECRET.length}`);
    expect(requests).toHaveLength(2);

    expect(await provider.getToken(rotated)).toBe('app.client.a:14');
    expect(requests).toHaveLength(3);
  });

  it('drops every token of a credential on invalidate', async () => {
    const { provider, requests } = setup((_request, count) => jsonResponse(200, tokenBody(`t${count}`)));
    const other = testCredential({ id: 'cred-b' });
    await provider.getToken(credential);
    await provider.getToken(other);

    provider.invalidate(credential.id);

    expect(await provider.getToken(credential)).toBe('t3');
    expect(await provider.getToken(other)).toBe('t2');
    expect(requests).toHaveLength(3);
  });

  it('does not cache a token that was in flight during invalidate', async () => {
    const first = deferred<UpstreamResponse>();
    const { provider, requests } = setup((_request, count) =>
      count === 1 ? first.promise : jsonResponse(200, tokenBody('after')),
    );

    const waiting = provider.getToken(credential);
    provider.invalidate(credential.id);
    first.resolve(jsonResponse(200, tokenBody('before')));

    expect(await waiting).toBe('before');
    expect(await provider.getToken(credential)).toBe('after');
    expect(requests).toHaveLength(2);
  });

  it('drops a rejected token only while it is still cached', async () => {
    const { provider, requests } = setup((_request, count) => jsonResponse(200, tokenBody(`t${count}`)));
    await provider.getToken(credential);

    provider.invalidateToken(credential, 'some-other-token');
    expect(await provider.getToken(credential)).toBe('t1');
    provider.invalidateToken(credential, 't1');
    expect(await provider.getToken(credential)).toBe('t2');
    expect(requests).toHaveLength(2);
  });

  it.each([400, 401, 403])('maps HTTP %i to KIBO_UNAUTHENTICATED without the secret or body', async (status) => {
    const body = { errorCode: 'UNAUTHORIZED', message: `bad secret ${SECRET}` };
    const { provider, log } = setup(() => jsonResponse(status, body));

    const error = (await provider.getToken(credential).catch((caught: unknown) => caught)) as KiboError;

    expect(error).toBeInstanceOf(KiboError);
    expect(error.code).toBe(ErrorCode.KIBO_UNAUTHENTICATED);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('bad secret');
    expect(JSON.stringify(error.extensions)).not.toContain(SECRET);
    expect(log.text()).not.toContain(SECRET);
    expect(log.lines().some((line) => line.level === 40 && line.code === ErrorCode.KIBO_UNAUTHENTICATED)).toBe(true);
  });

  it.each([
    [500, ErrorCode.KIBO_UNAVAILABLE],
    [404, ErrorCode.KIBO_UNAVAILABLE],
    [429, ErrorCode.KIBO_RATE_LIMITED],
  ])('maps HTTP %i to %s', async (status, code) => {
    const { provider } = setup(() => jsonResponse(status, {}));
    await expect(provider.getToken(credential)).rejects.toMatchObject({ code });
  });

  it('maps a network failure to KIBO_UNAVAILABLE', async () => {
    const { provider } = setup(() => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    });
    await expect(provider.getToken(credential)).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAVAILABLE });
  });

  it('rejects a malformed token response', async () => {
    const { provider } = setup(() => jsonResponse(200, { access_token: '', expires_in: 3600 }));
    await expect(provider.getToken(credential)).rejects.toMatchObject({ code: ErrorCode.KIBO_BAD_RESPONSE });
  });

  it('returns expiry and duration from requestToken, never the token', async () => {
    const { provider, requests } = setup(() => jsonResponse(200, tokenBody('verified', 1800)));
    const before = Date.now();

    const check = await provider.requestToken(credential);

    expect(Object.keys(check).sort()).toEqual(['durationMs', 'expiresAt']);
    expect(check.expiresAt.getTime()).toBe(before + 1800 * 1000);
    expect(check.durationMs).toBeGreaterThanOrEqual(0);
    expect(await provider.getToken(credential)).toBe('verified');
    expect(requests).toHaveLength(1);
  });

  it('lets one caller stop waiting while the shared request goes on', async () => {
    const pending = deferred<UpstreamResponse>();
    const { provider, requests } = setup(() => pending.promise);
    const abort = new AbortController();

    const impatient = provider.getToken(credential, abort.signal);
    const patient = provider.getToken(credential);
    abort.abort(new Error('client went away'));
    pending.resolve(jsonResponse(200, tokenBody('shared')));

    await expect(impatient).rejects.toThrow('client went away');
    await expect(patient).resolves.toBe('shared');
    expect(requests).toHaveLength(1);
  });
});

describe('TokenProvider timeout', () => {
  it('times out and aborts a silent request', async () => {
    let upstreamSignal: AbortSignal | undefined;
    const { provider } = setup(
      (request) =>
        new Promise<UpstreamResponse>((_resolve, reject) => {
          upstreamSignal = request.signal;
          request.signal.addEventListener('abort', () => reject(request.signal.reason));
        }),
      { requestTimeoutMs: 50 },
    );

    await expect(provider.getToken(credential)).rejects.toMatchObject({ code: ErrorCode.KIBO_TIMEOUT });
    expect(upstreamSignal?.aborted).toBe(true);
  });
});
