import type { Agent, Dispatcher } from 'undici';
import type { KiboClientSettings } from '../config.js';
import type { Logger } from '../logger.js';
import { ErrorCode, KiboError } from '../errors.js';
import { CallDeadline } from './deadline.js';
import { headerValue, kiboErrorFromResponse, type UpstreamResponse } from './errors.js';
import { runLogged } from './failure-log.js';
import { createHttpSend, createKiboAgent } from './http.js';
import type { Tenant } from './models.js';
import { buildQueryString, kiboPath, type KiboPath, type KiboQuery } from './path.js';
import { Requester, type UpstreamRequest } from './requester.js';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './retry.js';
import { contextHeaders, TenantResolver } from './tenant.js';
import { TokenProvider } from './token-provider.js';
import type { KiboCallOptions, KiboCredential, KiboPostOptions, TokenCheck } from './types.js';

/** Options of {@link KiboClient}. */
export interface KiboClientOptions {
  settings: KiboClientSettings;
  logger: Logger;
  /** Connection pool to use instead of the client's own; tests pass an undici `MockAgent`. */
  dispatcher?: Dispatcher | undefined;
  /** Maximum attempts of an idempotent call, the first included. Default 3. */
  maxAttempts?: number | undefined;
  /** First backoff step between retries, in milliseconds. Default 100. */
  retryBaseDelayMs?: number | undefined;
  /** Upper bound of one backoff step, in milliseconds. Default 2000. */
  retryMaxDelayMs?: number | undefined;
  /**
   * Time budget of one call in milliseconds, covering the token and tenant lookups it waits for, every attempt
   * and every wait between retries. Default `settings.requestTimeoutMs`.
   */
  callTimeoutMs?: number | undefined;
  /** Jitter source in [0, 1) for retry backoff. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** A data call before it is addressed to a host. */
interface CallRequest {
  method: 'GET' | 'POST';
  path: KiboPath;
  query: KiboQuery | undefined;
  body: string | undefined;
  idempotent: boolean;
}

const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Returns the request id when it is printable ASCII of sane length, so it is a valid header value. */
function forwardableRequestId(requestId: string | undefined): string | undefined {
  return requestId !== undefined && REQUEST_ID_PATTERN.test(requestId) ? requestId : undefined;
}

/**
 * The one authenticated HTTP client of the gateway for Kibo's REST API. It owns the connection pool, the
 * token cache, the tenant lookup, timeouts, retries and the mapping of failures to KiboError.
 */
export class KiboClient {
  readonly settings: KiboClientSettings;
  private readonly logger: Logger;
  private readonly ownAgent: Agent | undefined;
  private readonly requester: Requester;
  private readonly tokens: TokenProvider;
  private readonly tenants: TenantResolver;
  private readonly callTimeoutMs: number;

  constructor(options: KiboClientOptions) {
    this.settings = options.settings;
    this.logger = options.logger.child({ component: 'kibo-client' });
    this.ownAgent = options.dispatcher === undefined ? createKiboAgent(options.settings) : undefined;
    this.callTimeoutMs = options.callTimeoutMs ?? options.settings.requestTimeoutMs;
    const retry: RetryOptions = {
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_RETRY_OPTIONS.maxAttempts),
      baseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_OPTIONS.baseDelayMs,
      maxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_OPTIONS.maxDelayMs,
      random: options.random ?? DEFAULT_RETRY_OPTIONS.random,
    };
    this.requester = new Requester({
      send: createHttpSend(options.dispatcher ?? this.ownAgent!),
      requestTimeoutMs: options.settings.requestTimeoutMs,
      maxResponseBytes: options.settings.maxResponseBytes,
      retry,
    });
    this.tokens = new TokenProvider({
      requester: this.requester,
      logger: this.logger,
      refreshMarginSeconds: options.settings.tokenRefreshMarginSeconds,
      callTimeoutMs: this.callTimeoutMs,
    });
    this.tenants = new TenantResolver({
      cacheSeconds: options.settings.tenantCacheSeconds,
      lookup: (credential) => this.lookupTenant(credential),
    });
  }

  /**
   * Sends `GET {base}/api{path}{query}` and returns the parsed JSON body. Retried on 429, 502, 503, 504 and
   * connection failures, and replayed once with a new token after a 401.
   * @throws KiboError for any failure (NOT_FOUND for a 404), or the caller's abort reason when `options.signal`
   * aborts.
   */
  get<T>(credential: KiboCredential, path: KiboPath, query?: KiboQuery, options: KiboCallOptions = {}): Promise<T> {
    return this.call<T>(credential, { method: 'GET', path, query, body: undefined, idempotent: true }, options);
  }

  /**
   * Sends `POST {base}/api{path}` with a JSON body and returns the parsed JSON response. Only a POST marked
   * `idempotent` is retried or replayed after a 401; any other POST is sent once.
   * @throws KiboError for any failure, or the caller's abort reason when `options.signal` aborts.
   */
  post<T>(credential: KiboCredential, path: KiboPath, body: unknown, options: KiboPostOptions = {}): Promise<T> {
    const request = { method: 'POST' as const, path, query: undefined, body: JSON.stringify(body) };
    return this.call<T>(credential, { ...request, idempotent: options.idempotent === true }, options);
  }

