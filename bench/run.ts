/**
 * `npm run bench`: measures what DataLoader batching saves. For each batching mode it starts a child process
 * (`bench/mode.ts`) that runs its own Kibo emulator with a delay per call and the gateway in-process. The child
 * warms up, runs each scenario at each concurrency and sends its results back. This process then prints a
 * Markdown table and writes the report file. Everything listens on loopback, every cell is bounded in requests
 * and seconds, and every process started is closed before the run ends.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CellResult } from './cell.js';
import type { FloorFindings } from './floor.js';
import { analyzeFloor, renderFloorSummary } from './floor-report.js';
import { describeMachine } from './machine.js';
import { WARM_UP, type ModeMessage, type ModeRequest } from './mode-protocol.js';
import { OptionsError, parseBenchOptions, HELP, type BenchOptions } from './options.js';
import { renderReport } from './report.js';
import { renderResultsTable } from './table.js';

const MODE_ENTRY = fileURLToPath(new URL('./mode.ts', import.meta.url));

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(HELP);
    return;
  }

  const startedAt = new Date();
  const on = await runMode({ batching: true, options, investigateFloor: true });
  const off = await runMode({ batching: false, options, investigateFloor: false });
  const cells = [...on.cells, ...off.cells];
  const floor = on.floor;
  if (!floor) throw new Error('The floor investigation did not run.');

  const summary = renderFloorSummary(floor, analyzeFloor(floor, cells));
  process.stdout.write(`${renderResultsTable(cells)}\n\n${summary}\n`);

  const outputPath = resolve(options.outputPath);
  mkdirSync(dirname(outputPath), { recursive: true });
  const machine = describeMachine();
  const report = renderReport({ options, cells, floor, machine, startedAt, warmUpRequests: WARM_UP.requests });
  writeFileSync(outputPath, report);
  progress(`wrote ${outputPath}`);
  reportFailures(cells);
}

/**
 * Runs one batching mode in a child process and returns its results. The child inherits this process's Node
 * flags, which carry tsx's loader. It is killed if it runs far past its own limits.
 */
function runMode(request: ModeRequest): Promise<{ cells: CellResult[]; floor: FloorFindings | undefined }> {
  const child = fork(MODE_ENTRY, [JSON.stringify(request)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const limitMs = modeTimeLimitMs(request.options);
  return new Promise((resolvePromise, reject) => {
    let result: ModeMessage | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('message', (message: ModeMessage) => {
      if (message.type === 'done') result = message;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && code === 0) {
        resolvePromise({ cells: result.cells, floor: result.floor });
        return;
      }
      const mode = request.batching ? 'on' : 'off';
      const reason = signal === 'SIGKILL' ? `was killed after ${limitMs / 1000} s` : `exited with code ${code}`;
      reject(new Error(`The benchmark of batching ${mode} failed: it ${reason}. Its error output above has the cause.`));
    });
  });
}

/**
 * Returns a generous upper bound on one mode's run time: each cell's duration plus time for requests in flight,
 * the warm-up, the floor investigation and process starts. Only a hung run reaches it.
 */
function modeTimeLimitMs(options: BenchOptions): number {
  const cells = 3 * options.concurrencies.length;
  const perCellMs = options.durationSeconds * 1000 + 30_000;
  return cells * perCellMs + 3 * WARM_UP.durationMs + 120_000;
}

/** Lists cells with failed requests on standard error and sets a failing exit code, so a broken run is noticed. */
function reportFailures(cells: readonly CellResult[]): void {
  const failed = cells.filter((cell) => cell.failures > 0);
  for (const cell of failed) {
    const where = `${cell.scenario.label}, concurrency ${cell.concurrency}, batching ${cell.batching ? 'on' : 'off'}`;
    progress(`${cell.failures} requests failed in ${where}. First failure: ${cell.firstFailure}`);
  }
  if (failed.length > 0) process.exitCode = 1;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

main().catch((error: unknown) => {
  // An invalid option needs only its message. Anything else is a bug or a failed run, so it gets its stack.
  let message = String(error);
  if (error instanceof OptionsError) message = error.message;
  else if (error instanceof Error) message = error.stack ?? error.message;
  process.stderr.write(`bench failed: ${message}\n`);
  process.exitCode = 1;
});
