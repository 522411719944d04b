/**
 * The demo application that the emulator accepts, and the tenant it belongs to. These values are public on purpose:
 * the README, the demo and the tests show them, and they open nothing but the emulator.
 */

/** Client id in the `namespace.application.version.Release` form of Kibo application keys. */
export const DEMO_CLIENT_ID = 'kibo-gateway.demo.1.0.0.Release';

/** Shared secret of the demo application. It only works against the emulator. */
export const DEMO_CLIENT_SECRET = 'demo-secret-for-the-kibo-emulator-only';

export const DEMO_TENANT_ID = 10001;
export const DEMO_SITE_ID = 20001;
export const DEMO_MASTER_CATALOG_ID = 1;
export const DEMO_CATALOG_ID = 1;

/** Credentials and tenant context of an application registered with the emulator. */
export interface EmulatorApplication {
  clientId: string;
  clientSecret: string;
  tenantId: number;
  siteId: number;
  masterCatalogId: number;
  catalogId: number;
}

export const DEMO_APPLICATION: Readonly<EmulatorApplication> = Object.freeze({
  clientId: DEMO_CLIENT_ID,
  clientSecret: DEMO_CLIENT_SECRET,
  tenantId: DEMO_TENANT_ID,
  siteId: DEMO_SITE_ID,
  masterCatalogId: DEMO_MASTER_CATALOG_ID,
  catalogId: DEMO_CATALOG_ID,
});
