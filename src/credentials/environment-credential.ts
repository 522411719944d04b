import type { EnvironmentCredential } from '../config.js';
import { BadUserInputError } from '../errors.js';
import { buildVerification, UNVERIFIED } from './changes.js';
import { copySettings, maskSecretHint, secretHint } from './records.js';
import type { StoredVerification } from './store.js';
import {
  type CredentialRecord,
  ENVIRONMENT_CREDENTIAL_ID,
  type ResolvedCredential,
  type VerificationResult,
} from './types.js';

/** The environment credential never changes while the gateway runs, so its version is fixed. */
const ENVIRONMENT_CREDENTIAL_VERSION = 1;

/**
 * The read-only credential from the `KIBO_*` variables, listed with id and name `environment`. Its
 * verification state lives in memory only and starts as `UNVERIFIED` at every start.
 */
export class EnvironmentCredentialEntry {
  readonly #settings: EnvironmentCredential;
  readonly #startedAt: string;
  #verification: StoredVerification = UNVERIFIED;

  constructor(settings: EnvironmentCredential, startedAt: Date) {
    this.#settings = settings;
    this.#startedAt = startedAt.toISOString();
  }

  /** Returns true when `idOrName` selects this credential; names compare regardless of case. */
  matches(idOrName: string): boolean {
    return idOrName.toLowerCase() === ENVIRONMENT_CREDENTIAL_ID;
  }

  toRecord(isDefault: boolean): CredentialRecord {
    return {
      ...copySettings(this.#settings),
      id: ENVIRONMENT_CREDENTIAL_ID,
      name: ENVIRONMENT_CREDENTIAL_ID,
      description: 'Read-only credential from the KIBO_* environment variables.',
      secretHint: maskSecretHint(secretHint(this.#settings.clientSecret)),
      isDefault,
      ...this.#verification,
      createdAt: this.#startedAt,
      updatedAt: this.#startedAt,
      version: ENVIRONMENT_CREDENTIAL_VERSION,
      source: 'ENVIRONMENT',
      isReadOnly: true,
    };
  }

  toResolved(): ResolvedCredential {
    return {
      ...copySettings(this.#settings),
      id: ENVIRONMENT_CREDENTIAL_ID,
      clientSecret: this.#settings.clientSecret,
      version: ENVIRONMENT_CREDENTIAL_VERSION,
    };
  }

  /** Records a verification result in memory; returns false when the result is for another version. */
  recordVerification(result: VerificationResult, verifiedAt: Date): boolean {
    if (result.credentialVersion !== undefined && result.credentialVersion !== ENVIRONMENT_CREDENTIAL_VERSION) {
      return false;
    }
    this.#verification = buildVerification(result, verifiedAt, this.#settings.clientSecret);
    return true;
  }
}

/** Rejection of a change to the environment credential. */
export function readOnlyCredentialError(action: string): BadUserInputError {
  return new BadUserInputError(
    `The environment credential cannot be ${action}: it is read-only because it comes from the KIBO_* ` +
      'environment variables. Change those variables and restart the gateway, or create a stored credential.',
    'id',
  );
}
