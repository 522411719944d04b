import { ErrorCode, KiboError, type KiboErrorDetails } from '../errors.js';

/** Response headers as undici returns them. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** A buffered upstream response. */
export interface UpstreamResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** Fields of Kibo's error envelope that the gateway reads. */
export interface KiboErrorEnvelope {
  errorCode?: string;
  message?: string;
  correlationId?: string;
}

const ERROR_CODE_PATTERN = /^[A-Za-z0-9_.-]{1,80}$/;
const CORRELATION_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_FORWARDED_MESSAGE_LENGTH = 200;

/** Returns the first value of a response header, or undefined. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Parses `Retry-After` (delay in seconds, or an HTTP date) into whole seconds from `now`.
 * Returns undefined when the header is absent or malformed.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  // Every HTTP date format has a month name and hh:mm:ss; without this check Date.parse reads "-5" as a year.
  if (!/[A-Za-z]{3}/.test(text) || !/\d{2}:\d{2}:\d{2}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Reads Kibo's error envelope (`errorCode`, `message`, `items[]`, `correlationId`) from a body. The first item
 * fills in what the top level lacks. Returns an empty object for HTML, empty or malformed bodies.
 */
export function parseErrorEnvelope(body: Buffer): KiboErrorEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
  if (!isRecord(parsed)) return {};
  const firstItem = Array.isArray(parsed.items) && isRecord(parsed.items[0]) ? parsed.items[0] : {};
  const envelope: KiboErrorEnvelope = {};
  const errorCode = stringField(parsed, 'errorCode') ?? stringField(firstItem, 'errorCode');
  const message = stringField(parsed, 'message') ?? stringField(firstItem, 'message');
  const correlationId = stringField(parsed, 'correlationId');
  if (errorCode !== undefined && ERROR_CODE_PATTERN.test(errorCode)) envelope.errorCode = errorCode;
  if (message !== undefined) envelope.message = message;
  if (correlationId !== undefined && CORRELATION_ID_PATTERN.test(correlationId)) envelope.correlationId = correlationId;
  return envelope;
}

/**
 * Maps a non-2xx Kibo response to a KiboError. The message is the gateway's own; it adds Kibo's message only
 * for 400, 409 and 422 and only when it is short plain text. It never contains the URL, headers or body.
 */
export function kiboErrorFromResponse(response: UpstreamResponse, now: number = Date.now()): KiboError {
  const { status } = response;
  const envelope = parseErrorEnvelope(response.body);
  const details = responseDetails(response, envelope, now);
  const kiboMessage = forwardableMessage(envelope.message);
  const explained = (text: string) =>
    kiboMessage === undefined ? `${text} (HTTP ${status}).` : `${text}: ${kiboMessage}`;

  if (status === 400 || status === 422) {
    return new KiboError(ErrorCode.KIBO_BAD_REQUEST, explained('Kibo rejected the request as invalid'), details);
  }
  if (status === 401) {
    return new KiboError(ErrorCode.KIBO_UNAUTHENTICATED, 'Kibo rejected the application token (HTTP 401).', details);
  }
  if (status === 403) {
    const message = 'Kibo denied access: the application lacks permission for this operation (HTTP 403).';
    return new KiboError(ErrorCode.KIBO_FORBIDDEN, message, details);
  }
  if (status === 404) {
    return new KiboError(ErrorCode.NOT_FOUND, 'The requested Kibo record was not found.', details);
  }
  if (status === 409) {
    return new KiboError(ErrorCode.KIBO_CONFLICT, explained('Kibo reported a conflict with the current data'), details);
  }
  if (status === 429) {
    const wait = details.retryAfterSeconds;
    const advice = wait === undefined ? 'retry later' : `retry after ${wait} ${wait === 1 ? 'second' : 'seconds'}`;
    return new KiboError(ErrorCode.KIBO_RATE_LIMITED, `Kibo's rate limit was reached; ${advice}.`, details);
  }
  if (status >= 500) {
    return new KiboError(ErrorCode.KIBO_UNAVAILABLE, `Kibo is unavailable (HTTP ${status}); try again later.`, details);
  }
  if (status >= 400) {
    return new KiboError(ErrorCode.KIBO_BAD_REQUEST, `Kibo rejected the request (HTTP ${status}).`, details);
  }
  return new KiboError(ErrorCode.KIBO_BAD_RESPONSE, `Kibo returned an unexpected HTTP status ${status}.`, details);
}

/** Collects status, Kibo error code, correlation id and `Retry-After` of a response. */
export function responseDetails(
  response: UpstreamResponse,
  envelope: KiboErrorEnvelope,
  now: number,
): KiboErrorDetails {
  const details: KiboErrorDetails = { status: response.status };
  if (envelope.errorCode !== undefined) details.kiboErrorCode = envelope.errorCode;
  const headerCorrelation = headerValue(response.headers, 'x-vol-correlation');
  const correlationId =
    headerCorrelation !== undefined && CORRELATION_ID_PATTERN.test(headerCorrelation)
      ? headerCorrelation
      : envelope.correlationId;
  if (correlationId !== undefined) details.correlationId = correlationId;
  const retryAfter = parseRetryAfter(headerValue(response.headers, 'retry-after'), now);
  if (retryAfter !== undefined) details.retryAfterSeconds = retryAfter;
  return details;
}

/** Returns Kibo's message when it is short, single-line plain text without markup or a URL. */
function forwardableMessage(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const text = message.trim();
  if (text.length === 0 || text.length > MAX_FORWARDED_MESSAGE_LENGTH) return undefined;
  // Control characters, markup, braces and URLs suggest a stack trace, HTML or an echoed request.
  if (/[\p{Cc}<>{}]|:\/\//u.test(text)) return undefined;
  return text;
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
