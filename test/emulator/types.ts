import type { CatalogAdminsProduct } from '@kibocommerce/rest-sdk/clients/CatalogAdministration/models/index.js';
import type { Cart, Order } from '@kibocommerce/rest-sdk/clients/Commerce/models/index.js';
import type { CustomerAccount } from '@kibocommerce/rest-sdk/clients/Customer/models/index.js';
import type { InventoryResponse } from '@kibocommerce/rest-sdk/clients/Inventory/models/index.js';
import type { Tenant } from '@kibocommerce/rest-sdk/clients/Tenant/models/index.js';

/** A product as the catalog admin API returns it (`GET /commerce/catalog/admin/products/{productCode}`). */
export type KiboProduct = CatalogAdminsProduct;

/**
 * An order as `GET /commerce/orders/{orderId}` returns it. The SDK's `CommerceRuntimeOrder` model types almost every
 * field as `any`, so the records use its fully typed sibling `Order`, which `OrderCollection.items` also uses.
 */
export type KiboOrder = Order;

export type KiboCart = Cart;

export type KiboCustomer = CustomerAccount;

/** One row of the bare array that `POST /commerce/inventory/v5/inventory` returns. */
export type KiboInventoryRow = InventoryResponse;

export type KiboTenant = Tenant;

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
