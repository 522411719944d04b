import { performance } from 'node:perf_hooks';
import { request, type Agent } from 'undici';
import type { RequestLogEntry } from '../test/emulator/server.js';
import type { EmulatorProcess } from './emulator-client.js';
import { routeOf } from './routes.js';

/** The upstream calls of one nested-orders query, grouped by the stage that needs them. */
export interface CriticalPathCalls {
  orders: RequestLogEntry[];
  products: RequestLogEntry[];
  customers: RequestLogEntry[];
  inventory: RequestLogEntry[];
}

/** Time of one direct replay and of each of its stages, in milliseconds. */
export interface ReplayTiming {
  totalMs: number;
  ordersMs: number;
  productsMs: number;
  customersMs: number;
  inventoryMs: number;
}

/**
 * Sorts the calls the emulator logged for one batched nested query into its stages. Platform calls are left
 * out, because the replay requests its own token first.
 * @throws Error when a stage has no call, because then the log did not come from the nested query.
 */
export function groupCriticalPath(entries: readonly RequestLogEntry[]): CriticalPathCalls {
  const calls: CriticalPathCalls = { orders: [], products: [], customers: [], inventory: [] };
  for (const entry of entries) {
    const route = routeOf(entry.path);
    if (route === 'orders') calls.orders.push(entry);
    else if (route === 'products' || route === 'product by code') calls.products.push(entry);
    else if (route === 'customers' || route === 'customer by id') calls.customers.push(entry);
    else if (route === 'inventory') calls.inventory.push(entry);
  }
  const empty = Object.entries(calls).filter(([, list]) => list.length === 0);
  if (empty.length > 0) {
    throw new Error(`The captured nested query made no ${empty.map(([stage]) => stage).join(', ')} call.`);
  }
  return calls;
}

/** Requests a token from the emulator with the demo application's credentials. */
export async function requestToken(emulator: EmulatorProcess, dispatcher: Agent): Promise<string> {
  const response = await request(`${emulator.url}/api/platform/applications/authtickets/oauth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: emulator.application.clientId,
      client_secret: emulator.application.clientSecret,
      grant_type: 'client_credentials',
    }),
    dispatcher,
  });
  const body = (await response.body.json()) as { access_token?: unknown };
  if (response.statusCode !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`The emulator did not issue a token (HTTP ${response.statusCode}).`);
  }
  return body.access_token;
}

/**
 * Sends the nested query's upstream calls straight to the emulator in the order the data allows: orders, then
 * products and customers side by side, and inventory as soon as the products are in. No GraphQL work happens
 * here, so the time is what a client with no processing cost of its own would need.
 */
export async function replayCriticalPath(
  emulator: EmulatorProcess,
  calls: CriticalPathCalls,
  token: string,
  dispatcher: Agent,
): Promise<ReplayTiming> {
  const { application } = emulator;
  // The same context headers as the gateway sends, because the inventory route rejects a call without the tenant id.
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'x-vol-tenant': String(application.tenantId),
    'x-vol-site': String(application.siteId),
    'x-vol-catalog': String(application.catalogId),
    'x-vol-master-catalog': String(application.masterCatalogId),
  };
  const send = (entries: RequestLogEntry[]) =>
    Promise.all(entries.map((entry) => replayOne(emulator.url, entry, headers, dispatcher)));
  const timed = async (entries: RequestLogEntry[]) => {
    const start = performance.now();
    await send(entries);
    return performance.now() - start;
  };

  const start = performance.now();
  const ordersMs = await timed(calls.orders);
  const [[productsMs, inventoryMs], customersMs] = await Promise.all([
    timed(calls.products).then(async (productsTime) => [productsTime, await timed(calls.inventory)] as const),
    timed(calls.customers),
  ]);
  return { totalMs: performance.now() - start, ordersMs, productsMs, customersMs, inventoryMs };
}

async function replayOne(
  origin: string,
  entry: RequestLogEntry,
  contextHeaders: Record<string, string>,
  dispatcher: Agent,
): Promise<void> {
  const headers = { ...contextHeaders };
  let body: string | undefined;
  if (entry.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(entry.body);
  }
  const response = await request(`${origin}${entry.path}${queryString(entry.query)}`, {
    method: entry.method as 'GET' | 'POST',
    headers,
    body,
    dispatcher,
  });
  await response.body.arrayBuffer();
  if (response.statusCode !== 200) {
    throw new Error(`Replaying ${entry.method} ${entry.path} returned HTTP ${response.statusCode}.`);
  }
}

/** Rebuilds a query string from the parsed query in the request log, where a repeated parameter is an array. */
function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}
