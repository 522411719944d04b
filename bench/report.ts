import type { CellResult } from './cell.js';
import type { FloorFindings } from './floor.js';
import { analyzeFloor, formatRatio, renderFloorSection, type FloorAnalysis } from './floor-report.js';
import type { MachineInfo } from './machine.js';
import { DEFAULTS, type BenchOptions } from './options.js';
import { PAGE_SIZE } from './scenarios.js';
import { formatCount, formatMiB, formatMs, renderResultsTable } from './table.js';

export interface BenchRun {
  options: BenchOptions;
  cells: CellResult[];
  floor: FloorFindings;
  machine: MachineInfo;
  startedAt: Date;
  /** Requests per scenario and mode sent before measuring. */
  warmUpRequests: number;
}

/** Below this many samples a p99 is close to the slowest single request, and the report notes it. */
const FEW_SAMPLES = 100;

/** Renders `docs/benchmarks.md`. Every number in it comes from `run`, so rerunning the benchmark rewrites it. */
export function renderReport(run: BenchRun): string {
  const { options, machine } = run;
  const analysis = analyzeFloor(run.floor, run.cells);
  const emulatorPeak = Math.max(...run.cells.map((cell) => cell.emulatorPeakRssBytes));

  return `# Benchmarks

\`npm run bench\` (\`bench/run.ts\`) writes this page, and rerunning it replaces the page. The numbers below come from
a single run started ${run.startedAt.toISOString()}.

The benchmark measures what DataLoader batching (\`GATEWAY_BATCHING\`) changes. For each batching mode it starts a
fresh process that runs the gateway and a closed-loop load client, plus a Kibo emulator in a child process of its
own that adds ${options.latencyMs} ms before every Kibo response. Fresh processes keep the second mode from running on
code that V8 optimized during the first, and from inheriting its heap. The load client sends each scenario at each
concurrency, and every client waits for its response before it sends the next request. Upstream calls are counted
from the emulator's request log.

## Machine

- CPU: ${machine.cpuModel}
- processors (\`nproc\`): ${machine.processors}
- Node.js: ${machine.node}
- OS: ${machine.os}
- memory (\`free -h\`):

\`\`\`text
${machine.memory}
\`\`\`

## Reproduce

\`\`\`sh
npm ci
${reproduceCommand(options)}
\`\`\`

## Settings

| setting | value |
| --- | --- |
| emulator latency per Kibo call (\`--latency\`) | ${options.latencyMs} ms |
| concurrencies (\`--concurrency\`) | ${options.concurrencies.join(', ')} |
| limit per cell (\`--requests\`, \`--duration\`) | ${options.maxRequests} requests or ${options.durationSeconds} s, whichever comes first |
| warm-up, excluded from the results | ${run.warmUpRequests} requests per scenario and mode (token, tenant lookup, JIT) |
| scenarios | one product by code (cycling through ${productCodeCount(run.cells)} codes); a page of ${PAGE_SIZE} products with no nested fields; a page of ${PAGE_SIZE} orders with each line's product and its stock and each order's customer |
| data | the emulator's generated tenant: 500 products, 200 customers, 1,000 orders |
| gateway | defaults, except \`LOG_LEVEL=warn\`, \`GATEWAY_CREDENTIAL_MANAGEMENT=false\` and \`GATEWAY_PLAYGROUND=false\` |

## Results

${renderResultsTable(run.cells)}

- *data calls* are calls to Kibo's commerce routes, and *platform calls* are token requests and tenant lookups. The
  gateway caches the token and the tenant record, so after the warm-up platform calls should be 0.
- Latencies are nearest-rank percentiles over the successful requests, from sending a request to reading its
  whole response. *req/s* counts successful requests per second of wall time.${sampleNote(run.cells)}
- *gateway CPU* is the CPU time of the mode's process, which holds the gateway and the load client. *emulator CPU*
  is the emulator process's CPU time. Both are divided by the requests sent.
- *peak RSS* is the highest resident set size of the mode's process, sampled every 20 ms. That process holds the
  gateway and the load client, but not the emulator, whose own peak was ${formatMiB(emulatorPeak)} MiB. The benchmark runs a
  full garbage collection before each cell, but memory the process kept from earlier cells of the same mode can
  still count.

## Nested query against its floor

${renderFloorSection(run.floor, analysis)}

## Interpretation

${interpret(run, analysis)}
`;
}

function sampleNote(cells: readonly CellResult[]): string {
  const fewest = Math.min(...cells.map((cell) => cell.completed));
  if (fewest >= FEW_SAMPLES) return '';
  return ` A cell with fewer than ${FEW_SAMPLES} requests (the fewest here is ${fewest}) has a p99 close to its slowest request.`;
}

function productCodeCount(cells: readonly CellResult[]): number {
  return cells.find((cell) => cell.scenario.id === 'product')?.scenario.bodies.length ?? 0;
}

