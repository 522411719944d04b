import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { invalidParameter, unauthorized } from '../envelope.js';
import type { EmulatorContext } from './context.js';

/** Path of Kibo's OAuth token endpoint, in lower case. */
export const TOKEN_PATH = '/api/platform/applications/authtickets/oauth';

/** Compares two secrets in constant time, hashing first so that different lengths leak nothing either. */
function secretsEqual(received: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

function readStringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw invalidParameter(name, 'is required and must be a non-empty string.');
  }
  return value;
}

/**
 * Registers `POST /api/platform/applications/authtickets/oauth`, which takes `{client_id, client_secret,
 * grant_type: "client_credentials"}` as JSON and returns `{access_token, token_type, expires_in, refresh_token}`.
 * A `refresh_token` in the request, as Kibo's SDKs send when renewing, must be one this emulator issued.
 */
export function registerAuthenticationRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.post(TOKEN_PATH, async (request) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw invalidParameter('body', 'must be a JSON object with client_id, client_secret and grant_type.');
    }
    const fields = body as Record<string, unknown>;
    const clientId = readStringField(fields, 'client_id');
    const clientSecret = readStringField(fields, 'client_secret');
    const grantType = readStringField(fields, 'grant_type');
    if (grantType !== 'client_credentials') {
      throw invalidParameter('grant_type', `must be "client_credentials", got ${JSON.stringify(grantType)}.`);
    }

    const application = context.application;
    // One message for both cases, so a caller cannot probe which client ids exist.
    if (clientId !== application.clientId || !secretsEqual(clientSecret, application.clientSecret)) {
      throw unauthorized('the client id or client secret is not valid.');
    }
    const refreshToken = fields.refresh_token;
    if (refreshToken !== undefined && refreshToken !== null) {
      if (typeof refreshToken !== 'string' || !context.tokens.hasRefreshToken(refreshToken)) {
        throw unauthorized('the refresh token is not valid.');
      }
    }

    const issued = context.tokens.issue();
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      refresh_token: issued.refreshToken,
    };
  });
}
