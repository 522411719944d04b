import DataLoader from 'dataloader';
import type { GatewayConfig } from '../config.js';
import type { KiboApi } from '../kibo/api.js';
import type { KiboInventoryRow } from '../kibo/models.js';
import { asError } from './by-key-field.js';

export interface InventoryKey {
  productCode: string;
  /** Locations to report; undefined means every location. */
  locationCodes?: readonly string[] | undefined;
}

type LoaderOptions = { batch: boolean; cache: boolean; maxBatchSize: number };

/**
 * Loads inventory rows per product. Keys that ask for the same locations share one Inventory-service call,
 * and rows are matched to products by the configured item field (`upc`, `partNumber` or `sku`).
 */
export function createInventoryLoader(
  api: KiboApi,
  config: GatewayConfig,
  options: LoaderOptions,
): DataLoader<InventoryKey, KiboInventoryRow[], string> {
  const itemKey = config.kibo.inventoryItemKey;

  return new DataLoader<InventoryKey, KiboInventoryRow[], string>(
    async (keys) => {
      const groups = new Map<string, InventoryKey[]>();
      for (const key of keys) {
        const locationsKey = locationsCacheKey(key.locationCodes);
        const group = groups.get(locationsKey) ?? [];
        group.push(key);
        groups.set(locationsKey, group);
      }

      const results = new Map<InventoryKey, KiboInventoryRow[] | Error>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const locationCodes = group[0]!.locationCodes;
          try {
            const rows = await api.inventory.query({
              productCodes: group.map((key) => key.productCode),
              locationCodes: locationCodes ? [...locationCodes] : undefined,
            });
            const requestedLocations = locationCodes ? new Set(locationCodes) : undefined;
            const rowsByProduct = new Map<string, KiboInventoryRow[]>();
            for (const row of rows) {
              const productCode = row[itemKey];
              if (!productCode || (requestedLocations && !requestedLocations.has(row.locationCode ?? ''))) continue;
              const productRows = rowsByProduct.get(productCode) ?? [];
              productRows.push(row);
              rowsByProduct.set(productCode, productRows);
            }
            for (const key of group) results.set(key, rowsByProduct.get(key.productCode) ?? []);
          } catch (error) {
            for (const key of group) results.set(key, asError(error));
          }
        }),
      );
      return keys.map((key) => results.get(key)!);
    },
    { ...options, cacheKeyFn: inventoryCacheKey },
  );
}

function locationsCacheKey(locationCodes: readonly string[] | undefined): string {
  return locationCodes ? JSON.stringify([...new Set(locationCodes)].sort()) : '*';
}

function inventoryCacheKey(key: InventoryKey): string {
  return `${locationsCacheKey(key.locationCodes)}\u0000${key.productCode}`;
}