  /**
   * Returns the credential's tenant record (sites, catalogs, domain), cached for `tenantCacheSeconds`.
   * @throws KiboError when the lookup fails, or the caller's abort reason.
   */
  async tenant(credential: KiboCredential, options: KiboCallOptions = {}): Promise<Tenant> {
    const deadline = new CallDeadline(this.callTimeoutMs, options.signal, options.deadline);
    try {
      return await this.tenants.tenant(credential, deadline.signal);
    } finally {
      deadline.dispose();
    }
  }

  /** Drops the cached tokens and tenant record of a credential, for example after it was changed or deleted. */
  forgetCredential(credentialId: string): void {
    this.tokens.invalidate(credentialId);
    this.tenants.forget(credentialId);
  }

  /**
   * Requests a new token for `credential` now, which proves that Kibo accepts it.
   * @throws KiboError KIBO_UNAUTHENTICATED when Kibo rejects the credential, or another KiboError.
   */
  verify(credential: KiboCredential, options: KiboCallOptions = {}): Promise<TokenCheck> {
    return this.tokens.requestToken(credential, options.signal);
  }

  /** Closes the client's own connection pool; a dispatcher passed in options stays open. */
  async close(): Promise<void> {
    await this.ownAgent?.close();
  }

  private async call<T>(
    credential: KiboCredential,
    request: CallRequest,
    options: KiboCallOptions,
  ): Promise<T> {
    const requestId = forwardableRequestId(options.requestId);
    const route = request.path.route;
    const log = this.logger.child({ reqId: requestId, credentialId: credential.id, method: request.method, route });
    return runLogged(log, this.callTimeoutMs, options, async (deadline) => {
      const context = await this.tenants.resolve(credential, deadline.signal);
      const headers: Record<string, string> = { accept: 'application/json', ...contextHeaders(context) };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      if (requestId !== undefined) headers['x-request-id'] = requestId;
      const upstream: UpstreamRequest = {
        method: request.method,
        origin: context.origin,
        path: `/api${request.path.path}${buildQueryString(request.query)}`,
        headers,
        body: request.body,
        idempotent: request.idempotent,
      };
      const response = await this.sendAuthorized(credential, upstream, deadline, log);
      return parseJsonBody<T>(response);
    });
  }

  /**
   * Sends `request` with the credential's token. After a 401 the token is dropped. An idempotent request is then
   * sent once more with a new token. A write is not, because Kibo may have applied it.
   */
  private async sendAuthorized(
    credential: KiboCredential,
    request: UpstreamRequest,
    deadline: CallDeadline,
    log: Logger,
    mapError?: (response: UpstreamResponse) => KiboError,
  ): Promise<UpstreamResponse> {
    for (let replayed = false; ; replayed = true) {
      const token = await this.tokens.getToken(credential, deadline.signal);
      const authorized = { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
      try {
        return await this.requester.send(authorized, { deadline, log, mapError });
      } catch (error) {
        if (!(error instanceof KiboError) || error.status !== 401) throw error;
        this.tokens.invalidateToken(credential, token);
        if (!request.idempotent || replayed) throw error;
        log.info('Kibo rejected the token (HTTP 401); replaying once with a new token');
      }
    }
  }

  /** Reads the tenant record from the auth host; shared by every call waiting for it. */
  private async lookupTenant(credential: KiboCredential): Promise<Tenant> {
    const path = kiboPath`/platform/tenants/${credential.tenantId}`;
    const log = this.logger.child({ credentialId: credential.id, method: 'GET', route: path.route });
    return runLogged(log, this.callTimeoutMs, {}, async (deadline) => {
      const request: UpstreamRequest = {
        method: 'GET',
        origin: credential.authHost,
        path: `/api${path.path}`,
        headers: { accept: 'application/json', 'x-vol-tenant': String(credential.tenantId) },
        idempotent: true,
      };
      const response = await this.sendAuthorized(credential, request, deadline, log, tenantLookupError);
      const tenant = parseJsonBody<unknown>(response);
      if (typeof tenant !== 'object' || tenant === null || Array.isArray(tenant)) {
        throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, "Kibo's tenant record is not a JSON object.", { status: 200 });
      }
      return tenant as Tenant;
    });
  }
}

/**
 * Maps a failed tenant lookup. A 404 there means the credential names a tenant the auth host does not have,
 * which must not reach `get*` as NOT_FOUND (they would return null for every record).
 */
function tenantLookupError(response: UpstreamResponse): KiboError {
  if (response.status !== 404) return kiboErrorFromResponse(response);
  const message =
    "Kibo has no such tenant at the auth host (HTTP 404); check the credential's tenant id and auth host.";
  return new KiboError(ErrorCode.KIBO_BAD_REQUEST, message, { status: 404 });
}

/**
 * Parses a 2xx body as JSON.
 * @throws KiboError KIBO_BAD_RESPONSE for an empty body, a non-JSON content type, malformed JSON or `null`.
 */
export function parseJsonBody<T>(response: UpstreamResponse): T {
  const details = { status: response.status };
  const contentType = headerValue(response.headers, 'content-type');
  if (contentType !== undefined && !/json/i.test(contentType)) {
    throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, 'Kibo returned a response that is not JSON.', details);
  }
  const text = response.body.toString('utf8');
  if (text.trim() === '') {
    throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, 'Kibo returned an empty response.', details);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the body, so it is not kept as the cause.
    throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, 'Kibo returned malformed JSON.', details);
  }
  if (value === null) throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, 'Kibo returned an empty response.', details);
  return value as T;
}
