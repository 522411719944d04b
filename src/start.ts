import type { GatewayConfig } from './config.js';
import type { CredentialResolver } from './context.js';
import { ErrorCode, GatewayError } from './errors.js';
import type { Logger } from './logger.js';
import { createGateway, GRAPHQL_PATH, type Gateway } from './server.js';

/** Starts a gateway from validated configuration and stops it cleanly on SIGINT or SIGTERM. */
export async function runGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const gateway = await createGateway({ config, logger, credentials: environmentResolver(config) });
  const url = await gateway.listen();
  logger.info({ url: `${url}${GRAPHQL_PATH}` }, 'Gateway listening');
  stopOnSignals(gateway, logger);
  return gateway;
}

export function environmentResolver(config: GatewayConfig): CredentialResolver {
  return {
    async resolve(selector) {
      const credential = config.environmentCredential;
      if (!credential || (selector !== undefined && selector !== 'environment')) {
        throw new GatewayError(ErrorCode.CREDENTIAL_NOT_FOUND, 'No Kibo credential matches the request.');
      }
      return { id: 'environment', ...credential };
    },
  };
}

export function stopOnSignals(gateway: Gateway, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Gateway stopping');
    gateway.close().then(
      () => {
        logger.info('Gateway stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Gateway did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
