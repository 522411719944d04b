export { CredentialService, type CredentialServiceOptions } from './service.js';
export {
  openCredentialService,
  openCredentialStorage,
  type CredentialServiceSetup,
  type CredentialStorageOptions,
} from './open.js';
export { SqliteCredentialStore, DATABASE_FILE_NAME, DEFAULT_BUSY_TIMEOUT_MS } from './sqlite-store.js';
export {
  CredentialStorageError,
  DuplicateCredentialNameError,
  type CredentialStore,
  type StoredCredential,
} from './store.js';
export { SecretCipher, EncryptionKeyError, SecretDecryptionError, parseEncryptionKey } from './encryption.js';
export { KEY_FILE_NAME } from './key-file.js';
export {
  CREDENTIAL_LIMITS,
  type CreateCredentialInput,
  type UpdateCredentialInput,
} from './validation.js';
export {
  CREDENTIAL_STATUSES,
  DEFAULT_AUTH_HOST,
  ENVIRONMENT_CREDENTIAL_ID,
  type CredentialMetadata,
  type CredentialRecord,
  type CredentialSettings,
  type CredentialSource,
  type CredentialStatus,
  type ResolvedCredential,
  type VerificationFailure,
  type VerificationResult,
  type VerificationSuccess,
} from './types.js';
