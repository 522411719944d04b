import { isLoopbackHost } from '../config.js';
import { ErrorCode, KiboError } from '../errors.js';
import { raceSignal } from './deadline.js';
import type { Tenant } from './models.js';
import type { KiboCredential } from './types.js';

/** API host and tenant context of a credential's data calls. */
export interface TenantContext {
  /** Origin of the API host, without `/api`. */
  origin: string;
  tenantId: number;
  siteId: number | undefined;
  catalogId: number | undefined;
  masterCatalogId: number | undefined;
}

/** Reads the tenant record of a credential from the auth host. */
export type TenantLookup = (credential: KiboCredential) => Promise<Tenant>;

export interface TenantResolverOptions {
  /** How long a tenant record is reused, in seconds; 0 looks it up for every call. */
  cacheSeconds: number;
  lookup: TenantLookup;
}

interface CachedTenant {
  fingerprint: string;
  tenant: Tenant;
  expiresAt: number;
}

/**
 * Resolves a credential's API host and catalog ids. They come from the credential when it names an API host, else
 * from Kibo's tenant record, which is cached and looked up at most once at a time per credential.
 */
export class TenantResolver {
  private readonly cache = new Map<string, CachedTenant>();
  private readonly inFlight = new Map<string, { fingerprint: string; promise: Promise<Tenant> }>();

  constructor(private readonly options: TenantResolverOptions) {}

  /**
   * Returns the context of `credential`. `signal` stops this caller's wait only.
   * @throws KiboError from the lookup, KIBO_BAD_REQUEST when the credential's site is not in the tenant, or
   * KIBO_BAD_RESPONSE when the tenant record has no usable domain.
   */
  async resolve(credential: KiboCredential, signal: AbortSignal): Promise<TenantContext> {
    if (credential.apiHost) {
      return {
        origin: credential.apiHost,
        tenantId: credential.tenantId,
        siteId: credential.siteId,
        catalogId: credential.catalogId,
        masterCatalogId: credential.masterCatalogId,
      };
    }
    return contextFromTenant(credential, await this.tenant(credential, signal));
  }

  /**
   * Returns the tenant record of `credential`, from the cache or a lookup shared with other callers. It is looked
   * up even when the credential names an API host. `signal` stops this caller's wait only.
   */
  tenant(credential: KiboCredential, signal: AbortSignal): Promise<Tenant> {
    return raceSignal(this.tenantOf(credential), signal);
  }

  /** Drops the cached tenant record of a credential and detaches a lookup in flight. */
  forget(credentialId: string): void {
    this.cache.delete(credentialId);
    this.inFlight.delete(credentialId);
  }

  private tenantOf(credential: KiboCredential): Promise<Tenant> {
    // The record depends on the tenant and the host asked, so a credential changed under the same id misses.
    const fingerprint = `${credential.tenantId}\u0000${credential.authHost}`;
    const cached = this.cache.get(credential.id);
    if (cached?.fingerprint === fingerprint && Date.now() < cached.expiresAt) return Promise.resolve(cached.tenant);

    const running = this.inFlight.get(credential.id);
    if (running?.fingerprint === fingerprint) return running.promise;

    const promise = this.options.lookup(credential);
    const entry = { fingerprint, promise };
    this.inFlight.set(credential.id, entry);
    const settle = (tenant: Tenant | undefined) => {
      // Only the lookup still registered may fill the cache: `forget` or a newer lookup replaced any other.
      if (this.inFlight.get(credential.id) !== entry) return;
      this.inFlight.delete(credential.id);
      if (tenant !== undefined && this.options.cacheSeconds > 0) {
        const expiresAt = Date.now() + this.options.cacheSeconds * 1000;
        this.cache.set(credential.id, { fingerprint, tenant, expiresAt });
      }
    };
    promise.then(settle, () => settle(undefined));
    return promise;
  }
}

/**
 * Builds the context from a tenant record. The site's domain wins over the tenant's when the credential names a
 * site. Catalog ids come from the credential first, else from the site and the tenant's master catalogs.
 */
export function contextFromTenant(credential: KiboCredential, tenant: Tenant): TenantContext {
  const { siteId } = credential;
  const site = siteId === undefined ? undefined : tenant.sites?.find((candidate) => candidate.id === siteId);
  if (credential.siteId !== undefined && site === undefined) {
    throw new KiboError(
      ErrorCode.KIBO_BAD_REQUEST,
      `Kibo tenant ${credential.tenantId} has no site ${credential.siteId}; check the credential's site id.`,
    );
  }
  const domain = site?.domain || tenant.domain;
  if (!domain) {
    throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, `Kibo's record of tenant ${credential.tenantId} has no domain.`);
  }
  const catalogId = credential.catalogId ?? positive(site?.catalogId);
  return {
    origin: originFromDomain(domain, credential.authHost),
    tenantId: credential.tenantId,
    siteId: credential.siteId,
    catalogId,
    masterCatalogId: credential.masterCatalogId ?? masterCatalogOf(tenant, catalogId),
  };
}

/**
 * Finds the master catalog that contains `catalogId`; without a catalog id, the tenant's only master catalog.
 * Returns undefined when the record does not settle it, and then the header is left out.
 */
function masterCatalogOf(tenant: Tenant, catalogId: number | undefined): number | undefined {
  const masterCatalogs = tenant.masterCatalogs ?? [];
  if (catalogId !== undefined) {
    for (const master of masterCatalogs) {
      const catalog = master.catalogs?.find((candidate) => candidate.id === catalogId);
      if (catalog !== undefined) return positive(catalog.masterCatalogId) ?? positive(master.id);
    }
    return undefined;
  }
  return masterCatalogs.length === 1 ? positive(masterCatalogs[0]!.id) : undefined;
}

const DOMAIN_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/;

/**
 * Turns a tenant or site domain (a host name, perhaps with a port, and no scheme) into an origin. It takes the
 * auth host's scheme, except that plain http is used only for a loopback host, so real Kibo hosts get https
 * even when the auth host is a local emulator.
 * @throws KiboError KIBO_BAD_RESPONSE when the domain is not a plain host name.
 */
export function originFromDomain(domain: string, authHost: string): string {
  const host = domain.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!DOMAIN_PATTERN.test(host)) {
    throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, "Kibo's tenant record has an invalid domain.");
  }
  const url = new URL(`https://${host}`);
  const authIsHttp = new URL(authHost).protocol === 'http:';
  const scheme = authIsHttp && isLoopbackHost(url.hostname) ? 'http:' : 'https:';
  return `${scheme}//${url.host}`;
}

/** Builds the `x-vol-*` context headers of a data call; ids that are not known are left out. */
export function contextHeaders(context: TenantContext): Record<string, string> {
  const headers: Record<string, string> = { 'x-vol-tenant': String(context.tenantId) };
  if (context.siteId !== undefined) headers['x-vol-site'] = String(context.siteId);
  if (context.catalogId !== undefined) headers['x-vol-catalog'] = String(context.catalogId);
  if (context.masterCatalogId !== undefined) headers['x-vol-master-catalog'] = String(context.masterCatalogId);
  return headers;
}

function positive(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
