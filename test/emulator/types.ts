import type {
  KiboCart,
  KiboCartItem,
  KiboCustomer,
  KiboInventoryRow,
  KiboOrder,
  KiboProduct,
  Tenant as KiboTenant,
} from '../../src/kibo/models.js';

// The emulator serves the same Kibo record types the gateway reads, from Kibo's own SDK models.
export type { KiboCart, KiboCartItem, KiboCustomer, KiboInventoryRow, KiboOrder, KiboProduct, KiboTenant };

/** Every record the emulator serves for its one tenant. Routes read these arrays and never change them. */
export interface TenantData {
  /** The tenant's `domain` and its sites' `domain` are replaced by the emulator's own `host:port` when served. */
  tenant: KiboTenant;
  products: KiboProduct[];
  customers: KiboCustomer[];
  orders: KiboOrder[];
  carts: KiboCart[];
  inventory: KiboInventoryRow[];
}
