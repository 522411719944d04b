import DataLoader from 'dataloader';
import type { GatewayConfig } from '../config.js';
import type { KiboApi } from '../kibo/api.js';
import type { KiboCart, KiboCustomer, KiboInventoryRow, KiboProduct } from '../kibo/models.js';
import { createCustomerOrdersLoader, type CustomerOrdersKey, type OrdersPage } from './customer-orders.js';
import { createInventoryLoader, type InventoryKey } from './inventory.js';
import { loadByKeyField } from './by-key-field.js';

/**
 * DataLoaders of one request and one credential. They are built per request in the context, so no cached
 * record crosses requests or credentials.
 */
export interface Loaders {
  /** Products by code; `null` for a code Kibo does not have. */
  products: DataLoader<string, KiboProduct | null>;
  /** Customer accounts by id; `null` for an id Kibo does not have. */
  customers: DataLoader<number, KiboCustomer | null>;
  /** Inventory rows of one product, at the key's locations or at all locations. */
  inventory: DataLoader<InventoryKey, KiboInventoryRow[], string>;
  /** A page of one customer's orders. */
  customerOrders: DataLoader<CustomerOrdersKey, OrdersPage, string>;
  /** The current cart of a shopper by user id; `null` when the shopper has none. */
  userCarts: DataLoader<string, KiboCart | null>;
}

export function createLoaders(api: KiboApi, config: GatewayConfig): Loaders {
  const { batching } = config;
  const batchSize = config.kibo.filterBatchSize;
  const limits = { inForm: config.kibo.filterInLists, maxCount: batchSize, maxLength: config.kibo.filterMaxLength };
  // With batching off every load is its own upstream call and nothing is shared, which is the baseline the
  // benchmark compares against.
  const options = { batch: batching, cache: batching, maxBatchSize: batchSize };

  return {
    products: new DataLoader(
      (codes) =>
        loadByKeyField(codes, {
          field: 'productCode',
          keyOf: (product: KiboProduct) => product.productCode ?? undefined,
          getOne: (code) => api.products.get(code),
          list: (filter, pageSize) => api.products.list({ filter, pageSize }),
          limits,
        }),
      options,
    ),
    customers: new DataLoader(
      (ids) =>
        loadByKeyField(ids, {
          field: 'id',
          keyOf: (customer: KiboCustomer) => customer.id,
          getOne: (id) => api.customers.get(id),
          list: (filter, pageSize) => api.customers.list({ filter, pageSize }),
          limits,
        }),
      options,
    ),
    inventory: createInventoryLoader(api, config, options),
    customerOrders: createCustomerOrdersLoader(api, config, options),
    userCarts: new DataLoader(
      // Kibo has no call that reads several users' carts, so each distinct user costs one call.
      (userIds) => Promise.all(userIds.map((userId) => api.carts.getByUser(userId).catch((error: Error) => error))),
      options,
    ),
  };
}
