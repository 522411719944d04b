import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { CredentialStorageError } from './credentials/index.js';
import { createLogger } from './logger.js';
import { runGateway } from './start.js';

/** Exit code of a start that failed because of the configuration or the data it points at. */
const EXIT_BAD_CONFIGURATION = 2;

/** Entry point of `npm start`: reads the environment, then runs the gateway until a signal stops it. */
async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    exitOnKnownStartError(error);
    throw error;
  }

  const logger = createLogger({ level: config.logLevel });
  if (!config.environmentCredential) {
    logger.warn(
      'No KIBO_CLIENT_ID, KIBO_CLIENT_SECRET and KIBO_TENANT_ID set: commerce queries use the stored default ' +
        'credential, and fail with CREDENTIAL_NOT_FOUND until one is added with createKiboCredential',
    );
  }
  try {
    await runGateway(config, logger);
  } catch (error) {
    exitOnKnownStartError(error);
    throw error;
  }
}

/**
 * Prints the message of a configuration or credential-store error without a stack trace and exits, because
 * the message already names the fix. Other errors are bugs and keep their stack.
 */
function exitOnKnownStartError(error: unknown): void {
  if (error instanceof ConfigError || error instanceof CredentialStorageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_BAD_CONFIGURATION);
  }
}

await main();
