import { ErrorCode, KiboError } from '../errors.js';
import type { KiboClient } from './client.js';
import { chunk } from './filter.js';
import type {
  InventoryRequest,
  KiboCart,
  KiboCustomer,
  KiboInventoryRow,
  KiboOrder,
  KiboProduct,
  Tenant,
} from './models.js';
import { kiboPath, KiboPathError, MAX_PAGE_SIZE, type KiboPath, type KiboQuery } from './path.js';
import type { KiboCallOptions, KiboCredential, KiboListParams, KiboPage } from './types.js';

/** Products and locations of an inventory query. */
export interface InventoryQuery {
  productCodes: readonly string[];
  /** Locations to report; undefined or empty means every location. */
  locationCodes?: readonly string[] | undefined;
}

/** Kibo's REST API for one credential and one GraphQL request. */
export interface KiboApi {
  products: {
    list(params?: KiboListParams): Promise<KiboPage<KiboProduct>>;
    /** Returns null when Kibo has no product with this code. */
    get(productCode: string): Promise<KiboProduct | null>;
  };
  orders: {
    list(params?: KiboListParams): Promise<KiboPage<KiboOrder>>;
    /** Returns null when Kibo has no order with this id. */
    get(orderId: string): Promise<KiboOrder | null>;
  };
  carts: {
    /** Returns null when Kibo has no cart with this id. */
    get(cartId: string): Promise<KiboCart | null>;
    /** Returns the shopper's current cart, or null when Kibo has none for this user id. */
    getByUser(userId: string): Promise<KiboCart | null>;
  };
  customers: {
    list(params?: KiboListParams): Promise<KiboPage<KiboCustomer>>;
    /** Returns null when Kibo has no account with this id. */
    get(accountId: number): Promise<KiboCustomer | null>;
  };
  inventory: {
    /** Returns the Inventory-service rows (one per item and location) of the given products. */
    query(query: InventoryQuery): Promise<KiboInventoryRow[]>;
  };
  tenant: {
    get(): Promise<Tenant>;
  };
}

/** Binds Kibo's REST endpoints to one credential and the call options of one GraphQL request. */
export function createKiboApi(client: KiboClient, credential: KiboCredential, options: KiboCallOptions = {}): KiboApi {
  const get = <T>(path: KiboPath, query?: KiboQuery) => client.get<T>(credential, path, query, options);
  const list = async <T>(path: KiboPath, params: KiboListParams | undefined) =>
    toPage<T>(await get<unknown>(path, listQuery(params)), params);

  return {
    products: {
      list: (params) => list<KiboProduct>(kiboPath`/commerce/catalog/admin/products`, params),
      get: (productCode) =>
        nullWhenNotFound(() => get<KiboProduct>(kiboPath`/commerce/catalog/admin/products/${productCode}`)),
    },
    orders: {
      list: (params) => list<KiboOrder>(kiboPath`/commerce/orders`, params),
      get: (orderId) => nullWhenNotFound(() => get<KiboOrder>(kiboPath`/commerce/orders/${orderId}`)),
    },
    carts: {
      get: (cartId) => nullWhenNotFound(() => get<KiboCart>(kiboPath`/commerce/carts/${cartId}`)),
      getByUser: (userId) => nullWhenNotFound(() => get<KiboCart>(kiboPath`/commerce/carts/user/${userId}`)),
    },
    customers: {
      list: (params) => list<KiboCustomer>(kiboPath`/commerce/customer/accounts`, params),
      get: (accountId) => {
        if (!Number.isSafeInteger(accountId)) {
          return Promise.reject(new KiboPathError('A customer account id must be an integer.'));
        }
        return nullWhenNotFound(() => get<KiboCustomer>(kiboPath`/commerce/customer/accounts/${accountId}`));
      },
    },
    inventory: {
      query: (query) => queryInventory(client, credential, options, query),
    },
    tenant: {
      get: () => client.tenant(credential, options),
    },
  };
}

/**
 * Queries the Inventory service in groups of at most 200 items, reading each group's rows page by page until a
 * page comes back short, so no row is lost however many locations stock an item. The call only reads, so it
 * is marked idempotent and may be retried.
 * NOTE: Kibo does not document the largest `pageSize` it honours; `inventoryPageSize` must not exceed it, or
 * Kibo's shorter pages would look like the last one.
 */
async function queryInventory(
  client: KiboClient,
  credential: KiboCredential,
  options: KiboCallOptions,
  query: InventoryQuery,
): Promise<KiboInventoryRow[]> {
  const { inventoryItemKey: itemKey, inventoryPageSize: pageSize, inventoryMaxPages: maxPages } = client.settings;
  const locations = query.locationCodes === undefined ? [] : [...new Set(query.locationCodes)];
  const path = kiboPath`/commerce/inventory/v5/inventory`;

  const readPage = async (codes: string[], pageNum: number): Promise<KiboInventoryRow[]> => {
    const body: InventoryRequest = {
      type: 'ANY',
      items: codes.map((code) => ({ [itemKey]: code, quantity: 1 })),
      // `limit` caps results; it is set to the page size so that it never cuts a page short.
      limit: pageSize,
      pageSize,
      pageNum,
    };
    if (locations.length > 0) body.locationWhitelist = locations;
    const rows = await client.post<unknown>(credential, path, body, { ...options, idempotent: true });
    if (!Array.isArray(rows)) {
      const message = "Kibo's inventory response is not a JSON array.";
      throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, message, { status: 200 });
    }
    return rows as KiboInventoryRow[];
  };

  const groups = await Promise.all(
    chunk([...new Set(query.productCodes)], MAX_PAGE_SIZE).map(async (codes) => {
      const rows: KiboInventoryRow[] = [];
      // Kibo's own export tooling numbers inventory pages from 1.
      for (let pageNum = 1; pageNum <= maxPages; pageNum += 1) {
        const page = await readPage(codes, pageNum);
        rows.push(...page);
        if (page.length < pageSize) return rows;
      }
      throw new KiboError(
        ErrorCode.KIBO_RESPONSE_TOO_LARGE,
        `Kibo's inventory answer has more than ${maxPages} pages; ask for fewer products or locations.`,
      );
    }),
  );
  return groups.flat();
}

function listQuery(params: KiboListParams = {}): KiboQuery {
  return {
    startIndex: params.startIndex,
    pageSize: params.pageSize,
    sortBy: params.sortBy,
    filter: params.filter,
    q: params.q,
  };
}

/**
 * Checks a list response and fills in envelope numbers Kibo left out.
 * @throws KiboError KIBO_BAD_RESPONSE when the body is not an object or `items` is not an array.
 */
function toPage<T>(body: unknown, params: KiboListParams | undefined): KiboPage<T> {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  const record = isObject ? (body as Record<string, unknown>) : undefined;
  const items = record?.items ?? [];
  if (record === undefined || !Array.isArray(items)) {
    throw new KiboError(ErrorCode.KIBO_BAD_RESPONSE, "Kibo's list response has no items array.", { status: 200 });
  }
  const pageSize = numberOr(record.pageSize, params?.pageSize ?? items.length);
  const totalCount = numberOr(record.totalCount, items.length);
  return {
    startIndex: numberOr(record.startIndex, params?.startIndex ?? 0),
    pageSize,
    pageCount: numberOr(record.pageCount, pageSize > 0 ? Math.ceil(totalCount / pageSize) : 0),
    totalCount,
    items: items as T[],
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

async function nullWhenNotFound<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof KiboError && error.code === ErrorCode.NOT_FOUND) return null;
    throw error;
  }
}
