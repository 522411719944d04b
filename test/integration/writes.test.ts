import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ErrorCode } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { KiboClient } from '../../src/kibo/client.js';
import type { KiboCartItem } from '../../src/kibo/models.js';
import { kiboPath } from '../../src/kibo/path.js';
import type { KiboCredential } from '../../src/kibo/types.js';
import { generateTenant } from '../emulator/data.js';
import { startEmulator, type FaultRuleInput, type RunningEmulator } from '../emulator/server.js';
import { upstreamAttempts, waitFor } from './harness.js';

/*
 * The gateway sends no writes to Kibo yet, so these tests hold the client's rule directly against the emulator's
 * add-to-cart route: a write that fails is never sent again, whatever the failure.
 */

const ITEMS_PATH = '/api/commerce/carts/current/items';
const ITEMS = kiboPath`/commerce/carts/current/items`;

let emulator: RunningEmulator;
let client: KiboClient;
let credential: KiboCredential;
let productCode: string;

beforeAll(async () => {
  emulator = await startEmulator({ data: generateTenant({ products: 20, customers: 5, orders: 5 }) });
  const settings = loadConfig({ GATEWAY_DEMO: 'true', KIBO_REQUEST_TIMEOUT_MS: '1000' }).kibo;
  client = new KiboClient({ settings, logger: createLogger({ level: 'silent' }), retryBaseDelayMs: 5 });
  const application = emulator.application;
  credential = {
    id: 'writes-test',
    clientId: application.clientId,
    clientSecret: application.clientSecret,
    tenantId: application.tenantId,
    siteId: application.siteId,
    authHost: emulator.url,
  };
  productCode = emulator.data.products[0]!.productCode!;
  // Fetches the token and tenant, so that only the write reaches the faulted route.
  await client.tenant(credential);
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

function addItem(idempotent?: boolean): Promise<KiboCartItem> {
  return client.post<KiboCartItem>(credential, ITEMS, { product: { productCode }, quantity: 2 }, { idempotent });
}

/** Waits a moment past the first attempt, so that a retry, were there one, would be in the log. */
async function writeAttempts(): Promise<number> {
  await waitFor(() => upstreamAttempts(emulator, 'POST', ITEMS_PATH) >= 1, 'the first attempt');
  await new Promise((resolve) => setTimeout(resolve, 300));
  return upstreamAttempts(emulator, 'POST', ITEMS_PATH);
}

const failures: Array<{ name: string; fault: Omit<FaultRuleInput, 'match'>; code: string }> = [
  { name: '503', fault: { status: 503 }, code: ErrorCode.KIBO_UNAVAILABLE },
  { name: '502', fault: { status: 502 }, code: ErrorCode.KIBO_UNAVAILABLE },
  { name: '429 with Retry-After 0', fault: { status: 429, retryAfter: '0' }, code: ErrorCode.KIBO_RATE_LIMITED },
  { name: 'connection reset', fault: { reset: true }, code: ErrorCode.KIBO_UNAVAILABLE },
  { name: 'slow headers', fault: { delayMs: 3_000 }, code: ErrorCode.KIBO_TIMEOUT },
];

describe('writes to Kibo', () => {
  it('adds an item to the current cart', async () => {
    const item = await addItem();

    expect(item.product?.productCode).toBe(productCode);
    expect(item.quantity).toBe(2);
    expect(await writeAttempts()).toBe(1);
    expect(emulator.requests()[0]?.body).toEqual({ product: { productCode }, quantity: 2 });
  });

  it.each(failures)('sends a write once on $name', async ({ fault, code }) => {
    emulator.addFault({ match: ITEMS_PATH, method: 'POST', count: 5, ...fault });

    await expect(addItem()).rejects.toMatchObject({ code });
    expect(await writeAttempts()).toBe(1);
  });

  it('retries the same POST when marked idempotent', async () => {
    // Shows that the count above would see a retry: the client's default is three attempts.
    emulator.addFault({ match: ITEMS_PATH, method: 'POST', status: 503, count: 5 });

    await expect(addItem(true)).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAVAILABLE });
    expect(await writeAttempts()).toBe(3);
  });
});
