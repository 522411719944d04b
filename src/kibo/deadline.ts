import { ErrorCode, KiboError } from '../errors.js';

/** An abort signal with a timer that fires KIBO_TIMEOUT, linked to the caller's signal. */
export interface TimedSignal {
  /** Aborts with a KIBO_TIMEOUT KiboError when the time runs out, or with the caller's reason. */
  readonly signal: AbortSignal;
  /** Clears the timer; call it once the guarded work has settled. */
  dispose(): void;
}

/**
 * Creates a signal that aborts after `timeoutMs` (reason: a KIBO_TIMEOUT KiboError that names `operation`) or
 * when `parent` aborts (reason: the parent's reason). The timer uses `setTimeout`, so fake timers in tests control it.
 */
export function timedSignal(timeoutMs: number, parent: AbortSignal | undefined, operation: string): TimedSignal {
  const timer = new AbortController();
  const delayMs = Math.max(0, timeoutMs);
  const handle = setTimeout(() => {
    timer.abort(new KiboError(ErrorCode.KIBO_TIMEOUT, `${operation} timed out after ${delayMs} ms.`));
  }, delayMs);
  handle.unref?.();
  const signal = parent === undefined ? timer.signal : AbortSignal.any([parent, timer.signal]);
  return { signal, dispose: () => clearTimeout(handle) };
}

/**
 * The time budget of one client call: every attempt, retry wait, token wait and tenant lookup wait of the call
 * ends by `at`, which is `timeoutMs` from now or the caller's own deadline, whichever comes first.
 */
export class CallDeadline {
  /** Deadline as epoch milliseconds. */
  readonly at: number;
  private readonly timed: TimedSignal;

  constructor(timeoutMs: number, callerSignal: AbortSignal | undefined, callerDeadline?: number) {
    const now = Date.now();
    this.at = Math.min(now + timeoutMs, callerDeadline ?? Number.POSITIVE_INFINITY);
    this.timed = timedSignal(this.at - now, callerSignal, 'The Kibo call');
  }

  /** Aborts at the deadline (KIBO_TIMEOUT) or when the caller aborts (the caller's reason). */
  get signal(): AbortSignal {
    return this.timed.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  /** Throws the abort reason when the call is already over. */
  throwIfAborted(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }

  dispose(): void {
    this.timed.dispose();
  }
}

/**
 * Waits for a shared promise, but stops waiting (with the signal's reason) when `signal` aborts. The shared work
 * goes on for its other waiters.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
