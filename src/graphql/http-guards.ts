import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../errors.js';

/** Sends an error in the GraphQL response shape, so clients parse every failure the same way. */
export function sendGraphQLError(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ errors: [{ message, extensions: { code } }] });
}

/**
 * Adds the checks that run on the GraphQL route before Apollo Server parses anything. A declared charset other
 * than UTF-8 and documents longer than `maxQueryLength` are rejected with a coded GraphQL error. HTTP-level
 * failures such as an oversized or malformed body keep the GraphQL error shape.
 */
export function registerHttpGuards(app: FastifyInstance, options: { path: string; maxQueryLength: number }): void {
  app.addHook('preValidation', async (request, reply) => {
    if (request.routeOptions.url !== options.path) return;

    const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
    if (charset && !/^utf-?8$/i.test(charset)) {
      return sendGraphQLError(reply, 415, ErrorCode.BAD_REQUEST, `Unsupported charset "${charset}": send UTF-8.`);
    }

    const length = queryText(request)?.length ?? 0;
    if (length > options.maxQueryLength) {
      return sendGraphQLError(
        reply,
        400,
        ErrorCode.QUERY_TOO_COMPLEX,
        `The query is ${length} characters long; the limit is ${options.maxQueryLength}.`,
      );
    }
    return undefined;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'Request failed');
      return sendGraphQLError(reply, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
    }
    request.log.info({ code: error.code, status }, 'Request rejected');
    return sendGraphQLError(reply, status, ErrorCode.BAD_REQUEST, requestErrorMessage(error));
  });
}

function queryText(request: FastifyRequest): string | undefined {
  // A batched request carries several operations; the longest one decides.
  const operations: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
  const texts = operations
    .map((operation) => (operation as { query?: unknown } | undefined)?.query)
    .filter((query): query is string => typeof query === 'string');
  if (texts.length > 0) return texts.reduce((longest, text) => (text.length > longest.length ? text : longest));
  const query = request.query as { query?: unknown } | undefined;
  return query && typeof query.query === 'string' ? query.query : undefined;
}

/** Fastify's own messages for these codes can echo request details; the gateway writes its own. */
function requestErrorMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    default:
      return error.statusCode === 400 ? 'The request body is not valid JSON.' : 'The request was rejected.';
  }
}
