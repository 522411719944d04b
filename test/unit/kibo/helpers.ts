import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockAgent } from 'undici';
import { loadConfig, type KiboClientSettings } from '../../../src/config.js';
import { createLogger, type Logger } from '../../../src/logger.js';
import type { UpstreamResponse } from '../../../src/kibo/errors.js';
import type { KiboCredential } from '../../../src/kibo/types.js';

/** Client settings for tests: the defaults with short timeouts and small limits. */
export function testSettings(overrides: Partial<KiboClientSettings> = {}): KiboClientSettings {
  return {
    ...loadConfig({ GATEWAY_DEMO: 'true' }).kibo,
    requestTimeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    maxResponseBytes: 64 * 1024,
    filterBatchSize: 50,
    ...overrides,
  };
}

export const AUTH_ORIGIN = 'https://home.kibo.test';
export const API_ORIGIN = 'https://t100.sandbox.kibo.test';
export const SECRET = 'shared-secret-Zq9!never-log-me';

export function testCredential(overrides: Partial<KiboCredential> = {}): KiboCredential {
  return {
    id: 'cred-a',
    clientId: 'app.client.a',
    clientSecret: SECRET,
    tenantId: 100,
    siteId: 200,
    catalogId: 1,
    masterCatalogId: 2,
    apiHost: API_ORIGIN,
    authHost: AUTH_ORIGIN,
    ...overrides,
  };
}

/** Creates a logger that keeps every line, so tests can check levels, fields and that no secret is written. */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void raw.push(line) } });
  return {
    logger,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => raw.join(''),
  };
}

/** Builds a buffered response as `HttpSend` returns it. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): UpstreamResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
  };
}

export function tokenBody(token: string, expiresIn = 3600): Record<string, unknown> {
  return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, refresh_token: 'refresh-x' };
}

/** Creates a promise with its resolve and reject functions exposed. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A request as a mock or a loopback server received it. */
export interface RecordedRequest {
  origin: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What a test handler replies: a JSON body, or raw text. */
export interface MockReply {
  status: number;
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

function normalizeHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  const entries: Array<[string, unknown]> =
    headers instanceof Headers
      ? [...headers.entries()]
      : Array.isArray(headers)
        ? (headers as unknown[][]).map(([key, value]) => [String(key), value])
        : Object.entries((headers ?? {}) as Record<string, unknown>);
  for (const [key, value] of entries) result[key.toLowerCase()] = String(value);
  return result;
}

/**
 * Routes every request to the given origins through `handler` on an undici MockAgent with network access
 * disabled, and records each request.
 */
export function mockKibo(origins: readonly string[], handler: (request: RecordedRequest) => MockReply) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const requests: RecordedRequest[] = [];
  for (const origin of origins) {
    agent
      .get(origin)
      .intercept({ path: () => true, method: () => true })
      .reply((options) => {
        const request: RecordedRequest = {
          origin,
          method: options.method,
          path: options.path,
          headers: normalizeHeaders(options.headers),
          body: typeof options.body === 'string' ? options.body : undefined,
        };
        requests.push(request);
        const reply = handler(request);
        let data = reply.raw ?? '';
        const headers: Record<string, string> = {};
        if (reply.raw === undefined && reply.json !== undefined) {
          data = JSON.stringify(reply.json);
          headers['content-type'] = 'application/json';
        }
        Object.assign(headers, reply.headers);
        return { statusCode: reply.status, data, responseOptions: { headers } };
      })
      .persist();
  }
  return { agent, requests };
}

/** Starts an HTTP server on 127.0.0.1 on a free port. */
export async function startServer(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
