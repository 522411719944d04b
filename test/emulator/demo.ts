/**
 * `npm run demo`: starts the Kibo emulator and a gateway wired to it, both on loopback, and prints their URLs.
 * Ports come from EMULATOR_PORT (default 4010) and PORT (default 4000); `--data FILE` loads a tenant from a
 * JSON file instead of the generated one.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runGateway } from '../../src/start.js';
import { loadTenantData } from './data.js';
import { startEmulator } from './server.js';

const { values } = parseArgs({ options: { data: { type: 'string' } } });

const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4010);
const emulator = await startEmulator({
  port: emulatorPort,
  data: values.data ? await loadTenantData(values.data) : undefined,
});
const application = emulator.application;

// The demo always talks to its own emulator, whatever KIBO_* variables the shell has set. The API host is
// left unset so the gateway finds it through the tenant lookup, as it does against Kibo.
const generatedAdminToken = process.env.GATEWAY_ADMIN_TOKEN ? undefined : randomBytes(18).toString('base64url');
const adminToken = process.env.GATEWAY_ADMIN_TOKEN || generatedAdminToken!;
const config = loadConfig({
  ...process.env,
  // The demo keeps its credentials apart from those of `npm start`, which may point at a real tenant.
  GATEWAY_DATA_DIR: process.env.GATEWAY_DATA_DIR || './data/demo',
  GATEWAY_DEMO: 'true',
  GATEWAY_ADMIN_TOKEN: adminToken,
  KIBO_CLIENT_ID: application.clientId,
  KIBO_CLIENT_SECRET: application.clientSecret,
  KIBO_TENANT_ID: String(application.tenantId),
  KIBO_SITE_ID: String(application.siteId),
  KIBO_API_HOST: '',
  KIBO_AUTH_HOST: emulator.url,
});
const logger = createLogger({ level: config.logLevel });
const gateway = await runGateway(config, logger);
process.once('exit', () => void emulator.close());

const address = gateway.app.server.address();
const gatewayPort = typeof address === 'object' && address ? address.port : config.port;
process.stdout.write(
  [
    '',
    `Kibo emulator:  ${emulator.url}  (tenant ${application.tenantId}, site ${application.siteId})`,
    `GraphQL:        http://${config.host}:${gatewayPort}/graphql${config.playground ? '  (open it in a browser)' : ''}`,
    generatedAdminToken
      ? `Admin token:    ${generatedAdminToken}  (generated; set GATEWAY_ADMIN_TOKEN to choose one)`
      : 'Admin token:    the value of GATEWAY_ADMIN_TOKEN',
    `Demo app:       client ID ${application.clientId}, secret ${application.clientSecret}`,
    '',
    'Try:',
    `  curl -s http://${config.host}:${gatewayPort}/graphql -H 'content-type: application/json' \\`,
    `    -d '{"query":"{ orders(first: 3) { totalCount nodes { id orderNumber status total { amount currencyCode } } } }"}'`,
    '',
    'Stop with Ctrl+C.',
    '',
  ].join('\n'),
);
