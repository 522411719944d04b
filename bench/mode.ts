/**
 * Child-process entry that measures one batching mode. `bench/run.ts` starts it once per mode, so each mode
 * begins in a fresh process with a fresh emulator. In a shared process the second mode would run on code
 * that V8 had already optimized for the first, and would inherit its heap, which skews latency, CPU and RSS.
 * The process sends its results over IPC and exits when the parent disconnects.
 */
import { runCell, type CellResult } from './cell.js';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-client.js';
import { investigateFloor, type FloorFindings } from './floor.js';
import { startBenchGateway, type BenchGateway } from './gateway.js';
import { createLoadDispatcher, runClosedLoop } from './load.js';
import { WARM_UP, type ModeMessage, type ModeRequest } from './mode-protocol.js';
import type { BenchOptions } from './options.js';
import { buildScenarios, type Scenario } from './scenarios.js';

/** Codes the single-product scenario cycles through. */
const PRODUCT_CODES = 50;

async function measureMode(request: ModeRequest): Promise<ModeMessage> {
  const { batching, options } = request;
  const emulator = await startEmulatorProcess(options.latencyMs);
  let gateway: BenchGateway | undefined;
  try {
    const scenarios = buildScenarios(await emulator.send({ type: 'productCodes', count: PRODUCT_CODES }));
    gateway = await startBenchGateway(emulator, batching);
    await warmUp(gateway, scenarios, batching);
    const cells = await runCells(gateway, emulator, scenarios, batching, options);

    let floor: FloorFindings | undefined;
    if (request.investigateFloor) {
      progress(`floor investigation, batching ${modeName(batching)}`);
      const nested = scenarios.find((scenario) => scenario.id === 'nested')!;
      floor = await investigateFloor(emulator, gateway.graphqlUrl, nested, options.latencyMs);
    }
    return { type: 'done', cells, floor };
  } finally {
    await gateway?.close();
    await emulator.close();
  }
}

async function warmUp(gateway: BenchGateway, scenarios: readonly Scenario[], batching: boolean): Promise<void> {
  const dispatcher = createLoadDispatcher(WARM_UP.concurrency);
  try {
    for (const scenario of scenarios) {
      progress(`warm-up: ${scenario.label}, batching ${modeName(batching)}`);
      const result = await runClosedLoop({
        graphqlUrl: gateway.graphqlUrl,
        bodies: scenario.bodies,
        concurrency: WARM_UP.concurrency,
        maxRequests: WARM_UP.requests,
        durationMs: WARM_UP.durationMs,
        dispatcher,
      });
      // A scenario that fails while warming up would fail every measured request too.
      if (result.latenciesMs.length === 0) {
        throw new Error(`Warm-up of "${scenario.label}" failed: ${result.firstFailure ?? 'no request completed'}`);
      }
    }
  } finally {
    await dispatcher.close();
  }
}

async function runCells(
  gateway: BenchGateway,
  emulator: EmulatorProcess,
  scenarios: readonly Scenario[],
  batching: boolean,
  options: BenchOptions,
): Promise<CellResult[]> {
  const cells: CellResult[] = [];
  for (const scenario of scenarios) {
    for (const concurrency of options.concurrencies) {
      progress(`${scenario.label}, concurrency ${concurrency}, batching ${modeName(batching)}`);
      cells.push(
        await runCell({
          graphqlUrl: gateway.graphqlUrl,
          emulator,
          scenario,
          concurrency,
          batching,
          maxRequests: options.maxRequests,
          durationMs: options.durationSeconds * 1000,
        }),
      );
    }
  }
  return cells;
}

function modeName(batching: boolean): string {
  return batching ? 'on' : 'off';
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

if (!process.send) {
  process.stderr.write('bench/mode.ts must be started by bench/run.ts with an IPC channel.\n');
  process.exit(1);
}
// A parent that stops listening has no use for the results, so the process ends, which also ends its emulator.
const exitWhenOrphaned = () => process.exit(1);
process.once('disconnect', exitWhenOrphaned);

function finish(message: ModeMessage | undefined): void {
  process.off('disconnect', exitWhenOrphaned);
  if (message) process.send!(message, () => process.disconnect());
  else process.disconnect();
}

const request = JSON.parse(process.argv[2] ?? '{}') as ModeRequest;
measureMode(request).then(finish, (error: unknown) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`bench: batching ${modeName(request.batching)} failed: ${text}\n`);
  process.exitCode = 1;
  finish(undefined);
});
