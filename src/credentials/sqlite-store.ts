import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

import Database, { type Database as Connection, type Statement } from 'better-sqlite3';

import type { Logger } from '../logger.js';
import { isErrorCode, warnIfShared } from './key-file.js';
import { applyMigrations, assertSchemaSupported, tableExists } from './migrations.js';
import { CHANGEABLE_COLUMNS, type CredentialRow, fromRow, toColumnValue, VERIFICATION_FIELDS } from './sqlite-rows.js';
import {
  type CredentialStore,
  CredentialStorageError,
  DuplicateCredentialNameError,
  missingKeyCheckError,
  type NewStoredCredential,
  type StoredCredential,
  type StoredCredentialChanges,
  type StoredKeyCheck,
} from './store.js';

/** Name of the database file inside the data directory. */
export const DATABASE_FILE_NAME = 'gateway.db';

/** Default time a statement waits for another connection's write lock, in milliseconds. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export interface SqliteCredentialStoreOptions {
  /** Folder of `gateway.db`; created with mode 0700 when missing. */
  dataDir: string;
  /** Time a statement waits for another connection's write lock before it fails, in milliseconds. */
  busyTimeoutMs?: number | undefined;
  logger: Logger;
}

/**
 * Credential store in a SQLite file at `<dataDir>/gateway.db`. WAL mode lets readers and the one writer work
 * without blocking each other. better-sqlite3 runs statements synchronously, so writes from one process are
 * serialized, and writes from other processes wait for the lock up to the busy timeout.
 */
export class SqliteCredentialStore implements CredentialStore {
  readonly path: string;
  readonly #db: Connection;
  readonly #logger: Logger;
  readonly #statements = new Map<string, Statement>();

  private constructor(db: Connection, path: string, logger: Logger) {
    this.#db = db;
    this.path = path;
    this.#logger = logger;
  }

  /**
   * Opens or creates the database file (mode 0600) and checks that this code supports its schema version. Opening
   * writes nothing to an existing database; call `migrate` once the encryption key has been checked.
   * @throws CredentialStorageError when the file is not a SQLite database or has a newer schema.
   */
  static open(options: SqliteCredentialStoreOptions): SqliteCredentialStore {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const path = join(options.dataDir, DATABASE_FILE_NAME);
    createPrivateFile(path);
    warnIfShared(path, options.logger);

    let db: Connection;
    try {
      db = new Database(path, { fileMustExist: true, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new CredentialStorageError(`Cannot open the credential database ${path}: ${describe(error)}`, {
        cause: error,
      });
    }

    try {
      db.pragma('foreign_keys = ON');
      // FULL makes every acknowledged commit survive a power failure; credential writes are rare enough that
      // the extra fsync does not matter.
      db.pragma('synchronous = FULL');
      assertSchemaSupported(db, path);
    } catch (error) {
      db.close();
      if (error instanceof CredentialStorageError) throw error;
      throw new CredentialStorageError(
        `The file ${path} is not a readable credential database (${describe(error)}). Move it away to start with ` +
          'an empty store, or restore it from a backup.',
        { cause: error },
      );
    }
    return new SqliteCredentialStore(db, path, options.logger);
  }

  /**
   * Switches the database to WAL mode and applies missing migrations. Returns the versions applied.
   */
  migrate(): number[] {
    const mode = this.#db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      this.#logger.warn({ path: this.path, journalMode: mode }, 'Credential database could not switch to WAL mode');
    }
    const applied = applyMigrations(this.#db, this.path);
    if (applied.length > 0) {
      this.#logger.info({ path: this.path, versions: applied }, 'Applied credential database migrations');
    }
    return applied;
  }

  async list(): Promise<StoredCredential[]> {
    const rows = this.#prepare('SELECT * FROM credentials ORDER BY name COLLATE NOCASE, id').all() as CredentialRow[];
    return rows.map(fromRow);
  }

  async get(id: string): Promise<StoredCredential | undefined> {
    return this.#getSync(id);
  }

  async getByName(name: string): Promise<StoredCredential | undefined> {
    const row = this.#prepare('SELECT * FROM credentials WHERE name = ? COLLATE NOCASE').get(name) as
      | CredentialRow
      | undefined;
    return row && fromRow(row);
  }

  async getDefault(): Promise<StoredCredential | undefined> {
    const row = this.#prepare('SELECT * FROM credentials WHERE is_default = 1').get() as CredentialRow | undefined;
    return row && fromRow(row);
  }

  async insert(credential: NewStoredCredential): Promise<StoredCredential> {
    const insert = this.#db.transaction(() => {
      if (credential.isDefault) this.#clearDefaultSync();
      this.#prepare(
        `INSERT INTO credentials (
           id, name, description, client_id, secret_ciphertext, secret_hint, tenant_id, site_id, master_catalog_id,
           catalog_id, api_host, auth_host, is_default, status, last_verified_at, last_error_code,
           last_error_message, created_at, updated_at, version
         ) VALUES (
           @id, @name, @description, @clientId, @secretCiphertext, @secretHint, @tenantId, @siteId,
           @masterCatalogId, @catalogId, @apiHost, @authHost, @isDefault, @status, @lastVerifiedAt, @lastErrorCode,
           @lastErrorMessage, @createdAt, @updatedAt, 1
         )`,
      ).run(bindings(credential));
      return this.#getSync(credential.id);
    });

