/**
 * Investigates how close the nested scenario comes to its floor. Read naively, its calls depend on each other as
 * orders → (products ∥ customers) → inventory, three round trips of L ms each. The gateway reads each line's
 * stock ahead from the line's product code, so inventory can run beside products, and two round trips is the
 * lower bound. The steps below separate the emulator's share of the rest from the gateway's.
 */
import { performance } from 'node:perf_hooks';
import type { Agent } from 'undici';
import type { EmulatorProcess } from './emulator-client.js';
import { createLoadDispatcher, runClosedLoop, sendOne } from './load.js';
import {
  groupCriticalPath,
  replayCriticalPath,
  requestToken,
  type CriticalPathCalls,
  type ReplayTiming,
} from './replay.js';
import type { Scenario } from './scenarios.js';
import { median, summarizeLatencies, type LatencySummary } from './stats.js';
import { nestedTimeline, UpstreamTracer, type NestedTimeline, type StageWindow } from './trace.js';

/** Sequential runs per step. The findings use medians, which vary less between runs than single samples. */
const RUNS = 15;
/** Cap on the zero-latency closed loop, so the step stays short however fast the gateway is. */
const ZERO_LATENCY_MAX_MS = 5_000;

export interface FloorFindings {
  latencyMs: number;
  /** 3·L: three sequential upstream calls. */
  floorMs: number;
  /** Upstream calls of one nested query with batching on, by route. */
  callsByRoute: Record<string, number>;
  /** Median timeline of the gateway's upstream calls at latency L, relative to the GraphQL request's start. */
  timeline: NestedTimeline;
  /** Runs in which the customers call ran at the same time as the products call. */
  customersOverlapRuns: number;
  /** Runs in which inventory started only after customers had ended although products ended earlier. */
  inventoryWaitedForCustomersRuns: number;
  /** Runs in which inventory started before the products calls had ended, thanks to the gateway's read-ahead. */
  inventoryOverlapRuns: number;
  runs: number;
  /** The same upstream calls sent straight to the emulator, with no gateway in between. */
  replayAtLatency: ReplayTiming;
  replayAtZero: ReplayTiming;
  /** The nested query through the gateway at concurrency 1 with the emulator's latency set to 0. */
  gatewayAtZero: LatencySummary | undefined;
}

/** Runs the investigation against a running gateway with batching on, and leaves the emulator at `latencyMs`. */
export async function investigateFloor(
  emulator: EmulatorProcess,
  graphqlUrl: string,
  nested: Scenario,
  latencyMs: number,
): Promise<FloorFindings> {
  const body = nested.bodies[0]!;
  const dispatcher = createLoadDispatcher(4);
  const tracer = new UpstreamTracer(emulator.url);
  try {
    await emulator.send({ type: 'reset' });
    await sendChecked(graphqlUrl, body, dispatcher);
    const captured = await emulator.send({ type: 'captured' });
    const calls = groupCriticalPath(captured);
    const callsByRoute = (await emulator.send({ type: 'counts' })).byRoute;

    const timelines: NestedTimeline[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      tracer.take();
      const sentAt = performance.now();
      await sendChecked(graphqlUrl, body, dispatcher);
      const timeline = nestedTimeline(tracer.take(), sentAt, performance.now());
      if (!timeline) throw new Error('A traced nested query made no orders, products, customers or inventory call.');
      timelines.push(timeline);
    }
    // The replays below also call the emulator, and their spans would only pile up.
    tracer.stop();

    const token = await requestToken(emulator, dispatcher);
    const replayAtLatency = await replayRuns(emulator, calls, token, dispatcher);
    await emulator.send({ type: 'setLatency', latencyMs: 0 });
    let replayAtZero: ReplayTiming;
    let gatewayAtZero: LatencySummary | undefined;
    try {
      replayAtZero = await replayRuns(emulator, calls, token, dispatcher);
      const loop = await runClosedLoop({
        graphqlUrl,
        bodies: [body],
        concurrency: 1,
        maxRequests: RUNS * 4,
        durationMs: ZERO_LATENCY_MAX_MS,
        dispatcher,
      });
      gatewayAtZero = summarizeLatencies(loop.latenciesMs);
    } finally {
      await emulator.send({ type: 'setLatency', latencyMs });
    }

    return {
      latencyMs,
      floorMs: 3 * latencyMs,
      callsByRoute,
      timeline: medianTimeline(timelines),
      customersOverlapRuns: timelines.filter(customersOverlapProducts).length,
      inventoryWaitedForCustomersRuns: timelines.filter(inventoryWaitedForCustomers).length,
      inventoryOverlapRuns: timelines.filter((timeline) => timeline.inventory.startMs < timeline.products.endMs).length,
      runs: RUNS,
      replayAtLatency,
      replayAtZero,
      gatewayAtZero,
    };
  } finally {
    tracer.stop();
    await dispatcher.close();
  }
}

async function sendChecked(graphqlUrl: string, body: string, dispatcher: Agent): Promise<void> {
  const failure = await sendOne(graphqlUrl, body, dispatcher);
  if (failure !== undefined) throw new Error(`The nested query failed during the floor investigation: ${failure}`);
}

async function replayRuns(
  emulator: EmulatorProcess,
  calls: CriticalPathCalls,
  token: string,
  dispatcher: Agent,
): Promise<ReplayTiming> {
  const timings: ReplayTiming[] = [];
  for (let run = 0; run < RUNS; run += 1) timings.push(await replayCriticalPath(emulator, calls, token, dispatcher));
  return {
    totalMs: median(timings.map((timing) => timing.totalMs)),
    ordersMs: median(timings.map((timing) => timing.ordersMs)),
    productsMs: median(timings.map((timing) => timing.productsMs)),
    customersMs: median(timings.map((timing) => timing.customersMs)),
    inventoryMs: median(timings.map((timing) => timing.inventoryMs)),
  };
}

function customersOverlapProducts(timeline: NestedTimeline): boolean {
  const { products, customers } = timeline;
  return customers.startMs < products.endMs && products.startMs < customers.endMs;
}

function inventoryWaitedForCustomers(timeline: NestedTimeline): boolean {
  const { products, customers, inventory } = timeline;
  return customers.endMs > products.endMs && inventory.startMs >= customers.endMs;
}

/** Takes the median of every number across timelines, so the result is a summary, not one observed run. */
function medianTimeline(timelines: readonly NestedTimeline[]): NestedTimeline {
  const stage = (pick: (timeline: NestedTimeline) => StageWindow): StageWindow => ({
    calls: median(timelines.map((timeline) => pick(timeline).calls)),
    startMs: median(timelines.map((timeline) => pick(timeline).startMs)),
    endMs: median(timelines.map((timeline) => pick(timeline).endMs)),
  });
  return {
    totalMs: median(timelines.map((timeline) => timeline.totalMs)),
    orders: stage((timeline) => timeline.orders),
    products: stage((timeline) => timeline.products),
    customers: stage((timeline) => timeline.customers),
    inventory: stage((timeline) => timeline.inventory),
  };
}
