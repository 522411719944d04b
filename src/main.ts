import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { createLogger } from './logger.js';
import { runGateway } from './start.js';

/** Entry point of `npm start`: reads the environment, then runs the gateway until a signal stops it. */
async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  if (!config.environmentCredential) {
    logger.warn('No KIBO_CLIENT_ID, KIBO_CLIENT_SECRET and KIBO_TENANT_ID set: commerce queries will fail');
  }
  await runGateway(config, logger);
}

await main();