    const inserted = this.#withNameCheck(() => credential.name, () => insert.immediate());
    if (inserted === undefined) throw new Error(`Internal error: credential ${credential.id} vanished after insert.`);
    return inserted;
  }

  async update(
    id: string,
    change: (current: StoredCredential) => StoredCredentialChanges | undefined,
  ): Promise<StoredCredential | undefined> {
    let newName: string | undefined;
    const update = this.#db.transaction(() => {
      const current = this.#getSync(id);
      if (current === undefined) return undefined;
      const changes = change(current);
      if (changes === undefined) return current;
      newName = changes.name;

      const { changedAt, ...fields } = changes;
      const assignments: string[] = [];
      const values: Record<string, unknown> = { id };
      let raisesVersion = false;
      for (const [field, value] of Object.entries(fields)) {
        const column = CHANGEABLE_COLUMNS[field as keyof typeof CHANGEABLE_COLUMNS];
        if (column === undefined) throw new Error(`Internal error: credential field ${field} cannot be updated.`);
        assignments.push(`${column} = @${field}`);
        values[field] = toColumnValue(value);
        if (!VERIFICATION_FIELDS.has(field)) raisesVersion = true;
      }
      if (raisesVersion) {
        assignments.push('version = version + 1', 'updated_at = @changedAt');
        values.changedAt = changedAt;
      }
      if (assignments.length === 0) return current;

      this.#prepare(`UPDATE credentials SET ${assignments.join(', ')} WHERE id = @id`).run(values);
      return this.#getSync(id);
    });

    return this.#withNameCheck(() => newName, () => update.immediate());
  }

  async delete(id: string): Promise<boolean> {
    return this.#prepare('DELETE FROM credentials WHERE id = ?').run(id).changes > 0;
  }

  async setDefault(id: string): Promise<StoredCredential | undefined> {
    const setDefault = this.#db.transaction(() => {
      if (this.#getSync(id) === undefined) return undefined;
      this.#clearDefaultSync();
      this.#prepare('UPDATE credentials SET is_default = 1 WHERE id = ?').run(id);
      return this.#getSync(id);
    });
    return setDefault.immediate();
  }

  async clearDefault(): Promise<void> {
    this.#clearDefaultSync();
  }

  async getKeyCheck(): Promise<StoredKeyCheck | undefined> {
    return this.#getKeyCheckSync();
  }

  async initializeKeyCheck(check: StoredKeyCheck): Promise<StoredKeyCheck> {
    const initialize = this.#db.transaction(() => {
      const existing = this.#getKeyCheckSync();
      if (existing !== undefined) return existing;
      if (this.#hasCredentialsSync()) {
        throw missingKeyCheckError(this.path);
      }
      const insert = this.#prepare('INSERT INTO gateway_meta (key, value) VALUES (?, ?)');
      insert.run('encryption_key_id', String(check.keyId));
      insert.run('encryption_key_check', check.check);
      return check;
    });
    return initialize.immediate();
  }

  async hasCredentials(): Promise<boolean> {
    return this.#hasCredentialsSync();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #getSync(id: string): StoredCredential | undefined {
    const row = this.#prepare('SELECT * FROM credentials WHERE id = ?').get(id) as CredentialRow | undefined;
    return row && fromRow(row);
  }

  #clearDefaultSync(): void {
    this.#prepare('UPDATE credentials SET is_default = 0 WHERE is_default = 1').run();
  }

  // These two run before migrations, when the tables may not exist yet.
  #getKeyCheckSync(): StoredKeyCheck | undefined {
    if (!tableExists(this.#db, 'gateway_meta')) return undefined;
    const rows = this.#db
      .prepare("SELECT key, value FROM gateway_meta WHERE key IN ('encryption_key_id', 'encryption_key_check')")
      .all() as { key: string; value: string }[];
    const keyId = rows.find((row) => row.key === 'encryption_key_id')?.value;
    const check = rows.find((row) => row.key === 'encryption_key_check')?.value;
    if (keyId === undefined || check === undefined) return undefined;
    return { keyId: Number(keyId), check };
  }

  #hasCredentialsSync(): boolean {
    if (!tableExists(this.#db, 'credentials')) return false;
    return this.#db.prepare('SELECT 1 FROM credentials LIMIT 1').get() !== undefined;
  }

  /** Runs a write and turns a violation of the unique name index into `DuplicateCredentialNameError`. */
  #withNameCheck<T>(attemptedName: () => string | undefined, write: () => T): T {
    try {
      return write();
    } catch (error) {
      const attempted = attemptedName();
      if (attempted !== undefined && isUniqueNameViolation(error)) throw new DuplicateCredentialNameError(attempted);
      throw error;
    }
  }
}

/** Creates an empty file readable only by its owner, unless the file exists. */
function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
  }
}

function isUniqueNameViolation(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('credentials.name')
  );
}

function bindings(credential: NewStoredCredential): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(credential)) values[field] = toColumnValue(value);
  return values;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
