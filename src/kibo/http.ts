import { Agent, type Dispatcher } from 'undici';
import type { KiboClientSettings } from '../config.js';
import { ErrorCode, KiboError } from '../errors.js';
import type { UpstreamResponse } from './errors.js';

/** One HTTP request to Kibo, already addressed and authorized. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Scheme, host and port, for example `https://t1.sandbox.mozu.com`. */
  origin: string;
  /**
   * Encoded path and query string. It is sent as is and never parsed by `URL`, because the WHATWG parser would
   * resolve a `%2E%2E` segment as `..`.
   */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** Aborting it aborts the upstream request and its body. */
  signal: AbortSignal;
  /** Largest 2xx body read; a larger one fails with KIBO_RESPONSE_TOO_LARGE. */
  maxBodyBytes: number;
}

/** Sends one request and returns its buffered response; the seam tests replace. */
export type HttpSend = (request: HttpRequest) => Promise<UpstreamResponse>;

/**
 * Largest error body read for its envelope. Kibo's error envelope is small; a longer body (an HTML error page,
 * usually) is cut here and the connection closed.
 */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Idle time after which a pooled socket is closed instead of reused. Node's HTTP server (the emulator) closes
 * idle sockets after 5 s by default, so 4 s keeps a request from going out on a socket the server has already
 * closed. When a server sends a shorter `Keep-Alive: timeout` hint, undici uses that hint less 1 s. A server
 * that closes sooner without a hint is noticed when its close arrives.
 * NOTE: a request sent at the very moment such a server closes the socket meets a reset. Reads are retried then,
 * but a write fails with KIBO_UNAVAILABLE.
 */
const KEEP_ALIVE_MS = 4_000;
/** Margin subtracted from a server's `Keep-Alive: timeout` hint. */
const KEEP_ALIVE_THRESHOLD_MS = 1_000;

/** Creates the client's connection pool with keep-alive and timeouts from the settings. */
export function createKiboAgent(settings: KiboClientSettings): Agent {
  return new Agent({
    connect: { timeout: settings.connectTimeoutMs },
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    keepAliveTimeoutThreshold: KEEP_ALIVE_THRESHOLD_MS,
    // The call's own abort signal enforces requestTimeoutMs; these are a backstop for a stalled socket.
    headersTimeout: settings.requestTimeoutMs,
    bodyTimeout: settings.requestTimeoutMs,
  });
}

/** Creates an {@link HttpSend} that uses `dispatcher` and always reads or destroys the response body. */
export function createHttpSend(dispatcher: Dispatcher): HttpSend {
  return async (request) => {
    const response = await dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal,
    });
    const success = response.statusCode >= 200 && response.statusCode < 300;
    const body = await readBody(response.body, success ? request.maxBodyBytes : MAX_ERROR_BODY_BYTES, success, {
      declaredLength: Number(response.headers['content-length'] ?? Number.NaN),
    });
    return { status: response.statusCode, headers: response.headers, body };
  };
}

type ResponseBody = Dispatcher.ResponseData['body'];

/**
 * Reads at most `limit` bytes. Past the limit it destroys the stream, which closes the connection, and then
 * rejects with KIBO_RESPONSE_TOO_LARGE when `rejectOverLimit`, or returns the bytes read so far.
 */
async function readBody(
  body: ResponseBody,
  limit: number,
  rejectOverLimit: boolean,
  { declaredLength }: { declaredLength: number },
): Promise<Buffer> {
  if (rejectOverLimit && declaredLength > limit) {
    body.destroy();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        if (rejectOverLimit) throw tooLarge(limit);
        chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
        break;
      }
      chunks.push(chunk);
    }
  } catch (error) {
    // An abort or socket error mid-body: make sure the stream does not linger half-read.
    body.destroy();
    throw error;
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): KiboError {
  return new KiboError(
    ErrorCode.KIBO_RESPONSE_TOO_LARGE,
    `Kibo's response was larger than the configured limit of ${limit} bytes.`,
  );
}
