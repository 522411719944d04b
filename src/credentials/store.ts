import { BadUserInputError } from '../errors.js';
import type { CredentialMetadata, CredentialSettings } from './types.js';

/**
 * A credential as persisted: the settings, the encrypted secret and the verification state. Only the service
 * decrypts `secretCiphertext`; nothing else should read it.
 */
export interface StoredCredential extends CredentialSettings, CredentialMetadata {
  /** Output of `SecretCipher.encrypt`, bound to `id`. */
  secretCiphertext: Buffer;
  /** Last 4 characters of the secret without a mask; see `secretHint` in records.ts. */
  secretHint: string | undefined;
}

/** Everything an insert needs; the store sets `version` to 1. */
export type NewStoredCredential = Omit<StoredCredential, 'version'>;

/** Columns that record a verification; changing only these leaves `version` and `updatedAt` alone. */
export type StoredVerification = Pick<
  StoredCredential,
  'status' | 'lastVerifiedAt' | 'lastErrorCode' | 'lastErrorMessage'
>;

/**
 * Columns an update may change; a key that is present with the value undefined sets the column to NULL. A
 * change that includes any column outside `StoredVerification` also raises `version` by one and sets
 * `updatedAt` to `changedAt`.
 */
export type StoredCredentialChanges = Partial<
  Omit<StoredCredential, 'id' | 'isDefault' | 'createdAt' | 'updatedAt' | 'version'>
> & {
  /** Time of the change; it becomes `updatedAt` when the change raises the version. */
  changedAt: string;
};

/** Encryption key id and key check value stored beside the credentials; see `SecretCipher.keyCheck`. */
export interface StoredKeyCheck {
  keyId: number;
  check: string;
}

/**
 * Persistence of credentials. Every method that changes more than one row does so in one transaction, so
 * concurrent callers in this or other processes see either all of a change or none of it. Names are unique
 * regardless of case.
 */
export interface CredentialStore {
  /** Lists all credentials, ordered by name regardless of case. */
  list(): Promise<StoredCredential[]>;
  get(id: string): Promise<StoredCredential | undefined>;
  /** Finds the credential whose name matches regardless of case. */
  getByName(name: string): Promise<StoredCredential | undefined>;
  getDefault(): Promise<StoredCredential | undefined>;
  /**
   * Inserts a credential. When `isDefault` is set, the old default loses the flag in the same transaction.
   * @throws DuplicateCredentialNameError when another credential has the same name regardless of case.
   */
  insert(credential: NewStoredCredential): Promise<StoredCredential>;
  /**
   * Applies the changes that `change` returns for the current row, reading and writing in one write
   * transaction so that the decision is taken on the latest data. `change` must be synchronous and must not
   * call the store; it may throw to abort, and it may return undefined to change nothing.
   * Returns the row after the change, or undefined when no credential has this id.
   * @throws DuplicateCredentialNameError when the new name is taken regardless of case.
   */
  update(
    id: string,
    change: (current: StoredCredential) => StoredCredentialChanges | undefined,
  ): Promise<StoredCredential | undefined>;
  /** Deletes a credential; returns false when no credential has this id. */
  delete(id: string): Promise<boolean>;
  /**
   * Makes a credential the default and clears the flag on the old default in the same transaction.
   * Returns the new default, or undefined when no credential has this id (the old default then stays).
   */
  setDefault(id: string): Promise<StoredCredential | undefined>;
  /** Clears the default flag, so that no stored credential is the default. */
  clearDefault(): Promise<void>;
  /** Returns the stored key check, or undefined before one is stored. */
  getKeyCheck(): Promise<StoredKeyCheck | undefined>;
  /**
   * Stores `check` unless a key check already exists, and returns the stored one, which the caller must compare
   * with its own. Runs in one write transaction so that two processes starting together agree on one key.
   * @throws Error when credentials exist but no key check does, because the key that encrypted them is unknown.
   */
  initializeKeyCheck(check: StoredKeyCheck): Promise<StoredKeyCheck>;
  /** Returns true when at least one credential is stored. */
  hasCredentials(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A credential database or encryption key that the gateway cannot use safely. It stops the gateway at start.
 * The message names the fix and never contains a key or a secret.
 */
export class CredentialStorageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CredentialStorageError';
  }
}

/** Error for a database that has credentials but no key check, so no key can be confirmed for them. */
export function missingKeyCheckError(databasePath: string): CredentialStorageError {
  return new CredentialStorageError(
    `The credential database ${databasePath} contains credentials but no encryption key check, so the key ` +
      'that encrypted them cannot be confirmed. Restore the database from a backup.',
  );
}

/** Rejection of a name that another credential already has, regardless of case. */
export class DuplicateCredentialNameError extends BadUserInputError {
  constructor(name: string) {
    super(`A credential named ${JSON.stringify(name)} already exists; names are compared regardless of case.`, 'name');
    this.name = 'DuplicateCredentialNameError';
  }
}
