import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Gateway } from '../src/server.js';
import { openGateway } from '../src/start.js';
import type { EmulatorProcess } from './emulator-client.js';

export interface BenchGateway {
  gateway: Gateway;
  graphqlUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the gateway in this process on a free loopback port, wired to the emulator the way the integration
 * tests wire it. Credential management is off, so there is no credential database to open, and only warnings
 * are logged, to standard error, so standard output carries only the report.
 */
export async function startBenchGateway(emulator: EmulatorProcess, batching: boolean): Promise<BenchGateway> {
  const { application } = emulator;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    GATEWAY_CREDENTIAL_MANAGEMENT: 'false',
    GATEWAY_PLAYGROUND: 'false',
    GATEWAY_BATCHING: String(batching),
    KIBO_CLIENT_ID: application.clientId,
    KIBO_CLIENT_SECRET: application.clientSecret,
    KIBO_TENANT_ID: String(application.tenantId),
    KIBO_SITE_ID: String(application.siteId),
    KIBO_AUTH_HOST: emulator.url,
  });
  const logger = createLogger({ level: config.logLevel, destination: pino.destination(2) });
  const gateway = await openGateway(config, logger);
  const baseUrl = await gateway.listen();
  return { gateway, graphqlUrl: `${baseUrl}/graphql`, close: () => gateway.close() };
}
