import type { Logger } from '../logger.js';
import { ErrorCode, KiboError } from '../errors.js';
import { timedSignal, type CallDeadline } from './deadline.js';
import { kiboErrorFromResponse, type UpstreamResponse } from './errors.js';
import type { HttpSend } from './http.js';
import { runWithRetries, socketErrorCode, type RetryOptions } from './retry.js';

/** One request as the requester sends it, before timeouts and retries. */
export interface UpstreamRequest {
  method: 'GET' | 'POST';
  origin: string;
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** True for reads: only they are retried. */
  idempotent: boolean;
}

/** Call-wide state of one request. */
export interface RequestScope {
  deadline: CallDeadline;
  log: Logger;
  /** Maps a non-2xx response to an error; {@link kiboErrorFromResponse} when absent. */
  mapError?: ((response: UpstreamResponse) => KiboError) | undefined;
}

export interface RequesterConfig {
  send: HttpSend;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  retry: RetryOptions;
}

const UNDICI_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Sends requests with a timeout per attempt and retries reads. The caller adds the token. */
export class Requester {
  constructor(private readonly config: RequesterConfig) {}

  /**
   * Sends `request` and returns its 2xx response.
   * @throws KiboError for a non-2xx status, a timeout, a network failure or an oversized body; the caller's abort
   * reason when the caller aborts.
   */
  send(request: UpstreamRequest, scope: RequestScope): Promise<UpstreamResponse> {
    return runWithRetries(() => this.attempt(request, scope), {
      idempotent: request.idempotent,
      deadline: scope.deadline,
      log: scope.log,
      options: this.config.retry,
    });
  }

  private async attempt(request: UpstreamRequest, scope: RequestScope): Promise<UpstreamResponse> {
    scope.deadline.throwIfAborted();
    const timeoutMs = Math.min(this.config.requestTimeoutMs, scope.deadline.remainingMs());
    const attemptSignal = timedSignal(timeoutMs, scope.deadline.signal, 'The Kibo request');
    let response: UpstreamResponse;
    try {
      response = await this.config.send({
        method: request.method,
        origin: request.origin,
        path: request.path,
        headers: request.headers,
        body: request.body,
        signal: attemptSignal.signal,
        maxBodyBytes: this.config.maxResponseBytes,
      });
    } catch (error) {
      throw transportFailure(error, attemptSignal.signal);
    } finally {
      attemptSignal.dispose();
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw (scope.mapError ?? kiboErrorFromResponse)(response);
  }
}

/**
 * Turns an error thrown while sending into the error the caller receives. An aborted attempt yields the abort
 * reason, which is a KIBO_TIMEOUT KiboError or the caller's own reason. A KiboError passes as is. Undici's
 * timeouts become KIBO_TIMEOUT, and any other failure becomes KIBO_UNAVAILABLE with the socket error as cause.
 */
function transportFailure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof KiboError) return error;
  const code = socketErrorCode(error);
  if (code !== undefined && UNDICI_TIMEOUT_CODES.has(code)) {
    return new KiboError(ErrorCode.KIBO_TIMEOUT, 'The connection to Kibo timed out.', {}, error);
  }
  return new KiboError(ErrorCode.KIBO_UNAVAILABLE, 'Kibo could not be reached; try again later.', {}, error);
}