function reproduceCommand(options: BenchOptions): string {
  const args = [
    `--latency ${options.latencyMs}`,
    `--concurrency ${options.concurrencies.join(',')}`,
    `--requests ${options.maxRequests}`,
    `--duration ${options.durationSeconds}`,
  ];
  if (options.outputPath !== DEFAULTS.outputPath) args.push(`--output ${options.outputPath}`);
  return `npm run bench -- ${args.join(' ')}`;
}

function findCell(cells: readonly CellResult[], id: string, concurrency: number, batching: boolean) {
  return cells.find(
    (cell) => cell.scenario.id === id && cell.concurrency === concurrency && cell.batching === batching,
  );
}

/** Writes the interpretation, about six sentences whose wording follows what was measured. */
function interpret(run: BenchRun, analysis: FloorAnalysis): string {
  const { cells } = run;
  const lowest = Math.min(...run.options.concurrencies);
  const highest = Math.max(...run.options.concurrencies);
  const sentences: string[] = [];

  const nestedOn = findCell(cells, 'nested', lowest, true);
  const nestedOff = findCell(cells, 'nested', lowest, false);
  if (nestedOn && nestedOff) {
    sentences.push(
      `Batching took the nested orders page from ${formatCount(nestedOff.dataCallsPerQuery)} to ` +
        `${formatCount(nestedOn.dataCallsPerQuery)} Kibo data calls per query.`,
    );
    sentences.push(compareLatency(nestedOn, nestedOff, lowest));
  }

  const busyOn = findCell(cells, 'nested', highest, true);
  const busyOff = findCell(cells, 'nested', highest, false);
  if (busyOn && busyOff && highest !== lowest) sentences.push(compareUnderLoad(busyOn, busyOff, highest));

  if (analysis.ratioOn !== undefined) {
    const larger = analysis.upstreamExcessMs > analysis.gatewayMs ? 'the emulator' : 'the gateway';
    sentences.push(
      `The batched nested p50 at concurrency 1 was ${formatRatio(analysis.ratioOn)} the 3·L floor of ${analysis.floorMs} ms,` +
        ` with ${analysis.roundTrips} sequential round trips because the gateway reads stock ahead.`,
      `The same calls sent straight to the emulator in three steps took ${formatRatio(analysis.replayRatio)}; by the ` +
        `traced medians ${larger} accounts for more of the time above ${analysis.roundTrips}·L: about ` +
        `${formatMs(analysis.upstreamExcessMs)} ms of upstream time against ${formatMs(analysis.gatewayMs)} ms of gateway work.`,
    );
  }

  const noise = flatScenarioSpread(cells);
  sentences.push(
    `The product scenarios made identical calls in both modes yet differed by up to ${(noise * 100).toFixed(0)}% ` +
      `in p50, the noise of one short run on ${run.machine.processors} shared processors against an emulator that ` +
      `is not Kibo.`,
  );
  return sentences.join(' ');
}

function compareLatency(on: CellResult, off: CellResult, concurrency: number): string {
  const p50On = on.latency?.p50;
  const p50Off = off.latency?.p50;
  if (p50On === undefined || p50Off === undefined) return '';
  const change = (p50Off - p50On) / p50On;
  const head = `At concurrency ${concurrency} the nested p50 was ${formatMs(p50On)} ms with batching and ${formatMs(p50Off)} ms without`;
  if (Math.abs(change) < 0.1) {
    return `${head}, because the unbatched lookups of each stage also run in parallel and the emulator had capacity to spare.`;
  }
  const cpu = (cell: CellResult) => cell.gatewayCpuMsPerQuery.toFixed(1);
  return (
    `${head}, ${Math.abs(change * 100).toFixed(0)}% ${change > 0 ? 'slower' : 'faster'} without batching, while the ` +
    `gateway process used ${cpu(on)} against ${cpu(off)} ms of CPU per query.`
  );
}

/** Returns the largest relative p50 difference between the modes in the scenarios that make the same calls. */
function flatScenarioSpread(cells: readonly CellResult[]): number {
  let spread = 0;
  for (const on of cells.filter((cell) => cell.batching && cell.scenario.id !== 'nested')) {
    const off = findCell(cells, on.scenario.id, on.concurrency, false);
    const [a, b] = [on.latency?.p50, off?.latency?.p50];
    if (a !== undefined && b !== undefined) spread = Math.max(spread, Math.abs(a - b) / Math.min(a, b));
  }
  return spread;
}

function compareUnderLoad(on: CellResult, off: CellResult, concurrency: number): string {
  const rate = (cell: CellResult) => cell.requestsPerSecond.toFixed(1);
  return (
    `At concurrency ${concurrency} the nested p50 was ${formatMs(on.latency?.p50)} ms against ${formatMs(off.latency?.p50)} ms, at ` +
    `${rate(on)} against ${rate(off)} requests per second, with the emulator spending ` +
    `${on.emulatorCpuMsPerQuery.toFixed(1)} against ${off.emulatorCpuMsPerQuery.toFixed(1)} ms of CPU per query.`
  );
}
