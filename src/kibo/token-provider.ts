import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import { ErrorCode, KiboError } from '../errors.js';
import { raceSignal } from './deadline.js';
import { kiboErrorFromResponse, parseErrorEnvelope, responseDetails, type UpstreamResponse } from './errors.js';
import { runLogged } from './failure-log.js';
import type { Requester } from './requester.js';
import type { KiboCredential, TokenCheck } from './types.js';

const TOKEN_PATH = '/api/platform/applications/authtickets/oauth';
const TOKEN_ROUTE = '/platform/applications/authtickets/oauth';

/** A cached token this close to its expiry is no longer handed out while a renewal runs. */
const STILL_USABLE_MS = 30_000;

export interface TokenProviderOptions {
  requester: Requester;
  logger: Logger;
  /** Renew a token this many seconds before it expires; at most half the token's lifetime is used. */
  refreshMarginSeconds: number;
  /** Time budget of one token request, retries included, in milliseconds. */
  callTimeoutMs: number;
}

interface CachedToken {
  credentialId: string;
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Epoch milliseconds after which callers wait for a new token. */
  refreshAt: number;
  durationMs: number;
}

/**
 * Issues and caches Kibo application tokens (OAuth client credentials), one cache entry per credential id,
 * client id, auth host and secret. At most one token request per entry is in flight, whatever the number of
 * waiting callers.
 */
export class TokenProvider {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  /** Bumped by `invalidate`, so a token request that was in flight at that moment is not cached. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly options: TokenProviderOptions) {}

  /**
   * Returns a token for `credential`. Within the refresh margin before expiry, the cached token is still returned
   * while one background request renews it. `signal` stops this caller's wait only; the shared token request
   * goes on for other callers.
   * @throws KiboError KIBO_UNAUTHENTICATED, KIBO_UNAVAILABLE, KIBO_RATE_LIMITED, KIBO_TIMEOUT or KIBO_BAD_RESPONSE.
   */
  async getToken(credential: KiboCredential, signal?: AbortSignal): Promise<string> {
    const key = tokenKey(credential);
    const cached = this.tokens.get(key);
    const now = Date.now();
    if (cached !== undefined && now < cached.refreshAt) return cached.accessToken;

    const flight = this.refresh(credential, key);
    // Inside the refresh margin the old token still works: callers keep using it while one request renews it,
    // so no caller waits for the renewal. A failed renewal is logged by the request and tried again by the next
    // caller; only a token this close to expiry makes callers wait.
    if (cached !== undefined && now < cached.expiresAt - STILL_USABLE_MS) {
      flight.catch(() => undefined);
      return cached.accessToken;
    }
    const token = signal === undefined ? await flight : await raceSignal(flight, signal);
    return token.accessToken;
  }

