/**
 * Kibo REST models used by the gateway, taken type-only from `@kibocommerce/rest-sdk` (a dev dependency, so no
 * SDK code runs). The rest of `src/` imports Kibo shapes from here only.
 */
import type { CatalogAdminsProduct } from '@kibocommerce/rest-sdk/clients/CatalogAdministration/models/index.js';
import type { Cart, CartItem, Order, OrderItem } from '@kibocommerce/rest-sdk/clients/Commerce/models/index.js';
import type { CustomerAccount, CustomerContact } from '@kibocommerce/rest-sdk/clients/Customer/models/index.js';
import type { InventoryResponse } from '@kibocommerce/rest-sdk/clients/Inventory/models/index.js';

export type {
  CatalogAdminsProduct,
  CatalogAdminsProductCollection,
} from '@kibocommerce/rest-sdk/clients/CatalogAdministration/models/index.js';
export type {
  Cart,
  CartItem,
  Order,
  OrderItem,
  OrderCollection,
} from '@kibocommerce/rest-sdk/clients/Commerce/models/index.js';
export type {
  CustomerAccount,
  CustomerAccountCollection,
  CustomerContact,
} from '@kibocommerce/rest-sdk/clients/Customer/models/index.js';
export type {
  InventoryRequest,
  InventoryResponse,
  ItemQuantity,
} from '@kibocommerce/rest-sdk/clients/Inventory/models/index.js';
export type { Site, Tenant } from '@kibocommerce/rest-sdk/clients/Tenant/models/index.js';

/** A product as the catalog administration API returns it. */
export type KiboProduct = CatalogAdminsProduct;
/**
 * An order as the commerce API returns it. The SDK's `CommerceRuntimeOrder` is generated almost empty in
 * 3.2634.1; `Order` and `OrderItem` are its complete order models.
 */
export type KiboOrder = Order;
export type KiboOrderItem = OrderItem;
export type KiboCart = Cart;
export type KiboCartItem = CartItem;
/** A customer account as the customer API returns it. */
export type KiboCustomer = CustomerAccount;
export type KiboCustomerContact = CustomerContact;
/** One row of an Inventory-service query: one item at one location. */
export type KiboInventoryRow = InventoryResponse;
