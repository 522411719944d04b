import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

/**
 * Stable error codes sent to clients in `extensions.code`. Codes are never renamed or reused: clients branch on
 * them. Every code is documented in docs/errors.md, and a unit test keeps the two in step.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  CREDENTIAL_NOT_FOUND: 'CREDENTIAL_NOT_FOUND',
  KIBO_UNAUTHENTICATED: 'KIBO_UNAUTHENTICATED',
  KIBO_FORBIDDEN: 'KIBO_FORBIDDEN',
  KIBO_BAD_REQUEST: 'KIBO_BAD_REQUEST',
  KIBO_CONFLICT: 'KIBO_CONFLICT',
  KIBO_RATE_LIMITED: 'KIBO_RATE_LIMITED',
  KIBO_UNAVAILABLE: 'KIBO_UNAVAILABLE',
  KIBO_TIMEOUT: 'KIBO_TIMEOUT',
  KIBO_BAD_RESPONSE: 'KIBO_BAD_RESPONSE',
  KIBO_RESPONSE_TOO_LARGE: 'KIBO_RESPONSE_TOO_LARGE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // Raised by Apollo Server itself before any resolver runs.
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

declare module 'graphql' {
  interface GraphQLErrorExtensions {
    code?: ErrorCode | string;
    /** Kibo's `x-vol-correlation` id of the upstream call that failed, for support requests to Kibo. */
    kiboCorrelationId?: string;
    /** Kibo's own error code (for example `ITEM_NOT_FOUND`), when Kibo sent one. */
    kiboErrorCode?: string;
    /** Seconds a client should wait before retrying, from Kibo's `Retry-After`. */
    retryAfter?: number;
    /** Name of the input field or argument that was rejected. */
    field?: string;
    http?: { status?: number; headers?: Map<string, string> };
  }
}

/** Base class of every error the gateway raises on purpose: each carries a stable code. */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: GraphQLErrorOptions = {}) {
    super(message, { ...options, extensions: { ...options.extensions, code } });
    this.code = code;
    this.name = 'GatewayError';
  }
}

export class BadUserInputError extends GatewayError {
  constructor(message: string, field?: string) {
    super(ErrorCode.BAD_USER_INPUT, message, field === undefined ? {} : { extensions: { field } });
    this.name = 'BadUserInputError';
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string) {
    super(ErrorCode.NOT_FOUND, message);
    this.name = 'NotFoundError';
  }
}

/** Details of a failed Kibo call that are safe to show a client. */
export interface KiboErrorDetails {
  /** HTTP status of Kibo's response; absent for timeouts and network failures. */
  status?: number;
  kiboErrorCode?: string;
  correlationId?: string;
  retryAfterSeconds?: number;
}

/**
 * A failed call to Kibo. The message is written by the gateway and never contains Kibo's response body, URL,
 * headers or token. The raw cause stays on `cause`, for logs only.
 */
export class KiboError extends GatewayError {
  readonly status: number | undefined;
  readonly kiboErrorCode: string | undefined;
  readonly correlationId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details: KiboErrorDetails = {}, cause?: unknown) {
    const extensions: Record<string, unknown> = {};
    if (details.correlationId !== undefined) extensions.kiboCorrelationId = details.correlationId;
    if (details.kiboErrorCode !== undefined) extensions.kiboErrorCode = details.kiboErrorCode;
    if (details.retryAfterSeconds !== undefined) extensions.retryAfter = details.retryAfterSeconds;
    super(code, message, { extensions, originalError: cause instanceof Error ? cause : undefined });
    this.name = 'KiboError';
    this.status = details.status;
    this.kiboErrorCode = details.kiboErrorCode;
    this.correlationId = details.correlationId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * Abort reason of a GraphQL request whose client closed the connection before the response was sent. No client
 * sees it, so it carries no code.
 */
export class ClientDisconnectedError extends Error {
  constructor() {
    super('The client closed the connection before the response was sent.');
    this.name = 'ClientDisconnectedError';
  }
}

/** Returns true when `error` (or the error a GraphQL error wraps) carries the given code. */
export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  if (error instanceof GatewayError) return error.code === code;
  if (error instanceof GraphQLError) {
    return error.extensions.code === code || hasErrorCode(error.originalError, code);
  }
  return false;
}
