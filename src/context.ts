import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { readRequestAccess, requireCommerceAccess, type RequestAccess } from './auth.js';
import type { GatewayConfig } from './config.js';
import type { CredentialService } from './credentials/index.js';
import { ClientDisconnectedError, ErrorCode, KiboError } from './errors.js';
import { createKiboApi, type KiboApi } from './kibo/api.js';
import type { KiboClient } from './kibo/client.js';
import type { KiboCallOptions, KiboCredential } from './kibo/types.js';
import { createLoaders, type Loaders } from './loaders/index.js';

/** Finds the Kibo credential a request asked for, or the default one when it named none. */
export interface CredentialResolver {
  /**
   * @param selector the `X-Kibo-Credential` header: a credential id or name.
   * @throws GatewayError coded CREDENTIAL_NOT_FOUND when no credential matches; never falls back to another one.
   */
  resolve(selector: string | undefined): Promise<KiboCredential>;
}

/** The Kibo credential of one request with the API facade and DataLoaders bound to it. */
export interface CommerceSession {
  credential: KiboCredential;
  api: KiboApi;
  loaders: Loaders;
}

/** Per-request context handed to every resolver. */
export interface GatewayContext {
  requestId: string;
  /** Child logger that writes the request id on every line. */
  logger: FastifyBaseLogger;
  /**
   * Aborted when the client disconnects (reason: ClientDisconnectedError) or the request's time limit runs out
   * (reason: a KIBO_TIMEOUT KiboError), which aborts the request's upstream calls.
   */
  signal: AbortSignal;
  /** Epoch milliseconds at which the request's time limit runs out. */
  deadline: number;
  config: GatewayConfig;
  /** Value of the `X-Kibo-Credential` header, if the request sent one. */
  credentialSelector: string | undefined;
  /** Permissions granted by the request's bearer token. */
  access: RequestAccess;
  /** The shared Kibo client, for operations that are not commerce reads (credential verification). */
  kibo: KiboClient;
  /** Stored credentials; undefined when credential management is off. */
  credentialService: CredentialService | undefined;
  /**
   * Resolves the request's credential and builds its API facade and loaders on first use. Credential
   * management operations never call it, so an unknown credential fails only the commerce fields.
   */
  commerce(): Promise<CommerceSession>;
}

export interface ContextDependencies {
  config: GatewayConfig;
  kibo: KiboClient;
  credentials: CredentialResolver;
  credentialService?: CredentialService | undefined;
}

export const CREDENTIAL_HEADER = 'x-kibo-credential';

/** Builds the function the HTTP integration calls once per GraphQL request. */
export function createContextFactory(dependencies: ContextDependencies) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<GatewayContext> => {
    const { signal, deadline } = watchRequest(reply, dependencies.config.requestTimeoutMs);

    const header = request.headers[CREDENTIAL_HEADER];
    const credentialSelector = typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
    const requestId = String(request.id);
    const logger = request.log;
    const access = readRequestAccess(request.headers.authorization, dependencies.config.access);

    let session: Promise<CommerceSession> | undefined;
    const commerce = () => {
      requireCommerceAccess(access);
      session ??= openSession(dependencies, credentialSelector, { requestId, signal, deadline });
      return session;
    };

    return {
      requestId,
      logger,
      signal,
      deadline,
      config: dependencies.config,
      credentialSelector,
      access,
      kibo: dependencies.kibo,
      credentialService: dependencies.credentialService,
      commerce,
    };
  };
}

/**
 * Creates the abort signal of one GraphQL request. It aborts with a KIBO_TIMEOUT KiboError when `timeoutMs` runs
 * out, and with a ClientDisconnectedError when the client closes the connection before the response is sent.
 */
function watchRequest(reply: FastifyReply, timeoutMs: number): { signal: AbortSignal; deadline: number } {
  const controller = new AbortController();
  const deadline = Date.now() + timeoutMs;
  const timer = setTimeout(() => {
    const message =
      `The request did not finish within its time limit of ${timeoutMs} ms, so its Kibo calls were aborted.`;
    controller.abort(new KiboError(ErrorCode.KIBO_TIMEOUT, message));
  }, timeoutMs);
  timer.unref();
  // A response emits 'close' once it is sent, too; only a close before that is a disconnect.
  reply.raw.once('close', () => {
    clearTimeout(timer);
    if (!reply.raw.writableFinished) controller.abort(new ClientDisconnectedError());
  });
  return { signal: controller.signal, deadline };
}

async function openSession(
  dependencies: ContextDependencies,
  selector: string | undefined,
  callOptions: KiboCallOptions,
): Promise<CommerceSession> {
  const credential = await dependencies.credentials.resolve(selector);
  const api = createKiboApi(dependencies.kibo, credential, callOptions);
  const loaders = createLoaders(api, dependencies.config);
  return { credential, api, loaders };
}
