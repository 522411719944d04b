import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccessSettings } from './config.js';
import { ErrorCode, GatewayError } from './errors.js';

/** Permissions granted by the bearer token of a request. */
export interface RequestAccess {
  /** The request sent `Authorization: Bearer …` at all. */
  presentedToken: boolean;
  /** The token is the admin token: credential management and every query. */
  isAdmin: boolean;
  /** Commerce queries are allowed: no API token is configured, or the request sent it or the admin token. */
  mayQueryCommerce: boolean;
}

/** Decides what a request may do from its `Authorization` header. Tokens are compared in constant time. */
export function readRequestAccess(authorization: string | undefined, settings: AccessSettings): RequestAccess {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const token = match?.[1];
  const isAdmin = token !== undefined && settings.adminToken !== undefined && tokensEqual(token, settings.adminToken);
  const isApiClient = token !== undefined && settings.apiToken !== undefined && tokensEqual(token, settings.apiToken);
  return {
    presentedToken: authorization !== undefined && authorization !== '',
    isAdmin,
    mayQueryCommerce: settings.apiToken === undefined || isAdmin || isApiClient,
  };
}

/**
 * Throws unless the request carries the admin token: UNAUTHENTICATED without a token, FORBIDDEN with another.
 */
export function requireAdmin(access: RequestAccess): void {
  if (access.isAdmin) return;
  throw accessError(access, 'Credential management requires the admin token in "Authorization: Bearer <token>".');
}

/** Throws unless the request may run commerce queries; see {@link RequestAccess.mayQueryCommerce}. */
export function requireCommerceAccess(access: RequestAccess): void {
  if (access.mayQueryCommerce) return;
  throw accessError(access, 'This gateway requires an API token in "Authorization: Bearer <token>".');
}

function accessError(access: RequestAccess, message: string): GatewayError {
  return access.presentedToken
    ? new GatewayError(ErrorCode.FORBIDDEN, 'The token sent in "Authorization" is not valid for this operation.')
    : new GatewayError(ErrorCode.UNAUTHENTICATED, message);
}

/** Hashing first gives both sides one length, so the comparison time does not reveal the token's length. */
function tokensEqual(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
