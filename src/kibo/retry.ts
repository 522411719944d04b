import type { Logger } from '../logger.js';
import { ErrorCode, KiboError } from '../errors.js';
import { sleep, type CallDeadline } from './deadline.js';

/** Retry policy of idempotent calls. */
export interface RetryOptions {
  /** Maximum attempts of one call, the first included. */
  maxAttempts: number;
  /** First backoff step in milliseconds; each retry doubles it. */
  baseDelayMs: number;
  /** Upper bound of one backoff step in milliseconds. */
  maxDelayMs: number;
  /** Source of jitter in [0, 1); tests pass a fixed value. */
  random: () => number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
  random: Math.random,
});

/** Statuses that mean "try again": rate limited, or a gateway or service in front of Kibo failed. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Socket errors that occur before a response arrives, when resending a read is safe. */
const RETRYABLE_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET']);

/** Returns the reason to retry after `error` (a status or socket error code), or undefined when it is final. */
export function retryReason(error: unknown): string | undefined {
  if (!(error instanceof KiboError)) return undefined;
  if (error.status !== undefined) return RETRYABLE_STATUSES.has(error.status) ? `HTTP ${error.status}` : undefined;
  if (error.code !== ErrorCode.KIBO_UNAVAILABLE) return undefined;
  const code = socketErrorCode(error.originalError);
  return code !== undefined && RETRYABLE_SOCKET_CODES.has(code) ? code : undefined;
}

/** Returns the `code` of a socket error or of its cause, as Node and undici set them. */
export function socketErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * Delay before retry number `attempt` (1 for the first retry): `Retry-After` when Kibo sent one, else
 * exponential backoff with full jitter.
 */
export function retryDelayMs(error: KiboError, attempt: number, options: RetryOptions): number {
  if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds * 1000;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(options.random() * ceiling);
}

/** Call state that {@link runWithRetries} reads besides the attempt itself. */
export interface RetryContext {
  /** False for writes: they get one attempt only. */
  idempotent: boolean;
  deadline: CallDeadline;
  log: Logger;
  options: RetryOptions;
}

/**
 * Runs `attempt` until it succeeds, fails for good, runs out of attempts, or the next wait would end after the
 * call's deadline. The last error is thrown as is, so a `Retry-After` that does not fit fails at once with
 * KIBO_RATE_LIMITED and its `retryAfterSeconds`.
 */
export async function runWithRetries<T>(attempt: () => Promise<T>, context: RetryContext): Promise<T> {
  const { deadline, log, options } = context;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt();
    } catch (error) {
      const reason = retryReason(error);
      if (!context.idempotent || reason === undefined || attemptNumber >= options.maxAttempts) throw error;
      const delayMs = retryDelayMs(error as KiboError, attemptNumber, options);
      if (delayMs >= deadline.remainingMs()) throw error;
      log.warn({ attempt: attemptNumber, nextAttempt: attemptNumber + 1, reason, delayMs }, 'Retrying Kibo call');
      await sleep(delayMs, deadline.signal);
    }
  }
}
