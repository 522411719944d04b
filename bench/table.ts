import type { CellResult } from './cell.js';

const SCENARIO_ORDER = ['product', 'products', 'nested'];

/**
 * Renders the results as a Markdown table with one row per scenario, concurrency and batching mode. The two
 * modes of a scenario and concurrency sit next to each other, so each comparison is two adjacent rows.
 */
export function renderResultsTable(cells: readonly CellResult[]): string {
  const header = [
    'scenario',
    'concurrency',
    'batching',
    'requests',
    'failed',
    'data calls / query',
    'platform calls / query',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'req/s',
    'gateway CPU ms / query',
    'emulator CPU ms / query',
    'peak RSS MiB',
  ];
  const rows = sortCells(cells).map((cell) => [
    cell.scenario.label,
    String(cell.concurrency),
    cell.batching ? 'on' : 'off',
    String(cell.completed),
    String(cell.failures),
    formatCount(cell.dataCallsPerQuery),
    formatCount(cell.platformCallsPerQuery),
    formatMs(cell.latency?.p50),
    formatMs(cell.latency?.p95),
    formatMs(cell.latency?.p99),
    cell.requestsPerSecond.toFixed(1),
    cell.gatewayCpuMsPerQuery.toFixed(1),
    cell.emulatorCpuMsPerQuery.toFixed(1),
    formatMiB(cell.peakRssBytes),
  ]);
  const line = (values: string[]) => `| ${values.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function sortCells(cells: readonly CellResult[]): CellResult[] {
  return [...cells].sort(
    (a, b) =>
      SCENARIO_ORDER.indexOf(a.scenario.id) - SCENARIO_ORDER.indexOf(b.scenario.id) ||
      a.concurrency - b.concurrency ||
      Number(b.batching) - Number(a.batching),
  );
}

export function formatMs(value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(1);
}

/** Formats a per-query average: whole numbers as they are, others with two decimals. */
export function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export function formatMiB(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
