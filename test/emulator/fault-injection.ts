import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildEnvelope, errorCodeForStatus, KiboError } from './envelope.js';
import type { FaultRule } from './faults.js';

/** State of one request, kept beside fastify's request object rather than added to its type. */
export interface RequestState {
  correlationId: string;
  rawPath: string;
  control: boolean;
  /** The fault rule applied to the request, if any. */
  fault: FaultRule | undefined;
  /** True once the request log has an entry for this request. */
  recorded: boolean;
}

/**
 * Applies `fault` from an onRequest hook. It waits `delayMs`, or less when the client closes the connection
 * first, then resets the connection (calling `onReset` first) or sends the fault's status. A fault with neither
 * lets the request go on to its route. Returns the reply when the hook must end the request.
 */
export async function applyFault(
  request: FastifyRequest,
  reply: FastifyReply,
  state: RequestState,
  onReset: () => void,
): Promise<FastifyReply | undefined> {
  const fault = state.fault!;
  if (fault.delayMs > 0 && (await waitUnlessClosed(reply, fault.delayMs))) {
    // The client is gone; the close listener has logged the request as aborted.
    reply.hijack();
    return reply;
  }
  if (fault.reset) {
    onReset();
    reply.hijack();
    request.raw.socket.destroy();
    return reply;
  }
  if (fault.status !== undefined) {
    return sendFault(reply, fault, state);
  }
  return undefined;
}

/** Resolves true when the response closes within `ms`, false when the time passes first. */
function waitUnlessClosed(reply: FastifyReply, ms: number): Promise<boolean> {
  if (reply.raw.destroyed) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      reply.raw.off('close', onClose);
      resolve(false);
    }, ms);
    reply.raw.once('close', onClose);
  });
}

function sendFault(reply: FastifyReply, fault: FaultRule, state: RequestState): FastifyReply {
  const status = fault.status ?? 500;
  if (fault.retryAfter !== undefined) {
    void reply.header('retry-after', fault.retryAfter);
  }
  reply.code(status);
  if (fault.body !== undefined) {
    return reply.type(fault.contentType ?? 'application/json').send(fault.body);
  }
  // Kibo's API best-practices page shows its 429 with an empty body, so only other statuses get the envelope.
  if (status === 429) {
    return reply.send();
  }
  const error = new KiboError(status, errorCodeForStatus(status), `Injected fault: HTTP ${status}.`);
  return reply.send(buildEnvelope(error, state.rawPath, state.correlationId));
}

/**
 * Returns the payload of a response as a stream that sends its first half at once and the rest after
 * `pauseMs`, for a fault with `bodyDelayMs`. Headers go out with the first half, without a Content-Length.
 */
export function pausedBody(payload: unknown, pauseMs: number): Readable {
  const bytes = typeof payload === 'string' || Buffer.isBuffer(payload) ? Buffer.from(payload) : Buffer.alloc(0);
  const half = Math.ceil(bytes.length / 2);
  async function* chunks() {
    yield bytes.subarray(0, half);
    await sleep(pauseMs);
    yield bytes.subarray(half);
  }
  return Readable.from(chunks());
}
