import type { CellResult } from './cell.js';
import type { FloorFindings } from './floor.js';
import type { StageWindow } from './trace.js';
import { formatMs } from './table.js';

/** Ratio above which the report calls the nested p50 far from its floor. */
export const FLOOR_RATIO_LIMIT = 1.25;

/** The floor findings reduced to the numbers the report's sentences use, all in milliseconds. */
export interface FloorAnalysis {
  floorMs: number;
  /** p50 of the nested scenario at concurrency 1, or undefined when concurrency 1 was not run. */
  p50On: number | undefined;
  p50Off: number | undefined;
  /** p50 divided by the floor, or undefined when the floor is 0 or the p50 is missing. */
  ratioOn: number | undefined;
  ratioOff: number | undefined;
  /** The direct replay at latency L divided by the floor: the ratio a client with no cost of its own would reach. */
  replayRatio: number | undefined;
  /** Time of the traced query with no upstream call in flight: the gateway's own work. */
  gatewayMs: number;
  /** Sequential round trips the traced query made: 2 when stock was read ahead beside products, else 3. */
  roundTrips: number;
  /** Time with an upstream call in flight beyond roundTrips·L: emulator work, loopback HTTP, timer overshoot. */
  upstreamExcessMs: number;
  /** The stage that ran longest beyond L. */
  slowestStage: { name: string; excessMs: number };
}

export function analyzeFloor(floor: FloorFindings, cells: readonly CellResult[]): FloorAnalysis {
  const p50 = (batching: boolean) =>
    cells.find((cell) => cell.scenario.id === 'nested' && cell.concurrency === 1 && cell.batching === batching)?.latency
      ?.p50;
  const ratio = (value: number | undefined) =>
    value === undefined || floor.floorMs === 0 ? undefined : value / floor.floorMs;
  const { orders, products, customers, inventory, totalMs } = floor.timeline;

  // Time with no upstream call in flight is the gateway's own work (and the load client's).
  const busyMs = unionDuration([orders, products, customers, inventory]);
  const gatewayMs = totalMs - busyMs;
  const readAhead = inventory.startMs < products.endMs;
  const roundTrips = readAhead ? 2 : 3;
  const stages = [
    { name: 'orders', excessMs: duration(orders) - floor.latencyMs },
    { name: 'products', excessMs: duration(products) - floor.latencyMs },
    { name: 'customers', excessMs: duration(customers) - floor.latencyMs },
    { name: 'inventory', excessMs: duration(inventory) - floor.latencyMs },
  ];
  const slowestStage = stages.reduce((slowest, stage) => (stage.excessMs > slowest.excessMs ? stage : slowest));

  return {
    floorMs: floor.floorMs,
    p50On: p50(true),
    p50Off: p50(false),
    ratioOn: ratio(p50(true)),
    ratioOff: ratio(p50(false)),
    replayRatio: ratio(floor.replayAtLatency.totalMs),
    gatewayMs,
    roundTrips,
    upstreamExcessMs: busyMs - roundTrips * floor.latencyMs,
    slowestStage,
  };
}

/** Length of the union of time windows, counting overlapping stretches once. */
function unionDuration(windows: readonly StageWindow[]): number {
  const sorted = [...windows].sort((left, right) => left.startMs - right.startMs);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const window of sorted) {
    const start = Math.max(window.startMs, end);
    if (window.endMs > start) total += window.endMs - start;
    end = Math.max(end, window.endMs);
  }
  return total;
}

export function duration(window: StageWindow): number {
  return window.endMs - window.startMs;
}

export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}×`;
}

/** Renders the few lines printed to standard output after the table. */
export function renderFloorSummary(floor: FloorFindings, analysis: FloorAnalysis): string {
  const { replayAtLatency, replayAtZero } = floor;
  return [
    `Floor of the nested query: 3 × ${floor.latencyMs} ms = ${floor.floorMs} ms.`,
    `p50 at concurrency 1: batching on ${formatMs(analysis.p50On)} ms (${formatRatio(analysis.ratioOn)} the floor, ` +
      `${formatRatio(twoTripRatio(floor, analysis))} of 2·L), off ${formatMs(analysis.p50Off)} ms (${formatRatio(analysis.ratioOff)}).`,
    `Traced median ${formatMs(floor.timeline.totalMs)} ms: gateway about ${formatMs(analysis.gatewayMs)} ms, ` +
      `upstream about ${formatMs(analysis.upstreamExcessMs)} ms beyond ${analysis.roundTrips}·L ` +
      `(slowest stage ${analysis.slowestStage.name}, +${formatMs(analysis.slowestStage.excessMs)} ms).`,
    `Customers overlapped products in ${floor.customersOverlapRuns}/${floor.runs} runs, inventory started before the ` +
      `products were in (read ahead) in ${floor.inventoryOverlapRuns}/${floor.runs}, and waited for customers in ` +
      `${floor.inventoryWaitedForCustomersRuns}/${floor.runs}.`,
    `Same calls straight to the emulator: ${formatMs(replayAtLatency.totalMs)} ms at ${floor.latencyMs} ms latency, ` +
      `${formatMs(replayAtZero.totalMs)} ms at 0 ms. Through the gateway at 0 ms: p50 ${formatMs(floor.gatewayAtZero?.p50)} ms.`,
  ].join('\n');
}

/** Renders the report's section on the floor: the traced timeline, the direct replay and the zero-latency run. */
export function renderFloorSection(floor: FloorFindings, analysis: FloorAnalysis): string {
  const { timeline, replayAtLatency: atL, replayAtZero: atZero } = floor;
  const L = floor.latencyMs;
  const stageRow = (name: string, window: StageWindow) =>
    `| ${name} | ${window.calls} | ${formatMs(window.startMs)} | ${formatMs(window.endMs)} | ${formatMs(duration(window))} |`;
  const calls = Object.entries(floor.callsByRoute)
    .map(([route, count]) => `${route} ×${count}`)
    .join(', ');
  const verdict =
    analysis.ratioOn === undefined
      ? 'With no added latency the floor is 0 ms, so there is no ratio to report.'
      : analysis.ratioOn > FLOOR_RATIO_LIMIT
        ? `That is above ${FLOOR_RATIO_LIMIT}×, so the rest of this section looks at where the time goes.`
        : `That is within ${FLOOR_RATIO_LIMIT}× of the floor.`;

  return `Read naively, the nested query's calls depend on each other as orders → (products ∥ customers) → inventory:
