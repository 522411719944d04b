/**
 * Command line entry of the Kibo emulator (`npm run emulator`). Starts it on loopback, prints the URL and the demo
 * application's credentials, and stops on SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadTenantData } from './load.js';
import { startEmulator } from './server.js';

const HELP = `Usage: npm run emulator -- [options]

Options:
  --port N        Port to listen on (default: EMULATOR_PORT or 4010; 0 picks a free port)
  --host HOST     Address to listen on (default: 127.0.0.1)
  --data FILE     JSON file of Kibo records {"products", "customers", "orders", "carts", "inventory"}
                  to serve instead of the generated sample tenant
  --latency MS    Delay in milliseconds added before every Kibo response (default: 0)
  --help          Show this help
`;

function parseNumber(name: string, text: string, maximum: number): number {
  if (!/^\d+$/.test(text) || Number(text) > maximum) {
    throw new Error(`Invalid --${name} ${JSON.stringify(text)}: expected an integer from 0 to ${maximum}.`);
  }
  return Number(text);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      latency: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }

  const port = parseNumber('port', values.port ?? process.env.EMULATOR_PORT ?? '4010', 65_535);
  const latencyMs = parseNumber('latency', values.latency, 600_000);
  const data = values.data ? await loadTenantData(values.data) : undefined;
  // Logs go to standard error, so standard output carries only the banner below.
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));

  const emulator = await startEmulator({ host: values.host, port, latencyMs, data, logger });
  const { application } = emulator;
  process.stdout.write(
    [
      `Kibo emulator listening on ${emulator.url} (API base ${emulator.url}/api)`,
      `  client id:         ${application.clientId}`,
      `  client secret:     ${application.clientSecret}  (public demo value)`,
      `  tenant id:         ${application.tenantId}`,
      `  site id:           ${application.siteId}`,
      `  master catalog id: ${application.masterCatalogId}`,
      `  catalog id:        ${application.catalogId}`,
      `  records:           ${emulator.data.products.length} products, ${emulator.data.customers.length} customers, ` +
        `${emulator.data.orders.length} orders, ${emulator.data.carts.length} carts`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'Stopping the Kibo emulator');
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Kibo emulator failed to stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
