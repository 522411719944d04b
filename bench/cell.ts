import type { EmulatorProcess } from './emulator-client.js';
import { createLoadDispatcher, runClosedLoop } from './load.js';
import { collectGarbage, RssSampler } from './memory.js';
import type { Scenario } from './scenarios.js';
import { summarizeLatencies, type LatencySummary } from './stats.js';

/** Measurements of one scenario at one concurrency in one batching mode. */
export interface CellResult {
  scenario: Scenario;
  concurrency: number;
  batching: boolean;
  /** Successful requests. */
  completed: number;
  failures: number;
  firstFailure: string | undefined;
  latency: LatencySummary | undefined;
  /** Successful requests per second of wall time. */
  requestsPerSecond: number;
  /** Upstream calls per request, counting failed requests too, since they also cost calls. */
  dataCallsPerQuery: number;
  platformCallsPerQuery: number;
  /** Upstream calls by route for the whole cell. */
  callsByRoute: Record<string, number>;
  /** Highest RSS of the mode's process (gateway and load client) during the cell. */
  peakRssBytes: number;
  /** Highest RSS of the emulator process during the cell. */
  emulatorPeakRssBytes: number;
  /** CPU time of the mode's process (gateway and load client) per request, in milliseconds. */
  gatewayCpuMsPerQuery: number;
  /** CPU time of the emulator process per request, in milliseconds. */
  emulatorCpuMsPerQuery: number;
}

export interface CellSettings {
  graphqlUrl: string;
  emulator: EmulatorProcess;
  scenario: Scenario;
  concurrency: number;
  batching: boolean;
  maxRequests: number;
  durationMs: number;
}

/** Runs one cell: clears the emulator's counters, runs the closed loop, then reads the calls it caused. */
export async function runCell(settings: CellSettings): Promise<CellResult> {
  const dispatcher = createLoadDispatcher(settings.concurrency);
  await settings.emulator.send({ type: 'reset' });
  collectGarbage();
  const sampler = new RssSampler();
  sampler.start();
  const cpuAtStart = process.cpuUsage();
  try {
    const result = await runClosedLoop({
      graphqlUrl: settings.graphqlUrl,
      bodies: settings.scenario.bodies,
      concurrency: settings.concurrency,
      maxRequests: settings.maxRequests,
      durationMs: settings.durationMs,
      dispatcher,
    });
    const peakRssBytes = sampler.stop();
    const cpu = process.cpuUsage(cpuAtStart);
    const counts = await settings.emulator.send({ type: 'counts' });
    const sent = result.latenciesMs.length + result.failures;
    const perQuery = (total: number) => (sent > 0 ? total / sent : 0);
    return {
      scenario: settings.scenario,
      concurrency: settings.concurrency,
      batching: settings.batching,
      completed: result.latenciesMs.length,
      failures: result.failures,
      firstFailure: result.firstFailure,
      latency: summarizeLatencies(result.latenciesMs),
      requestsPerSecond: result.latenciesMs.length / (result.elapsedMs / 1000),
      dataCallsPerQuery: perQuery(counts.data),
      platformCallsPerQuery: perQuery(counts.platform),
      callsByRoute: counts.byRoute,
      peakRssBytes,
      emulatorPeakRssBytes: counts.peakRssBytes,
      gatewayCpuMsPerQuery: perQuery((cpu.user + cpu.system) / 1000),
      emulatorCpuMsPerQuery: perQuery(counts.cpuMs),
    };
  } finally {
    sampler.stop();
    await dispatcher.close();
  }
}
