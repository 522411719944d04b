import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { ClientDisconnectedError, ErrorCode, GatewayError, KiboError } from '../errors.js';

/** Codes whose errors clients may see as raised; anything else is masked. */
const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode));

/** Extension keys a client may see; the rest (stack traces, upstream details) are dropped. */
const PUBLIC_EXTENSIONS = ['code', 'kiboCorrelationId', 'kiboErrorCode', 'retryAfter', 'field'] as const;

const MASKED_MESSAGE = 'Internal server error.';

/** graphql-js 16's message when a document passes `maxTokens` (its wording has "more that"). */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:an|at) (\d+) tokens/;

/** Codes of requests turned away for a missing or wrong token, which operators want to see in the log. */
const ACCESS_CODES = new Set<string>([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN]);

/**
 * Formats every error before it leaves the gateway. Errors the gateway raised on purpose keep their message
 * and code, and so do errors of Apollo's own request pipeline. Everything else becomes a generic
 * INTERNAL_SERVER_ERROR, so no upstream URL, header, body, token or stack trace reaches a client. The original
 * is logged by {@link errorLoggingPlugin}, because Apollo gives this hook no request context.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  try {
    const gatewayError = findGatewayError(error);
    const code = formatted.extensions?.code;
    const isPublic =
      gatewayError !== undefined ||
      (typeof code === 'string' && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR);
    if (!isPublic) {
      return { message: MASKED_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }

    // Apollo re-codes errors raised during validation; the gateway's own code is kept on the original.
    const source = gatewayError?.extensions ?? formatted.extensions;
    const extensions: Record<string, unknown> = {};
    for (const key of PUBLIC_EXTENSIONS) {
      if (source?.[key] !== undefined) extensions[key] = source[key];
    }
    const tokens = TOKEN_LIMIT_MESSAGE.exec(formatted.message)?.[1];
    if (tokens !== undefined && code === ErrorCode.GRAPHQL_PARSE_FAILED) {
      // graphql-js reports its token limit as a syntax error; to clients it is one of the gateway's query limits.
      const message = `The query has more than ${tokens} tokens, the limit of GATEWAY_MAX_TOKENS.`;
      return { message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } };
    }
    return { message: withoutVariableValue(formatted.message), locations: formatted.locations, path: formatted.path, extensions };
  } catch {
    // Formatting must never throw, or Apollo would send its own generic error instead.
    return { message: MASKED_MESSAGE, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}

/**
 * Removes the value from graphql-js's message for a variable of the wrong type, such as
 * `Variable "$input" got invalid value 1234 at "input.clientSecret"; String cannot represent …: 1234`, because that
 * value may be a secret. The variable, the path and the reason's fixed text stay.
 */
export function withoutVariableValue(message: string): string {
  const variable = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" got invalid value /.exec(message)?.[1];
  if (variable === undefined) return message;

  // The path is made of names and list indexes only, so a value cannot pass for it.
  const pathPattern = new RegExp(` at "(${variable}(?:\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d+\\])*)"; ([^:.]*)`, 'g');
  const last = [...message.matchAll(pathPattern)].at(-1);
  const location = last ? ` at "${last[1]}": ${last[2]!.trim()}` : '';
  return `Variable "$${variable}" got an invalid value${location}.`;
}

function findGatewayError(error: unknown): GatewayError | undefined {
  const original = unwrapResolverError(error);
  if (original instanceof GatewayError) return original;
  if (original instanceof GraphQLError && original.originalError instanceof GatewayError) return original.originalError;
  return undefined;
}

/**
 * Logs every error of a GraphQL request once, with the request id: unexpected errors at `error` with the
 * original, upstream failures at `warn`, and client mistakes such as NOT_FOUND or BAD_USER_INPUT at `debug`.
 * Fields aborted because the client disconnected are logged at `debug` too.
 */
export function errorLoggingPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const details = { operationName, path: error.path?.join('.'), code: error.extensions.code };
            if (original instanceof ClientDisconnectedError) {
              contextValue.logger.debug(details, 'Field aborted because the client disconnected');
            } else if (original instanceof KiboError && (original.status === undefined || original.status >= 429)) {
              contextValue.logger.warn({ ...details, kiboStatus: original.status, kiboCorrelationId: original.correlationId }, 'Kibo call failed');
            } else if (original instanceof GatewayError && ACCESS_CODES.has(original.code)) {
              contextValue.logger.warn(details, 'Request rejected by access control');
            } else if (original instanceof GatewayError) {
              contextValue.logger.debug(details, original.message);
            } else if (error.extensions.code && error.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
              contextValue.logger.debug(details, withoutVariableValue(error.message));
            } else {
              contextValue.logger.error({ ...details, err: original }, 'Unexpected error while resolving a GraphQL request');
            }
          }
        },
      };
    },
  };
}
