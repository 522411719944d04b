import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { CredentialService } from '../../src/credentials/index.js';
import { createLogger } from '../../src/logger.js';
import { createGateway, type Gateway } from '../../src/server.js';
import { environmentResolver } from '../../src/start.js';
import { startEmulator, type RunningEmulator } from '../emulator/server.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { startStack, TEST_ADMIN_TOKEN, waitFor } from './harness.js';

const QUERY = '{ orders(first: 1) { nodes { id } } }';
const ORDERS = '/api/commerce/orders';

let emulator: RunningEmulator;
let gatewayProcess: GatewayProcess | undefined;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  emulator.clearFaults();
  await gatewayProcess?.dispose();
  gatewayProcess = undefined;
});

afterAll(async () => {
  await emulator.close();
});

function sendQuery(url: string) {
  return request(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  }).then(async (response) => {
    const body = (await response.body.json()) as Record<string, unknown>;
    return { status: response.statusCode, body };
  });
}

/** Opens a TCP connection; resolves with the socket, or rejects with the connection error. */
function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads from `socket` until the status line of a response has arrived, and returns its status code. */
function readStatus(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection closed after ${JSON.stringify(text)}`)));
  });
}

/** Waits until the gateway has logged the arrival of `count` GraphQL requests. */
function waitForGraphqlRequests(gateway: GatewayProcess, count: number): Promise<void> {
  const arrived = () =>
    gateway.logs.filter((line) => line.msg === 'incoming request' && (line.req as { url?: string }).url === '/graphql');
  return waitFor(() => arrived().length >= count, `${count} GraphQL requests to arrive`);
}

async function connectionError(url: string): Promise<string | undefined> {
  try {
    (await openSocket(url)).destroy();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

describe('SIGTERM', () => {
  it('finishes in-flight requests, refuses new ones and exits 0', async () => {
    gatewayProcess = await startGatewayProcess(emulator, { GATEWAY_SHUTDOWN_GRACE_MS: '10000' });
    const { url } = gatewayProcess;
    expect((await sendQuery(url)).status).toBe(200);

    emulator.addFault({ match: ORDERS, delayMs: 1_500 });
    let slowFinished = false;
    const slow = sendQuery(url).finally(() => {
      slowFinished = true;
    });
    await waitForGraphqlRequests(gatewayProcess, 2);
    // A request whose headers are still arriving when the shutdown starts gets a 503 response.
    const readiness = await openSocket(url);
    readiness.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));

    gatewayProcess.child.kill('SIGTERM');
    await gatewayProcess.waitForLog('Gateway stopping');
    // The server stops listening a moment after the log line, so the first connections may still succeed.
    let refusal: string | undefined;
    for (let attempt = 0; attempt < 20 && refusal !== 'ECONNREFUSED'; attempt += 1) {
      refusal = await connectionError(url);
      if (refusal !== 'ECONNREFUSED') await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(refusal).toBe('ECONNREFUSED');
    expect(slowFinished).toBe(false);

    const readinessStatus = readStatus(readiness);
    readiness.write('\r\n');
    expect(await readinessStatus).toBe(503);
    readiness.destroy();

    const response = await slow;
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(await gatewayProcess.exited).toBe(0);
    expect(gatewayProcess.logs.some((line) => line.msg === 'Gateway stopped')).toBe(true);
  });

  it('closes what is left after the grace period and exits 0', async () => {
    gatewayProcess = await startGatewayProcess(emulator, { GATEWAY_SHUTDOWN_GRACE_MS: '300' });
    const { url } = gatewayProcess;
    emulator.addFault({ match: ORDERS, delayMs: 10_000 });
    const slow = sendQuery(url);
    await waitForGraphqlRequests(gatewayProcess, 1);

    const startedAt = performance.now();
    gatewayProcess.child.kill('SIGTERM');

    await expect(slow).rejects.toThrow();
    expect(await gatewayProcess.exited).toBe(0);
    expect(performance.now() - startedAt).toBeLessThan(5_000);
    expect(gatewayProcess.logs.some((line) => String(line.msg).startsWith('Shutdown grace period ran out'))).toBe(true);
  });
});

describe('health endpoints', () => {
  it('answers /healthz and /readyz while running', async () => {
    const stack = await startStack({ reuseEmulator: emulator });
    try {
      const health = await request(`${stack.graphqlUrl.replace(/\/graphql$/, '')}/healthz`);
      expect(health.statusCode).toBe(200);
      expect(await health.body.json()).toEqual({ status: 'ok' });

      const ready = await request(`${stack.graphqlUrl.replace(/\/graphql$/, '')}/readyz`);
      expect(ready.statusCode).toBe(200);
      expect(await ready.body.json()).toEqual({ status: 'ready' });
    } finally {
      await stack.close();
    }
  });

  it('reports not ready when the credential store fails', async () => {
    const config = loadConfig({ PORT: '0', GATEWAY_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
    const failingStore = {
      list: async () => {
        throw new Error('database is locked');
      },
      close: async () => undefined,
    } as unknown as CredentialService;
    const gateway: Gateway = await createGateway({
      config,
      logger: createLogger({ level: 'silent' }),
      credentials: environmentResolver(config),
      credentialService: failingStore,
    });
    try {
      const baseUrl = await gateway.listen();
      const health = await request(`${baseUrl}/healthz`);
      expect(health.statusCode).toBe(200);
      await health.body.dump();

      const ready = await request(`${baseUrl}/readyz`);
      expect(ready.statusCode).toBe(503);
      expect(await ready.body.json()).toEqual({ status: 'unavailable' });
    } finally {
      await gateway.close();
    }
  });
});
