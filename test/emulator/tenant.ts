import { DEMO_CATALOG_ID, DEMO_MASTER_CATALOG_ID, DEMO_SITE_ID, DEMO_TENANT_ID } from './application.js';
import type { KiboTenant } from './types.js';

/** Builds the demo tenant record. Its `domain` fields are empty here and filled with the emulator's address when served. */
export function buildDemoTenant(): KiboTenant {
  return {
    id: DEMO_TENANT_ID,
    name: 'Emulator Demo Tenant',
    isDevTenant: true,
    domain: '',
    sites: [
      {
        id: DEMO_SITE_ID,
        name: 'Demo Outdoor Store',
        tenantId: DEMO_TENANT_ID,
        catalogId: DEMO_CATALOG_ID,
        localeCode: 'en-US',
        countryCode: 'US',
        currencyCode: 'USD',
        domain: '',
      },
    ],
    masterCatalogs: [
      {
        id: DEMO_MASTER_CATALOG_ID,
        name: 'Demo Master Catalog',
        tenantId: DEMO_TENANT_ID,
        defaultLocaleCode: 'en-US',
        defaultCurrencyCode: 'USD',
        catalogs: [{ id: DEMO_CATALOG_ID, name: 'Demo Catalog', masterCatalogId: DEMO_MASTER_CATALOG_ID, tenantId: DEMO_TENANT_ID }],
      },
    ],
  };
}
