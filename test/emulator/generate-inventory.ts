import { DEMO_TENANT_ID } from './application.js';
import { stockCodes } from './generate-catalog.js';
import type { SeededRandom } from './random.js';
import type { KiboInventoryRow, KiboProduct } from './types.js';

/** Stock locations of the sample tenant: two warehouses that ship and two stores that offer pickup. */
export const LOCATIONS = [
  { code: 'WH-EAST', name: 'East Warehouse', directShip: true, pickup: false, transferEnabled: true },
  { code: 'WH-WEST', name: 'West Warehouse', directShip: true, pickup: false, transferEnabled: true },
  { code: 'STORE-AUS', name: 'Austin Store', directShip: false, pickup: true, transferEnabled: false },
  { code: 'STORE-CHI', name: 'Chicago Store', directShip: true, pickup: true, transferEnabled: false },
] as const;

/**
 * Generates Inventory-service rows for every stock-keeping code at three or four locations, about 15% of them with
 * no stock. A configurable product has no stock of its own, so its variations get the rows instead. Each row
 * carries the code in `upc`, `partNumber` and `sku`, so a request can match on any of the three, and Kibo's own
 * sandbox data also keeps product codes in `upc`.
 */
export function generateInventory(random: SeededRandom, products: readonly KiboProduct[]): KiboInventoryRow[] {
  const rows: KiboInventoryRow[] = [];
  for (const product of products) {
    for (const code of stockCodes(product)) {
      const locationCount = random.integer(3, LOCATIONS.length);
      const locations = LOCATIONS.slice(0, locationCount);
      for (const location of locations) {
        const onHand = random.chance(0.15) ? 0 : random.integer(1, 250);
        const allocated = onHand === 0 ? 0 : random.integer(0, Math.min(onHand, 10));
        rows.push({
          locationName: location.name,
          locationCode: location.code,
          tenantID: DEMO_TENANT_ID,
          onHand,
          available: onHand - allocated,
          allocated,
          pending: random.chance(0.1) ? random.integer(1, 5) : 0,
          upc: code,
          partNumber: code,
          sku: code,
          blockAssignment: false,
          ltd: 0,
          floor: 0,
          safetyStock: 0,
          distance: 0,
          directShip: location.directShip,
          transferEnabled: location.transferEnabled,
          pickup: location.pickup,
          countryCode: 'US',
        });
      }
    }
  }
  return rows;
}
