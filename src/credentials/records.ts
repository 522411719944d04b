import type { StoredCredential } from './store.js';
import type { CredentialRecord, CredentialSettings, ResolvedCredential } from './types.js';

/** Shortest secret whose last 4 characters are shown; shorter secrets would give away too large a part. */
const MIN_SECRET_LENGTH_FOR_HINT = 12;
const HINT_LENGTH = 4;

/** Longest stored verification error message, in code points. */
export const MAX_ERROR_MESSAGE_LENGTH = 500;
const MAX_ERROR_CODE_LENGTH = 64;

/**
 * Returns the last 4 characters of a secret, the part that is stored in clear and shown, or undefined when the
 * secret is shorter than 12 characters.
 */
export function secretHint(secret: string): string | undefined {
  const characters = Array.from(secret);
  if (characters.length < MIN_SECRET_LENGTH_FOR_HINT) return undefined;
  return characters.slice(-HINT_LENGTH).join('');
}

/** Puts a mask in front of the last characters of a secret, so that the hint reads as part of a secret. */
export function maskSecretHint(hint: string | undefined): string | undefined {
  return hint === undefined ? undefined : `••••${hint}`;
}

/**
 * Copies the Kibo settings of a credential field by field. Records list their fields instead of spreading a
 * stored row, so that a field added to the row later does not reach clients unnoticed.
 */
export function copySettings(source: CredentialSettings): CredentialSettings {
  return {
    clientId: source.clientId,
    tenantId: source.tenantId,
    siteId: source.siteId,
    masterCatalogId: source.masterCatalogId,
    catalogId: source.catalogId,
    apiHost: source.apiHost,
    authHost: source.authHost,
  };
}

/** Builds the public view of a stored credential, without the encrypted secret. */
export function toCredentialRecord(stored: StoredCredential): CredentialRecord {
  return {
    ...copySettings(stored),
    id: stored.id,
    name: stored.name,
    description: stored.description,
    secretHint: maskSecretHint(stored.secretHint),
    isDefault: stored.isDefault,
    status: stored.status,
    lastVerifiedAt: stored.lastVerifiedAt,
    lastErrorCode: stored.lastErrorCode,
    lastErrorMessage: stored.lastErrorMessage,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    version: stored.version,
    source: 'STORED',
    isReadOnly: false,
  };
}

/** Builds the credential for the Kibo client from a stored credential and its decrypted secret. */
export function toResolvedCredential(stored: StoredCredential, clientSecret: string): ResolvedCredential {
  return { ...copySettings(stored), id: stored.id, clientSecret, version: stored.version };
}

/**
 * Prepares a verification error message for storing: every occurrence of the secret becomes `[redacted]`,
 * control characters and line breaks become spaces, and the text is cut to 500 code points.
 */
export function cleanErrorMessage(message: string, secret: string | undefined): string {
  let text = message;
  if (secret !== undefined && secret.length > 0) text = text.split(secret).join('[redacted]');
  text = text.replace(/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu, ' ').trim();
  const characters = Array.from(text);
  return characters.length > MAX_ERROR_MESSAGE_LENGTH
    ? `${characters.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1).join('')}…`
    : text;
}

/** Keeps an error code to letters, digits, `_`, `.` and `-`, at most 64 of them; returns `UNKNOWN` when empty. */
export function cleanErrorCode(code: string): string {
  const cleaned = code.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, MAX_ERROR_CODE_LENGTH);
  return cleaned === '' ? 'UNKNOWN' : cleaned;
}
