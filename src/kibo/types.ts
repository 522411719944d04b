/**
 * A Kibo application credential with its tenant context: everything the client needs to call Kibo for it.
 * Environment credentials and stored credentials both resolve to this shape.
 */
export interface KiboCredential {
  /** Stable id of the credential; part of every token and cache key, so two credentials never share one. */
  id: string;
  clientId: string;
  clientSecret: string;
  tenantId: number;
  siteId?: number | undefined;
  masterCatalogId?: number | undefined;
  catalogId?: number | undefined;
  /** Origin of the tenant or site API host (no `/api`); when absent it is looked up from the tenant. */
  apiHost?: string | undefined;
  /** Origin of the host that issues application tokens (no `/api`). */
  authHost: string;
}

/** Kibo's paged list envelope, shared by catalog, order and customer collections. */
export interface KiboPage<T> {
  startIndex: number;
  pageSize: number;
  pageCount: number;
  totalCount: number;
  items: T[];
}

/** Paging, sorting and filtering parameters of Kibo's list endpoints. */
export interface KiboListParams {
  startIndex?: number;
  /** At most 200, Kibo's documented maximum; larger values are clamped by the client. */
  pageSize?: number;
  sortBy?: string;
  /** A filter expression built by the filter builder in `filter.ts`, never a raw client string. */
  filter?: string;
  q?: string;
}

/** Per-call options that come from the GraphQL request. */
export interface KiboCallOptions {
  /** Aborted when the GraphQL request's client disconnects or its time limit runs out. */
  signal?: AbortSignal | undefined;
  /**
   * Epoch milliseconds at which the GraphQL request's time limit runs out. A call ends by the earlier of this
   * and its own budget, and a retry wait that would end later is not started.
   */
  deadline?: number | undefined;
  /** Request id forwarded to Kibo as `x-request-id` and written to every log line of the call. */
  requestId?: string | undefined;
}

/** Options of a POST call. */
export interface KiboPostOptions extends KiboCallOptions {
  /**
   * Marks a POST that only reads (for example an inventory query), so that it may be retried and replayed after a
   * 401. Leave unset for writes: a write is never sent twice.
   */
  idempotent?: boolean | undefined;
}

/** Result of requesting a fresh token for a credential; the token itself stays inside `src/kibo`. */
export interface TokenCheck {
  /** When the new token expires, from Kibo's `expires_in`. */
  expiresAt: Date;
  /** Time the token request took, in milliseconds. */
  durationMs: number;
}
