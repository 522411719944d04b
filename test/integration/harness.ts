import { afterAll, beforeAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { loadConfig, type GatewayConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Gateway } from '../../src/server.js';
import { openGateway } from '../../src/start.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator/server.js';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data?: Data | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export interface TestStack {
  emulator: RunningEmulator;
  gateway: Gateway;
  /** Folder of the gateway's credential database, removed by `close`. */
  dataDir: string;
  config: GatewayConfig;
  graphqlUrl: string;
  /** Every line the gateway logged, as raw JSON text. */
  logLines: string[];
  graphql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  close(): Promise<void>;
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Every response body seen by any stack in this process, for the secret-leak check. */
export const observedBodies: string[] = [];
/** The log lines of every stack started in this process. */
export const observedLogs: string[][] = [];

/**
 * Starts an emulator and a gateway wired to it on loopback ports chosen by the OS. `environment` adds or
 * overrides gateway settings.
 */
export async function startStack(
  options: { environment?: Record<string, string>; emulator?: EmulatorOptions; reuseEmulator?: RunningEmulator } = {},
): Promise<TestStack> {
  const emulator = options.reuseEmulator ?? (await startEmulator({ port: 0, ...options.emulator }));
  const application = emulator.application;
  // A caller that passes GATEWAY_DATA_DIR keeps the folder, for example to restart a gateway on it.
  const ownDataDir = options.environment?.GATEWAY_DATA_DIR === undefined;
  const dataDir = options.environment?.GATEWAY_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'gateway-test-'));
  const config = loadConfig({
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    KIBO_CLIENT_ID: application.clientId,
    KIBO_CLIENT_SECRET: application.clientSecret,
    KIBO_TENANT_ID: String(application.tenantId),
    KIBO_SITE_ID: String(application.siteId),
    KIBO_AUTH_HOST: emulator.url,
    ...options.environment,
  });

  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  observedLogs.push(logLines);
  const gateway = await openGateway(config, logger);
  const baseUrl = await gateway.listen();
  const graphqlUrl = `${baseUrl}/graphql`;

  return {
    emulator,
    gateway,
    dataDir,
    config,
    graphqlUrl,
    logLines,
    async graphql(query, variables, headers = {}) {
      const response = await request(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.body.text();
      observedBodies.push(text);
      const body = JSON.parse(text) as Omit<GraphQLResponse, 'status' | 'headers'>;
      return { status: response.statusCode, headers: response.headers, ...body } as never;
    },
    async close() {
      await gateway.close();
      if (!options.reuseEmulator) await emulator.close();
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Returns the codes of a response's errors, in order. */
export function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/**
 * Starts one stack for the enclosing test file or `describe` block, clears the emulator's request log before
 * each test, and closes the stack afterwards. Returns a getter because the stack exists only once the hook ran.
 */
export function useStack(options: Parameters<typeof startStack>[0] = {}): () => TestStack {
  let stack: TestStack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack?.emulator.clearRequests();
  });
  return () => {
    if (!stack) throw new Error('The test stack has not started; call useStack at the top of a file or describe block.');
    return stack;
  };
}

/**
 * Polls `condition` every 10 ms until it holds.
 * @throws Error naming `what` when it still does not hold after `timeoutMs`.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const startedAt = Date.now();
  while (!condition()) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Returns how many requests with `method` and exactly `path` the emulator has logged since it was last cleared. */
export function upstreamAttempts(emulator: RunningEmulator, method: string, path: string): number {
  return emulator.requests().filter((entry) => entry.method === method && entry.path === path).length;
}
