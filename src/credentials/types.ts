import type { EnvironmentCredential } from '../config.js';
import type { KiboCredential } from '../kibo/types.js';

/** Id and name of the read-only credential built from the `KIBO_*` variables. */
export const ENVIRONMENT_CREDENTIAL_ID = 'environment';

export { DEFAULT_AUTH_HOST } from '../config.js';

/**
 * Result of the last check of a credential against Kibo. Any change to the secret or to the Kibo settings
 * (client ID, tenant, site, catalogs, hosts) resets it to `UNVERIFIED`.
 */
export type CredentialStatus = 'UNVERIFIED' | 'VERIFIED' | 'FAILED';

export const CREDENTIAL_STATUSES: readonly CredentialStatus[] = ['UNVERIFIED', 'VERIFIED', 'FAILED'];

/** Origin of a credential: the credential store, or the `KIBO_*` variables (read-only). */
export type CredentialSource = 'STORED' | 'ENVIRONMENT';

/** Kibo application and tenant settings of a credential: everything the Kibo client needs except the secret. */
export type CredentialSettings = Omit<EnvironmentCredential, 'clientSecret'>;

/** Identity, default flag, verification state and timestamps: the fields that every view of a credential has. */
export interface CredentialMetadata {
  id: string;
  name: string;
  description: string;
  /** True for the credential used by requests that do not name one. */
  isDefault: boolean;
  status: CredentialStatus;
  /** ISO 8601 time of the last verification, successful or not. */
  lastVerifiedAt: string | undefined;
  /** Gateway error code of the last failed verification; cleared by a successful one. */
  lastErrorCode: string | undefined;
  lastErrorMessage: string | undefined;
  /** ISO 8601 creation time; for the environment credential, the time the gateway started. */
  createdAt: string;
  /** ISO 8601 time of the last change to the settings or the secret (verification results do not count). */
  updatedAt: string;
  /** Counter raised by every change to the settings or the secret; verification results leave it alone. */
  version: number;
}

/**
 * Public view of a credential, safe to return to clients and to log. It never carries the secret, only
 * `secretHint`.
 */
export interface CredentialRecord extends CredentialSettings, CredentialMetadata {
  /** Last 4 characters of the secret after a mask, such as `••••3f9a`; undefined for secrets under 12 characters. */
  secretHint: string | undefined;
  source: CredentialSource;
  /** True for the environment credential, which cannot be updated, rotated or deleted. */
  isReadOnly: boolean;
}

/** A credential ready for the Kibo client, with the decrypted secret. Never log or return it to a client. */
export interface ResolvedCredential extends KiboCredential {
  /** `CredentialRecord.version` at the time of resolving; pass it back with a verification result. */
  version: number;
}

/** Outcome of checking a credential against Kibo, as recorded by `CredentialService.recordVerification`. */
export type VerificationResult = (VerificationSuccess | VerificationFailure) & {
  /** Time of the check; the current time when absent. */
  verifiedAt?: Date | undefined;
  /**
   * `ResolvedCredential.version` that was checked. When the credential has changed since, the result is stale
   * and is not recorded.
   */
  credentialVersion?: number | undefined;
};

export interface VerificationSuccess {
  ok: true;
}

export interface VerificationFailure {
  ok: false;
  /** Gateway error code of the failure, for example `KIBO_UNAUTHENTICATED`. */
  errorCode: string;
  /** Message written by the gateway; control characters and the secret are removed before it is stored. */
  errorMessage: string;
}
