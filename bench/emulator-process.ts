/**
 * Child-process entry of the benchmark's Kibo emulator. Running the emulator in its own process keeps its CPU
 * time and memory out of the gateway's event loop and RSS. The parent sends commands over IPC. The process
 * exits when the parent disconnects, so a crashed benchmark leaves no emulator behind.
 */
import type { RequestLogEntry } from '../test/emulator/server.js';
import { startEmulator } from '../test/emulator/server.js';
import type { CallCounts, ChildMessage, CommandEnvelope, EmulatorCommand } from './emulator-protocol.js';
import { isPlatformPath, routeOf } from './routes.js';

/** Entries kept for `captured`: enough for one nested query without batching, bounded so memory stays flat. */
const CAPTURE_LIMIT = 2_000;
const DRAIN_INTERVAL_MS = 100;
const RSS_SAMPLE_INTERVAL_MS = 20;

const latencyMs = Number(process.argv[2] ?? '0');
if (!Number.isFinite(latencyMs) || latencyMs < 0) {
  process.stderr.write(`Invalid latency ${JSON.stringify(process.argv[2])}: expected milliseconds >= 0.\n`);
  process.exit(1);
}
if (!process.send) {
  process.stderr.write('bench/emulator-process.ts must be started by the benchmark with an IPC channel.\n');
  process.exit(1);
}

const emulator = await startEmulator({ port: 0, latencyMs, requestLogLimit: 100_000 });

let counts = emptyCounts();
let cpuAtReset = process.cpuUsage();
let captured: RequestLogEntry[] = [];

/**
 * Moves the emulator's request log into the counters. Copying and clearing run in one synchronous step, so no
 * entry is lost between them, and the log never reaches its limit during a long run.
 */
function drain(): void {
  const entries = emulator.requests();
  emulator.clearRequests();
  for (const entry of entries) {
    if (isPlatformPath(entry.path)) counts.platform += 1;
    else counts.data += 1;
    const route = `${entry.method} ${routeOf(entry.path)}`;
    counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
    if (captured.length < CAPTURE_LIMIT) captured.push(entry);
  }
}

const drainTimer = setInterval(drain, DRAIN_INTERVAL_MS);
const rssTimer = setInterval(() => {
  counts.peakRssBytes = Math.max(counts.peakRssBytes, process.memoryUsage.rss());
}, RSS_SAMPLE_INTERVAL_MS);

function run(command: EmulatorCommand): unknown {
  switch (command.type) {
    case 'reset':
      drain();
      counts = emptyCounts();
      cpuAtReset = process.cpuUsage();
      captured = [];
      return null;
    case 'counts': {
      drain();
      const cpu = process.cpuUsage(cpuAtReset);
      return { ...counts, byRoute: { ...counts.byRoute }, cpuMs: (cpu.user + cpu.system) / 1000 } satisfies CallCounts;
    }
    case 'captured':
      drain();
      return captured;
    case 'setLatency':
      emulator.setLatency(command.latencyMs);
      return null;
    case 'productCodes':
      return emulator.data.products
        .map((product) => product.productCode ?? '')
        .filter((code) => /^[A-Za-z0-9_-]+$/.test(code))
        .slice(0, command.count);
  }
}

function send(message: ChildMessage): void {
  process.send!(message);
}

process.on('message', (message: CommandEnvelope) => {
  try {
    send({ type: 'result', id: message.id, value: run(message.command) });
  } catch (error) {
    send({ type: 'failure', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});

process.once('disconnect', () => {
  clearInterval(drainTimer);
  clearInterval(rssTimer);
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

send({ type: 'ready', url: emulator.url, application: emulator.application });

function emptyCounts(): CallCounts {
  return { data: 0, platform: 0, byRoute: {}, peakRssBytes: process.memoryUsage.rss(), cpuMs: 0 };
}
