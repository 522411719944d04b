import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalidParameter } from '../envelope.js';
import type { KiboInventoryRow } from '../types.js';
import { parseBody, type EmulatorContext } from './context.js';

const ITEM_KEYS = ['upc', 'partNumber', 'sku'] as const;
type ItemKey = (typeof ITEM_KEYS)[number];

const itemSchema = z
  .looseObject({
    upc: z.string().min(1).optional(),
    partNumber: z.string().min(1).optional(),
    sku: z.string().min(1).optional(),
    quantity: z.number().int().min(0).optional(),
  })
  .refine((item) => ITEM_KEYS.some((key) => item[key] !== undefined), 'each item needs upc, partNumber or sku');

const inventoryRequestSchema = z
  .looseObject({
    type: z.enum(['ALL', 'PARTIAL', 'ANY', 'ALL_STORES']),
    items: z.array(itemSchema).optional(),
    locationWhitelist: z.array(z.string()).optional(),
    locationBlacklist: z.array(z.string()).optional(),
    requestLocation: z.looseObject({ locationCode: z.string().optional() }).optional(),
    locationCode: z.string().optional(),
    limit: z.number().int().min(1).optional(),
    pageSize: z.number().int().min(1).optional(),
    pageNum: z.number().int().min(1).optional(),
  })
  // Kibo's sandbox exporter omits items to list everything at one location, so a location code replaces them.
  .refine(
    (request) => (request.items?.length ?? 0) > 0 || request.requestLocation?.locationCode || request.locationCode,
    { message: 'must list at least one item unless a location code is given', path: ['items'] },
  );

type InventoryRequest = z.infer<typeof inventoryRequestSchema>;
type RequestItem = z.infer<typeof itemSchema>;

/** Default of `limit`, the maximum number of locations in one response (Kibo's spec: "defaults to 100 for most"). */
const DEFAULT_LOCATION_LIMIT = 100;

function keyOf(item: RequestItem): ItemKey {
  return ITEM_KEYS.find((key) => item[key] !== undefined)!;
}

function rowsAtAllowedLocations(rows: readonly KiboInventoryRow[], request: InventoryRequest): KiboInventoryRow[] {
  const only = request.requestLocation?.locationCode ?? request.locationCode;
  const allowed = request.locationWhitelist ? new Set(request.locationWhitelist) : undefined;
  const blocked = new Set(request.locationBlacklist ?? []);
  return rows.filter((row) => {
    const code = row.locationCode ?? '';
    return (only === undefined || code === only) && (!allowed || allowed.has(code)) && !blocked.has(code);
  });
}

/**
 * Selects the rows for the requested items. `ALL_STORES` and `ANY` return every row of a requested item, stocked or
 * not. `ALL` keeps the locations that can supply every item in its quantity, and `PARTIAL` the rows that can supply
 * their item. A missing quantity counts as 1.
 * NOTE: Kibo describes these types only by name; this reading of them is an assumption.
 */
function selectRows(rows: KiboInventoryRow[], request: InventoryRequest): KiboInventoryRow[] {
  const items = request.items ?? [];
  if (items.length === 0) {
    return rows;
  }
  const matchesItem = (row: KiboInventoryRow, item: RequestItem) => row[keyOf(item)] === item[keyOf(item)];
  const canSupply = (row: KiboInventoryRow, item: RequestItem) => (row.available ?? 0) >= (item.quantity ?? 1);
  const requested = rows.filter((row) => items.some((item) => matchesItem(row, item)));

  if (request.type === 'PARTIAL') {
    return requested.filter((row) => items.some((item) => matchesItem(row, item) && canSupply(row, item)));
  }
  if (request.type === 'ALL') {
    const complete = new Set(
      [...new Set(requested.map((row) => row.locationCode))].filter((location) =>
        items.every((item) => requested.some((row) => row.locationCode === location && matchesItem(row, item) && canSupply(row, item))),
      ),
    );
    return requested.filter((row) => complete.has(row.locationCode));
  }
  return requested;
}

function limitLocations(rows: KiboInventoryRow[], limit: number): KiboInventoryRow[] {
  const keptLocations = new Set<string | undefined>();
  return rows.filter((row) => {
    if (!keptLocations.has(row.locationCode) && keptLocations.size >= limit) {
      return false;
    }
    keptLocations.add(row.locationCode);
    return true;
  });
}

/**
 * Registers `POST /api/commerce/inventory/v5/inventory`, which returns a bare JSON array of InventoryResponse rows.
 * Items match rows on whichever of `upc`, `partNumber` or `sku` they carry. The `x-vol-tenant` header must name the
 * tenant. `pageNum` counts from 1, as Kibo's sandbox exporter sends it.
 */
export function registerInventoryRoutes(app: FastifyInstance, context: EmulatorContext): void {
  app.post('/api/commerce/inventory/v5/inventory', async (request) => {
    const tenantHeader = request.headers['x-vol-tenant'];
    if (tenantHeader !== String(context.data.tenant.id)) {
      throw invalidParameter('x-vol-tenant', `header must be the tenant id ${context.data.tenant.id}.`);
    }
    const inventoryRequest = parseBody(inventoryRequestSchema, request.body);

    const located = rowsAtAllowedLocations(context.data.inventory, inventoryRequest);
    const selected = limitLocations(selectRows(located, inventoryRequest), inventoryRequest.limit ?? DEFAULT_LOCATION_LIMIT);
    if (inventoryRequest.pageSize === undefined) {
      return selected;
    }
    const start = ((inventoryRequest.pageNum ?? 1) - 1) * inventoryRequest.pageSize;
    return selected.slice(start, start + inventoryRequest.pageSize);
  });
}
