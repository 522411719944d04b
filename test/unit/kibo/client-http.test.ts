import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, KiboError } from '../../../src/errors.js';
import { KiboClient } from '../../../src/kibo/client.js';
import { kiboPath } from '../../../src/kibo/path.js';
import type { KiboClientSettings } from '../../../src/config.js';
import { capturingLogger, startServer, testCredential, testSettings, tokenBody } from './helpers.js';

/*
 * These tests run the client with its own undici Agent against HTTP servers on 127.0.0.1, to check what a mock
 * dispatcher cannot show: aborted sockets, streamed bodies, refused and reset connections and raw paths.
 */

const TOKEN_PATH = '/api/platform/applications/authtickets/oauth';

type DataHandler = (request: IncomingMessage, response: ServerResponse) => void;

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(handleData: DataHandler, settings: Partial<KiboClientSettings> = {}, maxAttempts = 3) {
  const dataUrls: string[] = [];
  const closed: string[] = [];
  const server = await startServer((request, response) => {
    if (request.url === TOKEN_PATH) {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(tokenBody('loopback-token')));
      return;
    }
    dataUrls.push(request.url ?? '');
    // 'close' on the response fires when the socket closes before the response finished, i.e. an abort.
    response.on('close', () => {
      if (!response.writableFinished) closed.push(request.url ?? '');
    });
    handleData(request, response);
  });
  const log = capturingLogger();
  const client = new KiboClient({
    settings: testSettings(settings),
    logger: log.logger,
    maxAttempts,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 10,
  });
  cleanups.push(async () => {
    await client.close();
    await server.close();
  });
  const credential = testCredential({ authHost: server.origin, apiHost: server.origin });
  return { client, credential, server, dataUrls, closed, log };
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const startedAt = Date.now();
  while (!condition()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ordersPath = kiboPath`/commerce/orders`;

describe('KiboClient over loopback HTTP', () => {
  it('times out a silent upstream and aborts its request', async () => {
    const { client, credential, closed } = await setup(() => undefined, { requestTimeoutMs: 200 });

    await expect(client.get(credential, ordersPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_TIMEOUT });
    await waitFor(() => closed.length === 1);
  });

  it('times out a body that trickles past the request timeout', async () => {
    // Each byte arrives well within undici's bodyTimeout, so only the whole-call timeout can end this.
    const { client, credential, closed } = await setup(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"items": [');
        const timer = setInterval(() => response.write(' '), 20);
        response.on('close', () => clearInterval(timer));
      },
      { requestTimeoutMs: 300 },
    );
    const startedAt = Date.now();

    await expect(client.get(credential, ordersPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_TIMEOUT });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    await waitFor(() => closed.length === 1);
  });

  it('ends a call at the caller deadline with KIBO_TIMEOUT', async () => {
    const { client, credential, closed, log } = await setup(() => undefined, { requestTimeoutMs: 10_000 });
    const startedAt = Date.now();

    const call = client.get(credential, ordersPath, undefined, { deadline: Date.now() + 200 });

    await expect(call).rejects.toMatchObject({ code: ErrorCode.KIBO_TIMEOUT });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    await waitFor(() => closed.length === 1);
    expect(log.lines().some((line) => line.msg === 'Kibo call failed' && line.code === ErrorCode.KIBO_TIMEOUT)).toBe(true);
  });

  it('logs a timeout from the caller as a failure, not an abort', async () => {
    const { client, credential, log } = await setup(() => undefined, { requestTimeoutMs: 10_000 });
    const caller = new AbortController();
    const timeout = new KiboError(ErrorCode.KIBO_TIMEOUT, 'The request timed out.');
    setTimeout(() => caller.abort(timeout), 50);

    const call = client.get(credential, ordersPath, undefined, { signal: caller.signal });

    await expect(call).rejects.toBe(timeout);
    expect(log.lines().some((line) => line.aborted === true)).toBe(false);
    expect(log.lines().some((line) => line.msg === 'Kibo call failed' && line.code === ErrorCode.KIBO_TIMEOUT)).toBe(true);
  });

  it('aborts the upstream request when the caller aborts', async () => {
    const { client, credential, closed, dataUrls } = await setup(() => undefined, { requestTimeoutMs: 10_000 });
    const abort = new AbortController();
    const reason = new Error('client disconnected');

    const call = client.get(credential, ordersPath, undefined, { signal: abort.signal });
    await waitFor(() => dataUrls.length === 1);
    const abortedAt = Date.now();
    abort.abort(reason);

    await expect(call).rejects.toBe(reason);
    await waitFor(() => closed.length === 1, 1_000);
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
  });

  it('stops reading a streamed body over the limit and closes the connection', async () => {
    const { client, credential, closed } = await setup(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => response.write('x'.repeat(1_024)), 2);
        response.on('close', () => clearInterval(timer));
      },
      { maxResponseBytes: 8 * 1_024 },
    );

    await expect(client.get(credential, ordersPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_RESPONSE_TOO_LARGE });
    await waitFor(() => closed.length === 1);
  });

  it('sends awkward path values literally', async () => {
    const { client, credential, dataUrls } = await setup((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });

    await client.get(credential, kiboPath`/commerce/catalog/admin/products/${'..'}`);
    await client.get(credential, kiboPath`/commerce/catalog/admin/products/${'a/b?c=1#d e'}`);

    expect(dataUrls).toEqual([
      '/api/commerce/catalog/admin/products/%2E%2E',
      '/api/commerce/catalog/admin/products/a%2Fb%3Fc%3D1%23d%20e',
    ]);
  });

  it('retries a connection reset and then succeeds', async () => {
    let calls = 0;
    const { client, credential, dataUrls } = await setup((request, response) => {
      calls += 1;
      if (calls === 1) {
        request.socket.destroy();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });

    await expect(client.get(credential, ordersPath)).resolves.toEqual({ ok: true });
    expect(dataUrls).toHaveLength(2);
  });

  it('retries a refused connection and reports KIBO_UNAVAILABLE', async () => {
    const closedPort = await startServer(() => undefined);
    await closedPort.close();
    const { client, credential, log } = await setup(() => undefined);

    const call = client.get({ ...credential, apiHost: closedPort.origin }, ordersPath);

    await expect(call).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAVAILABLE });
    const retries = log.lines().filter((line) => line.msg === 'Retrying Kibo call');
    expect(retries.map((line) => line.reason)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    const failure = log.lines().find((line) => String(line.msg).startsWith('Kibo call failed'));
    expect(failure).toMatchObject({ level: 50, socketErrorCode: 'ECONNREFUSED' });
  });

  it('resolves a loopback tenant domain to plain http', async () => {
    let port = 0;
    const { client, credential, dataUrls } = await setup((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/api/platform/tenants/100') {
        response.end(JSON.stringify({ id: 100, domain: `127.0.0.1:${port}`, sites: [{ id: 200, catalogId: 1 }] }));
        return;
      }
      response.end('{"items":[]}');
    });
    port = Number(new URL(credential.authHost).port);

    await client.get({ ...credential, apiHost: undefined }, ordersPath);

    expect(dataUrls).toEqual(['/api/platform/tenants/100', '/api/commerce/orders']);
  });
});
