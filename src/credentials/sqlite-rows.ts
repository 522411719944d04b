import type { StoredCredential, StoredCredentialChanges } from './store.js';
import type { CredentialStatus } from './types.js';

/** A row of the `credentials` table as better-sqlite3 returns it. */
export interface CredentialRow {
  id: string;
  name: string;
  description: string;
  client_id: string;
  secret_ciphertext: Buffer;
  secret_hint: string | null;
  tenant_id: number;
  site_id: number | null;
  master_catalog_id: number | null;
  catalog_id: number | null;
  api_host: string | null;
  auth_host: string;
  is_default: number;
  status: string;
  last_verified_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

type ChangeableField = Exclude<keyof StoredCredentialChanges, 'changedAt'>;

/** Column of each field that an update may change. The SQL is built only from these names, never from input. */
export const CHANGEABLE_COLUMNS: Readonly<Record<ChangeableField, string>> = {
  name: 'name',
  description: 'description',
  clientId: 'client_id',
  secretCiphertext: 'secret_ciphertext',
  secretHint: 'secret_hint',
  tenantId: 'tenant_id',
  siteId: 'site_id',
  masterCatalogId: 'master_catalog_id',
  catalogId: 'catalog_id',
  apiHost: 'api_host',
  authHost: 'auth_host',
  status: 'status',
  lastVerifiedAt: 'last_verified_at',
  lastErrorCode: 'last_error_code',
  lastErrorMessage: 'last_error_message',
};

/** Fields whose change records a verification and so leaves `version` and `updated_at` alone. */
export const VERIFICATION_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'lastVerifiedAt',
  'lastErrorCode',
  'lastErrorMessage',
]);

export function fromRow(row: CredentialRow): StoredCredential {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    clientId: row.client_id,
    secretCiphertext: row.secret_ciphertext,
    secretHint: row.secret_hint ?? undefined,
    tenantId: row.tenant_id,
    siteId: row.site_id ?? undefined,
    masterCatalogId: row.master_catalog_id ?? undefined,
    catalogId: row.catalog_id ?? undefined,
    apiHost: row.api_host ?? undefined,
    authHost: row.auth_host,
    isDefault: row.is_default === 1,
    // The CHECK constraint on the column admits only the three statuses.
    status: row.status as CredentialStatus,
    lastVerifiedAt: row.last_verified_at ?? undefined,
    lastErrorCode: row.last_error_code ?? undefined,
    lastErrorMessage: row.last_error_message ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Converts a field value to the value bound to SQLite: undefined becomes NULL, booleans become 0 or 1. */
export function toColumnValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
