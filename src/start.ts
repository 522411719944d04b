import type { GatewayConfig } from './config.js';
import type { CredentialResolver } from './context.js';
import { ENVIRONMENT_CREDENTIAL_ID, openCredentialService } from './credentials/index.js';
import { ErrorCode, GatewayError } from './errors.js';
import { KiboClient } from './kibo/client.js';
import type { Logger } from './logger.js';
import { createGateway, GRAPHQL_PATH, type Gateway } from './server.js';

/**
 * Builds a gateway from validated configuration: the shared Kibo client, the credential store when credential
 * management is on (a change to a credential drops its cached tokens at once), and the HTTP server.
 */
export async function openGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const kibo = new KiboClient({ settings: config.kibo, logger });
  const store = config.credentialStore;
  const credentialService = store.enabled
    ? await openCredentialService({
        dataDir: store.dataDir,
        encryptionKey: store.encryptionKey,
        busyTimeoutMs: store.busyTimeoutMs,
        logger,
        environmentCredential: config.environmentCredential,
        onCredentialChanged: (id) => kibo.forgetCredential(id),
      })
    : undefined;
  return createGateway({
    config,
    logger,
    kibo,
    credentials: credentialService ?? environmentResolver(config),
    credentialService,
  });
}

/** Starts a gateway and stops it cleanly on SIGINT or SIGTERM. */
export async function runGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const gateway = await openGateway(config, logger);
  const url = await gateway.listen();
  logger.info({ url: `${url}${GRAPHQL_PATH}` }, 'Gateway listening');
  stopOnSignals(gateway, logger);
  return gateway;
}

/** Resolves only the environment credential; used when credential management is off. */
export function environmentResolver(config: GatewayConfig): CredentialResolver {
  return {
    async resolve(selector) {
      const credential = config.environmentCredential;
      if (!credential) {
        throw new GatewayError(
          ErrorCode.CREDENTIAL_NOT_FOUND,
          'No Kibo credential is configured: set KIBO_CLIENT_ID, KIBO_CLIENT_SECRET and KIBO_TENANT_ID.',
        );
      }
      if (selector !== undefined && selector !== ENVIRONMENT_CREDENTIAL_ID) {
        throw new GatewayError(ErrorCode.CREDENTIAL_NOT_FOUND, `No Kibo credential has the id or name "${selector}".`);
      }
      return { id: ENVIRONMENT_CREDENTIAL_ID, ...credential };
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
