import { BadUserInputError } from '../errors.js';
import type { SecretCipher } from './encryption.js';
import { cleanErrorCode, cleanErrorMessage, secretHint } from './records.js';
import type { StoredCredential, StoredCredentialChanges, StoredVerification } from './store.js';
import type { VerificationResult } from './types.js';
import type { ValidUpdateInput } from './validation.js';

/** Fields whose change alters how the gateway calls Kibo, so the last verification no longer applies. */
const KIBO_FIELDS = ['clientId', 'tenantId', 'siteId', 'masterCatalogId', 'catalogId', 'apiHost', 'authHost'] as const;

/** Verification state of a credential that has not been checked since its last relevant change. */
export const UNVERIFIED: StoredVerification = {
  status: 'UNVERIFIED',
  lastVerifiedAt: undefined,
  lastErrorCode: undefined,
  lastErrorMessage: undefined,
};

/**
 * Computes the stored changes of an update from the current row. Fields equal to the current value are left
 * out, and undefined is returned when nothing changes. A new secret is encrypted for the credential id.
 * @throws BadUserInputError on `clientSecret` when the client ID changes without a new secret.
 */
export function buildUpdateChanges(
  current: StoredCredential,
  input: ValidUpdateInput,
  cipher: SecretCipher,
  changedAt: string,
): StoredCredentialChanges | undefined {
  const { clientSecret, ...settings } = input;
  if (settings.clientId !== undefined && settings.clientId !== current.clientId && clientSecret === undefined) {
    throw new BadUserInputError(
      'clientSecret is required when clientId changes, because the current secret belongs to the old client ID.',
      'clientSecret',
    );
  }

  const changes: StoredCredentialChanges = { changedAt };
  for (const [field, value] of Object.entries(settings)) {
    if (current[field as keyof typeof settings] !== value) Object.assign(changes, { [field]: value });
  }
  if (clientSecret !== undefined) {
    changes.secretCiphertext = cipher.encrypt(clientSecret, current.id);
    changes.secretHint = secretHint(clientSecret);
  }
  if (clientSecret !== undefined || KIBO_FIELDS.some((field) => Object.hasOwn(changes, field))) {
    Object.assign(changes, UNVERIFIED);
  }

  // `changedAt` alone is no change.
  return Object.keys(changes).length > 1 ? changes : undefined;
}

/** Computes the stored verification state for a result; `secret` is removed from the error message. */
export function buildVerification(
  result: VerificationResult,
  verifiedAt: Date,
  secret: string | undefined,
): StoredVerification {
  if (result.ok) {
    return {
      status: 'VERIFIED',
      lastVerifiedAt: verifiedAt.toISOString(),
      lastErrorCode: undefined,
      lastErrorMessage: undefined,
    };
  }
  return {
    status: 'FAILED',
    lastVerifiedAt: verifiedAt.toISOString(),
    lastErrorCode: cleanErrorCode(result.errorCode),
    lastErrorMessage: cleanErrorMessage(result.errorMessage, secret),
  };
}
