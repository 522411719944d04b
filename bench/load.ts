import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

export interface LoadOptions {
  graphqlUrl: string;
  /** Serialized request bodies, sent in turn. */
  bodies: readonly string[];
  /** Number of clients, each with one request in flight at a time. */
  concurrency: number;
  /** No client starts a request once this many have started. */
  maxRequests: number;
  /** No client starts a request after this long, but requests in flight still finish. */
  durationMs: number;
  dispatcher: Agent;
}

export interface LoadResult {
  /** Latencies of the successful requests, in milliseconds, in completion order. */
  latenciesMs: number[];
  /** Requests that failed, returned a non-200 status or a GraphQL `errors` entry. */
  failures: number;
  firstFailure: string | undefined;
  /** Time from the first request's start to the last one's end, in milliseconds. */
  elapsedMs: number;
}

/** Creates the load client's connection pool: one keep-alive connection per client. */
export function createLoadDispatcher(concurrency: number): Agent {
  return new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
}

/**
 * Runs a closed loop: each of `concurrency` clients sends a request, waits for the whole response and sends
 * the next, until either limit is reached. A closed loop measures latency at a given concurrency. It cannot
 * overload the gateway, so its throughput is what the gateway sustains at that concurrency, not its maximum.
 */
export async function runClosedLoop(options: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let started = 0;
  const begin = performance.now();
  const deadline = begin + options.durationMs;

  const client = async () => {
    while (started < options.maxRequests && performance.now() < deadline) {
      const body = options.bodies[started % options.bodies.length]!;
      started += 1;
      const sentAt = performance.now();
      const failure = await sendOne(options.graphqlUrl, body, options.dispatcher);
      if (failure === undefined) {
        latenciesMs.push(performance.now() - sentAt);
      } else {
        failures += 1;
        firstFailure ??= failure;
      }
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, client));
  return { latenciesMs, failures, firstFailure, elapsedMs: performance.now() - begin };
}

/** Sends one GraphQL request and returns a description of the failure, or undefined when it succeeded. */
export async function sendOne(graphqlUrl: string, body: string, dispatcher: Agent): Promise<string | undefined> {
  try {
    const response = await request(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      dispatcher,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) return `HTTP ${response.statusCode}: ${text.slice(0, 300)}`;
    if (hasGraphQLErrors(text)) return `GraphQL errors: ${text.slice(0, 300)}`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Tells whether a GraphQL response body has an `errors` member, without parsing the whole body: the client
 * shares the gateway's process and event loop, so parsing every 100 KB response would slow the gateway down.
 * Inside a JSON string every quote is escaped, so the text `"errors":` can only be an object key.
 */
export function hasGraphQLErrors(text: string): boolean {
  return text.includes('"errors":');
}
