import type { Level } from 'pino';
import type { Logger } from '../logger.js';
import { ErrorCode, KiboError } from '../errors.js';
import { CallDeadline } from './deadline.js';
import { socketErrorCode } from './retry.js';

/**
 * Errors already logged. A token or tenant lookup failure is shared by every call that waited for it, and is
 * logged by the lookup, so the waiting calls do not log it again.
 */
const loggedErrors = new WeakSet<object>();

/**
 * Logs a failed Kibo call once per error object, at a level that fits the failure. Pass `aborted: true` in
 * `fields` when the caller aborted. Only the error's code, status, Kibo ids and socket error code are logged.
 * The message is left out because it may repeat Kibo's text, which can quote request values.
 */
export function logFailure(log: Logger, error: unknown, fields: Record<string, unknown> = {}): void {
  if (typeof error === 'object' && error !== null) {
    if (loggedErrors.has(error)) return;
    loggedErrors.add(error);
  }
  if (fields.aborted === true) {
    // The caller aborted (the GraphQL request ended), which is not a Kibo failure.
    log.debug(fields, 'Kibo call aborted by the caller');
    return;
  }
  if (!(error instanceof KiboError)) {
    // Only the error's class name is logged, because an unknown error's message may quote a request value.
    const errorName = error instanceof Error ? error.name : typeof error;
    log.error({ ...fields, errorName }, 'Kibo call failed unexpectedly');
    return;
  }
  const details: Record<string, unknown> = { ...fields, code: error.code };
  if (error.status !== undefined) details.status = error.status;
  if (error.kiboErrorCode !== undefined) details.kiboErrorCode = error.kiboErrorCode;
  if (error.correlationId !== undefined) details.correlationId = error.correlationId;
  if (error.retryAfterSeconds !== undefined) details.retryAfterSeconds = error.retryAfterSeconds;
  const socketCode = socketErrorCode(error.originalError);
  if (socketCode !== undefined) details.socketErrorCode = socketCode;
  log[failureLevel(error)](details, 'Kibo call failed');
}

/** The caller's side of a call's time budget. */
export interface CallerLimits {
  signal?: AbortSignal | undefined;
  /** The caller's deadline as epoch milliseconds. */
  deadline?: number | undefined;
}

/**
 * Runs `run` within a {@link CallDeadline} of `timeoutMs` (or the caller's earlier deadline) and logs its failure
 * once, with the duration and whether the caller aborted. The error is rethrown unchanged.
 */
export async function runLogged<T>(
  log: Logger,
  timeoutMs: number,
  caller: CallerLimits,
  run: (deadline: CallDeadline) => Promise<T>,
): Promise<T> {
  const callerSignal = caller.signal;
  const deadline = new CallDeadline(timeoutMs, callerSignal, caller.deadline);
  const startedAt = Date.now();
  try {
    return await run(deadline);
  } catch (error) {
    const fields: Record<string, unknown> = { durationMs: Date.now() - startedAt };
    // A caller whose own time limit ran out aborts with a KIBO_TIMEOUT KiboError, which is logged as a failure.
    const callerAborted = callerSignal?.aborted === true && error === callerSignal.reason;
    if (callerAborted && !(error instanceof KiboError)) fields.aborted = true;
    logFailure(log, error, fields);
    throw error;
  } finally {
    deadline.dispose();
  }
}

function failureLevel(error: KiboError): Level {
  switch (error.code) {
    case ErrorCode.NOT_FOUND:
      // get* turn a 404 into null, so a missing record is routine.
      return 'debug';
    case ErrorCode.KIBO_BAD_REQUEST:
    case ErrorCode.KIBO_CONFLICT:
      return 'info';
    case ErrorCode.KIBO_UNAUTHENTICATED:
    case ErrorCode.KIBO_FORBIDDEN:
    case ErrorCode.KIBO_RATE_LIMITED:
      return 'warn';
    default:
      return 'error';
  }
}
