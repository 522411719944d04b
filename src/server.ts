import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config.js';
import { createContextFactory, type CredentialResolver, type GatewayContext } from './context.js';
import { registerDrain } from './drain.js';
import type { CredentialService } from './credentials/index.js';
import type { Resolvers } from './generated/graphql.js';
import { errorLoggingPlugin, formatGatewayError } from './graphql/error-format.js';
import { registerHttpGuards } from './graphql/http-guards.js';
import { queryLimitsPlugin } from './graphql/limits.js';
import { KiboClient } from './kibo/client.js';
import type { Logger } from './logger.js';
import { registerPlayground } from './playground/index.js';
import type { CredentialExample } from './playground/operations.js';
import { createResolvers } from './resolvers/index.js';

export interface GatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  credentials: CredentialResolver;
  /** Stored credentials behind the credential API; closed with the gateway. */
  credentialService?: CredentialService | undefined;
  /** Shared Kibo client; one is created from the configuration when absent. */
  kibo?: KiboClient;
  /** Resolvers of further domains, merged with the commerce domains. */
  extraResolvers?: Resolvers[];
}

export interface Gateway {
  app: FastifyInstance;
  kibo: KiboClient;
  /** Starts listening; returns the base URL such as `http://127.0.0.1:4000`. */
  listen(): Promise<string>;
  /**
   * Stops accepting connections and lets in-flight requests finish. Connections still open after
   * `config.shutdownGraceMs` are closed, which aborts their requests' Kibo calls. Then closes the Kibo client
   * and the credential store.
   */
  close(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';

const SCHEMA_DIRECTORY = new URL('../schema/', import.meta.url);

/** Reads the SDL files, one per domain, from the top-level `schema/` folder. */
export function loadTypeDefs(directory: URL = SCHEMA_DIRECTORY): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(new URL(name, directory), 'utf8'));
}

/** Builds the gateway's HTTP server and Apollo Server without listening yet. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger } = options;
  const kibo = options.kibo ?? new KiboClient({ settings: config.kibo, logger });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: (request) => acceptedRequestId(request.headers['x-request-id']) ?? randomUUID(),
    bodyLimit: config.limits.maxBodyBytes,
    return503OnClosing: true,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  const drain = registerDrain(app, logger);
  registerHttpGuards(app, { path: GRAPHQL_PATH, maxQueryLength: config.limits.maxQueryLength });
  if (config.playground) registerPlayground(app, { graphqlPath: GRAPHQL_PATH, credentialExample: demoCredentialExample(config) });

  const apollo = new ApolloServer<GatewayContext>({
    typeDefs: loadTypeDefs(),
    resolvers: createResolvers(options.extraResolvers),
    formatError: formatGatewayError,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: !config.demoMode,
    introspection: config.introspection,
    stopOnTerminationSignals: false,
    logger,
    parseOptions: { maxTokens: config.limits.maxTokens },
    allowBatchedHttpRequests: config.limits.allowBatchedRequests,
    plugins: [
      fastifyApolloDrainPlugin(app),
      // Apollo's own landing page loads Apollo Sandbox from a CDN; the gateway serves its playground instead.
      ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin(),
      queryLimitsPlugin(config.limits),
    ],
  });
  await apollo.start();

  await app.register(fastifyApollo(apollo), {
    path: GRAPHQL_PATH,
    method: ['GET', 'POST', 'OPTIONS'],
    context: createContextFactory({
      config,
      kibo,
      credentials: options.credentials,
      credentialService: options.credentialService,
    }),
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  // While the gateway is closing, fastify sends 503 to every request, this one included, before routing it.
  app.get('/readyz', async (_request, reply) => {
    try {
      await options.credentialService?.list();
      return { status: 'ready' };
    } catch (error) {
      logger.error({ err: error }, 'Readiness check failed: the credential store is not reachable');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  return {
    app,
    kibo,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return `http://${host}:${port}`;
    },
    async close() {
      await drain.close(config.shutdownGraceMs);
      await kibo.close();
      await options.credentialService?.close();
    },
  };
}

/**
 * In demo mode the credential tab starts with the emulator's demo application, so that the credential flow runs
 * against the emulator and not against Kibo's hosts. The secret stays a placeholder.
 */
function demoCredentialExample(config: GatewayConfig): CredentialExample | undefined {
  const credential = config.environmentCredential;
  if (!config.demoMode || !credential) return undefined;
  return {
    name: 'Emulator demo',
    description: 'Demo application of the local Kibo emulator',
    clientId: credential.clientId,
    tenantId: credential.tenantId,
    siteId: credential.siteId,
    authHost: credential.authHost,
  };
}

/** Keeps a caller's request id only when it is short and plain, so it is safe to log and echo. */
function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : undefined;
}