  /** Starts a token request for `key`, or joins the one in flight. */
  private refresh(credential: KiboCredential, key: string): Promise<CachedToken> {
    const current = this.inFlight.get(key);
    if (current !== undefined) return current;
    const flight = this.fetchAndStore(credential, key);
    this.inFlight.set(key, flight);
    const forget = () => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    };
    flight.then(forget, forget);
    return flight;
  }

  /**
   * Requests a new token now, bypassing the cache, and caches it. Used to verify a credential.
   * @throws KiboError as {@link getToken} does.
   */
  async requestToken(credential: KiboCredential, signal?: AbortSignal): Promise<TokenCheck> {
    const flight = this.fetchAndStore(credential, tokenKey(credential));
    const token = signal === undefined ? await flight : await raceSignal(flight, signal);
    return { expiresAt: new Date(token.expiresAt), durationMs: token.durationMs };
  }

  /** Drops every cached token of a credential and keeps a request in flight from caching its result. */
  invalidate(credentialId: string): void {
    this.generations.set(credentialId, (this.generations.get(credentialId) ?? 0) + 1);
    for (const [key, token] of this.tokens) {
      if (token.credentialId === credentialId) this.tokens.delete(key);
    }
    for (const key of this.inFlight.keys()) {
      if (key.startsWith(`${credentialId}\u0000`)) this.inFlight.delete(key);
    }
  }

  /**
   * Drops the cached token of `credential` if it is still `accessToken`, after Kibo rejected it with 401. Many
   * calls that fail with the same token thus cause one new token request, not one each.
   */
  invalidateToken(credential: KiboCredential, accessToken: string): void {
    const key = tokenKey(credential);
    if (this.tokens.get(key)?.accessToken === accessToken) this.tokens.delete(key);
  }

  private async fetchAndStore(credential: KiboCredential, key: string): Promise<CachedToken> {
    const generation = this.generations.get(credential.id) ?? 0;
    const token = await this.fetchToken(credential);
    if ((this.generations.get(credential.id) ?? 0) === generation) {
      // A credential id whose secret or hosts changed leaves old entries behind; they are dropped here.
      for (const [otherKey, other] of this.tokens) {
        if (other.credentialId === credential.id && otherKey !== key) this.tokens.delete(otherKey);
      }
      this.tokens.set(key, token);
    }
    return token;
  }

  private async fetchToken(credential: KiboCredential): Promise<CachedToken> {
    const log = this.options.logger.child({ credentialId: credential.id, method: 'POST', route: TOKEN_ROUTE });
    return runLogged(log, this.options.callTimeoutMs, {}, async (deadline) => {
      const startedAt = Date.now();
      const response = await this.options.requester.send(
        {
          method: 'POST',
          origin: credential.authHost,
          path: TOKEN_PATH,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            client_id: credential.clientId,
            client_secret: credential.clientSecret,
            grant_type: 'client_credentials',
          }),
          // Asking for a token twice has no side effect, so the request may be retried.
          idempotent: true,
        },
        { deadline, log, mapError: tokenErrorFromResponse },
      );
      const { accessToken, expiresInSeconds } = parseTokenResponse(response);
      const margin = Math.min(this.options.refreshMarginSeconds, expiresInSeconds / 2);
      log.debug({ expiresInSeconds }, 'Issued Kibo application token');
      return {
        credentialId: credential.id,
        accessToken,
        // Timed from the moment the request was sent, so the token never outlives Kibo's idea of its life.
        expiresAt: startedAt + expiresInSeconds * 1000,
        refreshAt: startedAt + (expiresInSeconds - margin) * 1000,
        durationMs: Date.now() - startedAt,
      };
    });
  }
}

/** Builds the cache key; the secret enters it only as a hash, so a rotated secret never reuses an old token. */
function tokenKey(credential: KiboCredential): string {
  const secretHash = createHash('sha256').update(credential.clientSecret).digest('base64url').slice(0, 22);
  return [credential.id, credential.clientId, credential.authHost, secretHash].join('\u0000');
}

/**
 * Maps a failed token response. 400, 401 and 403 mean the credential was rejected; the message never repeats
 * Kibo's body, which may echo the request. Other statuses mean the auth host could not issue a token.
 */
export function tokenErrorFromResponse(response: UpstreamResponse): KiboError {
  const details = responseDetails(response, parseErrorEnvelope(response.body), Date.now());
  const { status } = response;
  if (status === 400 || status === 401 || status === 403) {
    const message =
      `Kibo rejected the application credentials (HTTP ${status}); check the client id and secret, ` +
      'and that the application is enabled for the tenant.';
    return new KiboError(ErrorCode.KIBO_UNAUTHENTICATED, message, details);
  }
  if (status === 429 || status >= 500) return kiboErrorFromResponse(response);
  const message = `The Kibo auth host could not issue a token (HTTP ${status}); check the auth host.`;
  return new KiboError(ErrorCode.KIBO_UNAVAILABLE, message, details);
}

function parseTokenResponse(response: UpstreamResponse): { accessToken: string; expiresInSeconds: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const accessToken = record.access_token;
  const expiresIn = Number(record.expires_in);
  if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new KiboError(
      ErrorCode.KIBO_BAD_RESPONSE,
      'Kibo returned a malformed token response: access_token or expires_in is missing or invalid.',
      { status: response.status },
    );
  }
  return { accessToken, expiresInSeconds: expiresIn };
}
