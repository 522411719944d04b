import type { EnvironmentCredential } from '../config.js';
import type { Logger } from '../logger.js';
import { parseEncryptionKey, SecretCipher } from './encryption.js';
import { createKeyFile, keyFilePath, readKeyFile } from './key-file.js';
import { CredentialService } from './service.js';
import { SqliteCredentialStore } from './sqlite-store.js';
import { CredentialStorageError, missingKeyCheckError, type StoredKeyCheck } from './store.js';

const ENVIRONMENT_KEY_NAME = 'GATEWAY_ENCRYPTION_KEY';

/** Key id given to the first key of a new database; a later key rotation would add higher ids. */
const INITIAL_KEY_ID = 1;

/** Settings of the credential database and its encryption key. */
export interface CredentialStorageOptions {
  /** Folder of `gateway.db` and `encryption.key`; created with mode 0700 when missing. */
  dataDir: string;
  /**
   * Base64 text of a 32-byte key (`GATEWAY_ENCRYPTION_KEY`). When absent, the key is read from
   * `<dataDir>/encryption.key`, which is generated only for a database without credentials.
   */
  encryptionKey?: string | undefined;
  /** Time a statement waits for another process's write lock, in milliseconds; 5000 when absent. */
  busyTimeoutMs?: number | undefined;
  logger: Logger;
}

export interface CredentialServiceSetup extends CredentialStorageOptions {
  environmentCredential?: EnvironmentCredential | undefined;
  onCredentialChanged?: ((id: string) => void | Promise<void>) | undefined;
}

/** Loaded encryption key and where it came from, for error messages. */
interface LoadedKey {
  key: Buffer;
  source: string;
}

/**
 * Opens the SQLite credential store and checks the encryption key against the key check value stored in the
 * database. Only after the key is confirmed are migrations applied, so a start with a wrong or missing key
 * leaves the database unchanged.
 * @throws CredentialStorageError when the key is missing, malformed or does not match the stored data, or the
 *   database cannot be used. The message names the fix.
 */
export async function openCredentialStorage(
  options: CredentialStorageOptions,
): Promise<{ store: SqliteCredentialStore; cipher: SecretCipher }> {
  // A malformed key is reported before anything is created on disk.
  const environmentKey =
    options.encryptionKey === undefined ? undefined : parseEncryptionKey(options.encryptionKey, ENVIRONMENT_KEY_NAME);
  const store = SqliteCredentialStore.open(options);
  try {
    const storedCheck = await store.getKeyCheck();
    const hasCredentials = await store.hasCredentials();
    if (storedCheck === undefined && hasCredentials) throw missingKeyCheckError(store.path);

    // A new key is generated only while nothing is encrypted yet; otherwise it could never decrypt the data.
    const loaded: LoadedKey = environmentKey
      ? { key: environmentKey, source: ENVIRONMENT_KEY_NAME }
      : loadKeyFile(options, store.path, storedCheck === undefined);
    const cipher = new SecretCipher(loaded.key, storedCheck?.keyId ?? INITIAL_KEY_ID);
    if (storedCheck !== undefined) assertKeyMatches(cipher, storedCheck, loaded.source, store.path);

    store.migrate();
    // Another process may have stored its key check in the meantime; it must then have used the same key.
    const agreedCheck = await store.initializeKeyCheck({ keyId: cipher.keyId, check: cipher.keyCheck() });
    assertKeyMatches(cipher, agreedCheck, loaded.source, store.path);
    return { store, cipher };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Opens the credential storage and returns a service over it; `service.close()` closes the database. */
export async function openCredentialService(setup: CredentialServiceSetup): Promise<CredentialService> {
  const { store, cipher } = await openCredentialStorage(setup);
  return new CredentialService({
    store,
    cipher,
    logger: setup.logger,
    environmentCredential: setup.environmentCredential,
    onCredentialChanged: setup.onCredentialChanged,
  });
}

function loadKeyFile(options: CredentialStorageOptions, databasePath: string, mayCreate: boolean): LoadedKey {
  const path = keyFilePath(options.dataDir);
  const source = `the key file ${path}`;
  const existing = readKeyFile(path, options.logger);
  if (existing !== undefined) return { key: existing, source };
  if (mayCreate) return { key: createKeyFile(path, options.logger), source };

  throw new CredentialStorageError(
    `The credential database ${databasePath} contains encrypted data, but no encryption key was found: ${path} ` +
      'does not exist and GATEWAY_ENCRYPTION_KEY is not set. Restore the key file from a backup, or set ' +
      'GATEWAY_ENCRYPTION_KEY to the key used before. No new key was generated, because it could not decrypt ' +
      'the stored secrets.',
  );
}

function assertKeyMatches(cipher: SecretCipher, stored: StoredKeyCheck, source: string, databasePath: string): void {
  if (stored.keyId === cipher.keyId && cipher.matchesKeyCheck(stored.check)) return;
  throw new CredentialStorageError(
    `The encryption key from ${source} does not match the key that encrypted the credential database ` +
      `${databasePath}. Use the key that was used before (restore the key file or correct ` +
      'GATEWAY_ENCRYPTION_KEY).',
  );
}
