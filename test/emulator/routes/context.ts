import type { onRequestAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import type { EmulatorApplication } from '../application.js';
import { invalidParameter, notFound, unauthorized } from '../envelope.js';
import type { FaultStore } from '../faults.js';
import type { RequestLog } from '../request-log.js';
import type { TokenStore } from '../tokens.js';
import type { KiboCartItem, TenantData } from '../types.js';

/** What the route modules share: the served records, the registered application and the emulator's stores. */
export interface EmulatorContext {
  data: TenantData;
  application: EmulatorApplication;
  tokens: TokenStore;
  faults: FaultStore;
  requestLog: RequestLog;
  /** `host:port` the emulator listens on, served as the tenant's and sites' `domain`; set once listening. */
  domain: string;
  /** Items added to the current shopper's cart with `POST /api/commerce/carts/current/items`. */
  currentCartItems: KiboCartItem[];
}

/** Returns a hook that rejects requests without a valid, unexpired `Authorization: Bearer` token with a 401. */
export function authenticate(tokens: TokenStore): onRequestAsyncHookHandler {
  return async (request) => {
    const header = request.headers.authorization;
    if (!header) {
      throw unauthorized('the Authorization header is missing.');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw unauthorized('the Authorization header must be "Bearer <access token>".');
    }
    if (!tokens.isValid(match[1]!)) {
      throw unauthorized('the access token is unknown or has expired.');
    }
  };
}

/** Returns the record whose key equals `key`, or throws the 404 `ITEM_NOT_FOUND` error. */
export function findRecord<T>(records: readonly T[], kind: string, key: string | number, keyOf: (record: T) => unknown): T {
  const record = records.find((candidate) => keyOf(candidate) === key);
  if (record === undefined) {
    throw notFound(kind, key);
  }
  return record;
}

/** Validates a JSON request body against `schema`, or throws a 400 that names the first invalid field. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidParameter(issue?.path.join('.') || 'body', `is invalid: ${issue?.message ?? 'unexpected shape'}.`);
  }
  return result.data;
}
