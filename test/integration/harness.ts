import { Writable } from 'node:stream';
import { request } from 'undici';
import { loadConfig, type GatewayConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createGateway, type Gateway } from '../../src/server.js';
import { environmentResolver } from '../../src/start.js';
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

/** Every response body seen by any stack in this process, for the secret-leak check. */
export const observedBodies: string[] = [];

/**
 * Starts an emulator and a gateway wired to it on loopback ports chosen by the OS. `environment` adds or
 * overrides gateway settings.
 */
export async function startStack(
  options: { environment?: Record<string, string>; emulator?: EmulatorOptions } = {},
): Promise<TestStack> {
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const application = emulator.application;
  const config = loadConfig({
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
  const gateway = await createGateway({ config, logger, credentials: environmentResolver(config) });
  const baseUrl = await gateway.listen();
  const graphqlUrl = `${baseUrl}/graphql`;

  return {
    emulator,
    gateway,
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
      await emulator.close();
    },
  };
}

/** Returns the codes of a response's errors, in order. */
export function errorCodes(response: GraphQLResponse<unknown>): unknown[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}
