import type { Database } from 'better-sqlite3';

import { CredentialStorageError } from './store.js';

/** One step of the credential database schema. Versions start at 1 and rise by one; a step is never edited. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Schema steps in the order they are applied. Append new steps; never change or remove an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'Create the credentials and gateway_meta tables',
    sql: `
      CREATE TABLE gateway_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE credentials (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        client_id TEXT NOT NULL,
        secret_ciphertext BLOB NOT NULL,
        secret_hint TEXT,
        tenant_id INTEGER NOT NULL CHECK (tenant_id > 0),
        site_id INTEGER CHECK (site_id > 0),
        master_catalog_id INTEGER CHECK (master_catalog_id > 0),
        catalog_id INTEGER CHECK (catalog_id > 0),
        api_host TEXT,
        auth_host TEXT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        status TEXT NOT NULL DEFAULT 'UNVERIFIED' CHECK (status IN ('UNVERIFIED', 'VERIFIED', 'FAILED')),
        last_verified_at TEXT,
        last_error_code TEXT,
        last_error_message TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      -- NOCASE folds ASCII letters only, so "Prod" and "PROD" collide but "Ä" and "ä" do not.
      CREATE UNIQUE INDEX credentials_name_unique ON credentials (name COLLATE NOCASE);

      -- At most one row can carry the default flag.
      CREATE UNIQUE INDEX credentials_single_default ON credentials (is_default) WHERE is_default = 1;
    `,
  },
];

/** Highest schema version this code can read and write. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Returns true when the database has a table of this name. */
export function tableExists(db: Database, table: string): boolean {
  const row = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  return row !== undefined;
}

/** Returns the highest applied schema version, or 0 for a database without migrations. */
export function readSchemaVersion(db: Database): number {
  if (!tableExists(db, 'schema_migrations')) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Throws unless this code supports every migration applied to the database. A newer database may have columns or
 * rules this code would break, so it is not touched.
 */
export function assertSchemaSupported(db: Database, path: string): void {
  const version = readSchemaVersion(db);
  if (version > LATEST_SCHEMA_VERSION) {
    throw new CredentialStorageError(
      `The credential database ${path} has schema version ${version}, but this gateway supports versions up to ` +
        `${LATEST_SCHEMA_VERSION}. Run a gateway release that supports it, or restore a backup made by this release.`,
    );
  }
}

/**
 * Applies the missing migrations, each in its own write transaction, and returns the versions applied. Each
 * transaction reads the version again after taking the write lock, so two processes starting together apply
 * every step once.
 */
export function applyMigrations(db: Database, path: string): number[] {
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT
  `);

  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    const apply = db.transaction(() => {
      assertSchemaSupported(db, path);
      if (readSchemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.description,
        new Date().toISOString(),
      );
      applied.push(migration.version);
    });
    apply.immediate();
  }
  return applied;
}
