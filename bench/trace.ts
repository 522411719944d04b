import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { routeOf } from './routes.js';

/** One upstream call the gateway made, timed on this process's clock in milliseconds. */
export interface UpstreamSpan {
  route: string;
  startMs: number;
  endMs: number;
}

/** The part of undici's request object that its diagnostics channels publish and the tracer reads. */
interface UndiciRequestInfo {
  origin?: unknown;
  path?: unknown;
}

/**
 * Records the start and end of every undici request to `origin` through undici's diagnostics channels. The
 * gateway's Kibo client uses undici, so its calls can be timed from outside `src/` without changing it. A
 * span starts when undici creates the request and ends when the whole body has arrived or the request failed.
 */
export class UpstreamTracer {
  private readonly open = new Map<object, UpstreamSpan>();
  private finished: UpstreamSpan[] = [];

  private readonly onCreate = (message: unknown) => {
    const request = (message as { request: UndiciRequestInfo }).request;
    if (String(request.origin) !== this.origin) return;
    const route = routeOf(String(request.path));
    this.open.set(request, { route, startMs: performance.now(), endMs: Number.NaN });
  };

  private readonly onEnd = (message: unknown) => {
    const request = (message as { request: object }).request;
    const span = this.open.get(request);
    if (!span) return;
    this.open.delete(request);
    span.endMs = performance.now();
    this.finished.push(span);
  };

  constructor(private readonly origin: string) {
    diagnosticsChannel.subscribe('undici:request:create', this.onCreate);
    diagnosticsChannel.subscribe('undici:request:trailers', this.onEnd);
    diagnosticsChannel.subscribe('undici:request:error', this.onEnd);
  }

  /** Returns the spans finished since the last call and clears the list. */
  take(): UpstreamSpan[] {
    const spans = this.finished;
    this.finished = [];
    return spans;
  }

  /** Unsubscribes from the channels. Calling it again does nothing. */
  stop(): void {
    diagnosticsChannel.unsubscribe('undici:request:create', this.onCreate);
    diagnosticsChannel.unsubscribe('undici:request:trailers', this.onEnd);
    diagnosticsChannel.unsubscribe('undici:request:error', this.onEnd);
  }
}

/** Start and end of a stage of a nested query, relative to the start of the GraphQL request, in ms. */
export interface StageWindow {
  calls: number;
  startMs: number;
  endMs: number;
}

/** The timeline of one nested-orders query as its upstream calls show it. */
export interface NestedTimeline {
  totalMs: number;
  orders: StageWindow;
  products: StageWindow;
  customers: StageWindow;
  inventory: StageWindow;
}

const STAGE_ROUTES = {
  orders: ['orders'],
  products: ['products', 'product by code'],
  customers: ['customers', 'customer by id'],
  inventory: ['inventory'],
} as const;

/**
 * Groups the spans of one nested query into its four stages, each from its first call's start to its last
 * call's end. Returns undefined when a stage made no call, which means the query did not run as expected.
 */
export function nestedTimeline(
  spans: readonly UpstreamSpan[],
  sentAtMs: number,
  doneAtMs: number,
): NestedTimeline | undefined {
  const stage = (routes: readonly string[]): StageWindow | undefined => {
    const matching = spans.filter((span) => routes.includes(span.route));
    if (matching.length === 0) return undefined;
    return {
      calls: matching.length,
      startMs: Math.min(...matching.map((span) => span.startMs)) - sentAtMs,
      endMs: Math.max(...matching.map((span) => span.endMs)) - sentAtMs,
    };
  };
  const orders = stage(STAGE_ROUTES.orders);
  const products = stage(STAGE_ROUTES.products);
  const customers = stage(STAGE_ROUTES.customers);
  const inventory = stage(STAGE_ROUTES.inventory);
  if (!orders || !products || !customers || !inventory) return undefined;
  return { totalMs: doneAtMs - sentAtMs, orders, products, customers, inventory };
}
