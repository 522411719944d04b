import DataLoader from 'dataloader';
import type { GatewayConfig } from '../config.js';
import type { KiboApi } from '../kibo/api.js';
import { eq, inList } from '../kibo/filter.js';
import type { KiboOrder } from '../kibo/models.js';
import type { KiboPage } from '../kibo/types.js';
import { ErrorCode, hasErrorCode } from '../errors.js';
import { asError } from './by-key-field.js';

export interface CustomerOrdersKey {
  customerAccountId: number;
  startIndex: number;
  pageSize: number;
  sortBy: string | undefined;
}

export type OrdersPage = KiboPage<KiboOrder>;

type LoaderOptions = { batch: boolean; cache: boolean; maxBatchSize: number };

/** Kibo's largest page; a shared first-page call reads this many orders at most. */
const SHARED_PAGE_SIZE = 200;

/**
 * Loads pages of orders per customer. First pages with the same sort share one list call filtered on all the
 * customers. That response is split per customer only when it contains every matching order (its `totalCount` fits
 * in the page), because only then are the per-customer counts exact. Otherwise, and for later pages, each
 * customer gets its own call.
 */
export function createCustomerOrdersLoader(
  api: KiboApi,
  config: GatewayConfig,
  options: LoaderOptions,
): DataLoader<CustomerOrdersKey, OrdersPage, string> {
  const loadOne = (key: CustomerOrdersKey) =>
    api.orders.list({
      filter: eq('customerAccountId', key.customerAccountId),
      startIndex: key.startIndex,
      pageSize: key.pageSize,
      sortBy: key.sortBy,
    });

  return new DataLoader<CustomerOrdersKey, OrdersPage, string>(
    async (keys) => {
      const results = new Map<CustomerOrdersKey, OrdersPage | Error>();
      const firstPagesBySort = new Map<string, CustomerOrdersKey[]>();
      for (const key of keys) {
        if (key.startIndex !== 0) continue;
        const group = firstPagesBySort.get(key.sortBy ?? '') ?? [];
        group.push(key);
        firstPagesBySort.set(key.sortBy ?? '', group);
      }

      await Promise.all(
        [...firstPagesBySort.values()]
          .filter((group) => group.length > 1)
          .map((group) => loadShared(api, config, group, results)),
      );
      await Promise.all(
        keys
          .filter((key) => !results.has(key))
          .map(async (key) => {
            results.set(key, await loadOne(key).catch(asError));
          }),
      );
      return keys.map((key) => results.get(key)!);
    },
    { ...options, cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

async function loadShared(
  api: KiboApi,
  config: GatewayConfig,
  group: CustomerOrdersKey[],
  results: Map<CustomerOrdersKey, OrdersPage | Error>,
): Promise<void> {
  const customerIds = [...new Set(group.map((key) => key.customerAccountId))];
  let page: OrdersPage;
  try {
    page = await api.orders.list({
      filter: inList('customerAccountId', customerIds, { inForm: config.kibo.filterInLists }),
      startIndex: 0,
      pageSize: SHARED_PAGE_SIZE,
      sortBy: group[0]!.sortBy,
    });
  } catch (error) {
    // Kibo may reject the combined filter; then each customer gets its own call. Any other failure fails
    // these keys rather than multiplying calls to an upstream that is already failing.
    if (!hasErrorCode(error, ErrorCode.KIBO_BAD_REQUEST)) {
      for (const key of group) results.set(key, asError(error));
    }
    return;
  }
  if (page.totalCount > page.items.length) return;

  const ordersByCustomer = new Map<number, KiboOrder[]>();
  for (const order of page.items) {
    const id = order.customerAccountId;
    if (id === null || id === undefined) continue;
    const orders = ordersByCustomer.get(id) ?? [];
    if (!orders.some((known) => known.id === order.id)) orders.push(order);
    ordersByCustomer.set(id, orders);
  }
  for (const key of group) {
    const orders = ordersByCustomer.get(key.customerAccountId) ?? [];
    results.set(key, {
      startIndex: 0,
      pageSize: key.pageSize,
      pageCount: Math.ceil(orders.length / key.pageSize),
      totalCount: orders.length,
      items: orders.slice(0, key.pageSize),
    });
  }
}