three round trips, so with L = ${L} ms per upstream call the floor is 3·L = ${floor.floorMs} ms. The gateway reads the stock of each
line's product ahead, from the product code the order line already carries, so inventory can run beside products
and customers, and two round trips (2·L) is the real lower bound. The ratios below are to the 3·L floor unless
they say otherwise. Its p50 at concurrency 1 was
${formatMs(analysis.p50On)} ms with batching on (${formatRatio(analysis.ratioOn)} the floor, ${formatRatio(twoTripRatio(floor, analysis))} of 2·L) and ${formatMs(analysis.p50Off)} ms with batching off
(${formatRatio(analysis.ratioOff)}). ${verdict}

One batched query made these upstream calls: ${calls}.

**Timeline.** ${floor.runs} more batched queries ran one at a time, and undici's diagnostics channels timed each
upstream call from its creation to the end of its body. Times are medians over those runs, in ms from the start of
the GraphQL request. A stage of several calls spans from its first start to its last end.

| stage | calls | start | end | duration |
| --- | --- | --- | --- | --- |
${stageRow('orders', timeline.orders)}
${stageRow('products', timeline.products)}
${stageRow('customers', timeline.customers)}
${stageRow('inventory', timeline.inventory)}
| response received | | | ${formatMs(timeline.totalMs)} | |

- The customers call overlapped the products calls in ${floor.customersOverlapRuns} of ${floor.runs} runs. Inventory started before
  the products were in (the read-ahead) in ${floor.inventoryOverlapRuns} of ${floor.runs} runs, and waited for customers in
  ${floor.inventoryWaitedForCustomersRuns} of ${floor.runs}.
- The gateway's own work, the time with no upstream call in flight, took about ${formatMs(analysis.gatewayMs)} ms.
- Upstream calls were in flight about ${formatMs(analysis.upstreamExcessMs)} ms longer than ${analysis.roundTrips}·L, and the slowest stage was
  ${analysis.slowestStage.name} (+${formatMs(analysis.slowestStage.excessMs)} ms beyond L). A stage's duration covers the emulator's work, loopback
  HTTP and the overshoot of the emulator's delay timer. The emulator is one Node.js process, so it works through
  the parallel products and customers calls one after the other.

**The same calls without the gateway.** The benchmark replayed the logged calls straight to the emulator in the
naive three-step order, ${floor.runs} times at each latency (medians, ms):

| emulator latency | total | orders | products | customers | inventory |
| --- | --- | --- | --- | --- | --- |
| ${L} ms | ${formatMs(atL.totalMs)} | ${formatMs(atL.ordersMs)} | ${formatMs(atL.productsMs)} | ${formatMs(atL.customersMs)} | ${formatMs(atL.inventoryMs)} |
| 0 ms | ${formatMs(atZero.totalMs)} | ${formatMs(atZero.ordersMs)} | ${formatMs(atZero.productsMs)} | ${formatMs(atZero.customersMs)} | ${formatMs(atZero.inventoryMs)} |

Sent straight to the emulator, the calls took ${formatMs(atL.totalMs)} ms at ${L} ms latency, ${formatRatio(analysis.replayRatio)} the floor. That part
of the gap comes from the emulator and loopback HTTP, not from the gateway. With the emulator at 0 ms latency, the nested query through the gateway had a p50 of ${formatMs(floor.gatewayAtZero?.p50)} ms over
${floor.gatewayAtZero?.count ?? 0} requests at concurrency 1. The 0 ms replay estimates the emulator's share of that, and the
difference, about ${formatMs(diff(floor.gatewayAtZero?.p50, atZero.totalMs))} ms, estimates the gateway's.`;
}

/** p50 with batching divided by 2·L, the bound once stock is read ahead. */
function twoTripRatio(floor: FloorFindings, analysis: FloorAnalysis): number | undefined {
  return analysis.p50On === undefined || floor.latencyMs === 0 ? undefined : analysis.p50On / (2 * floor.latencyMs);
}

function diff(a: number | undefined, b: number): number | undefined {
  return a === undefined ? undefined : a - b;
}
