/**
 * `npm run load`: runs the gateway in a child process against the emulator with random upstream faults. It
 * drives the gateway with concurrent GraphQL clients over loopback for a fixed time, and reports errors by code,
 * latency, throughput and the gateway's memory every 10 s. The report goes to standard output, and with --report
 * also into a page such as docs/load.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateTenant } from '../emulator/data.js';
import { startEmulator } from '../emulator/server.js';
import { startGatewayProcess } from '../integration/gateway-process.js';
import { renderSection, summarize, writeSection, type RunResult } from './report.js';
import { newWindow, runClients, type Window } from './workers.js';

const HELP = `Usage: npm run load -- [options]

Options:
  --clients N       Concurrent clients, each with one request in flight (default 200, at most 1000)
  --duration S      Seconds of load (default 60, at most 600)
  --fault-rate R    Share of Kibo requests the emulator fails with a 503, a 429 or a reset (default 0.05)
  --seed N          Seed of the random faults (default 1)
  --report FILE     Page whose run section is rewritten, such as docs/load.md; by default none is
  --help            Show this help
`;

const WINDOW_SECONDS = 10;

function parseNumber(name: string, text: string, minimum: number, maximum: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < minimum || value > maximum) {
    throw new Error(`Invalid --${name} ${JSON.stringify(text)}: expected a number from ${minimum} to ${maximum}.`);
  }
  return value;
}

/** Reads the resident set size of process `pid` from /proc, in bytes; undefined where /proc is missing. */
function readRss(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of the times in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Reads the user and system CPU time of process `pid` from /proc, in seconds; undefined where /proc is missing. */
function readCpuSeconds(pid: number): number | undefined {
  try {
    // The command name in brackets may contain spaces, so fields are counted from its closing bracket.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU time of this process, which runs the emulator and the clients, in seconds. */
function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '200' },
      duration: { type: 'string', default: '60' },
      'fault-rate': { type: 'string', default: '0.05' },
      seed: { type: 'string', default: '1' },
      report: { type: 'string', default: '-' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const clients = Math.round(parseNumber('clients', values.clients, 1, 1_000));
  const durationSeconds = parseNumber('duration', values.duration, 1, 600);
  const faultRate = parseNumber('fault-rate', values['fault-rate'], 0, 1);
  const seed = Math.round(parseNumber('seed', values.seed, 0, 2 ** 31));

  const data = generateTenant();
  // The request log is only kept for tests; a short one keeps this process's memory flat.
  const emulator = await startEmulator({ data, faultRate, faultSeed: seed, requestLogLimit: 100 });
  const gateway = await startGatewayProcess(emulator, {
    // Info level would log two lines per request; retries and failures are logged at warn and above.
    LOG_LEVEL: 'warn',
    GATEWAY_SHUTDOWN_GRACE_MS: '10000',
  });
  const pid = gateway.child.pid!;
  process.stdout.write(
    `Gateway ${gateway.url} (pid ${pid}), emulator ${emulator.url}; ${clients} clients for ${durationSeconds} s\n`,
  );

  const windowCount = Math.ceil(durationSeconds / WINDOW_SECONDS);
  const windows: Window[] = Array.from({ length: windowCount }, (_value, index) =>
    newWindow(Math.min(durationSeconds, (index + 1) * WINDOW_SECONDS)),
  );
  const baseline = { gateway: readCpuSeconds(pid), load: ownCpuSeconds() };
  const rssTimers = windows.map((window) =>
    setTimeout(() => {
      window.rssBytes = readRss(pid);
      window.cpuSeconds = { gateway: readCpuSeconds(pid), load: ownCpuSeconds() };
      const rssMegabytes = ((window.rssBytes ?? 0) / 2 ** 20).toFixed(1);
      process.stdout.write(`${window.endSeconds} s: ${window.requests} requests, RSS ${rssMegabytes} MB\n`);
    }, window.endSeconds * 1000),
  );

  const startedAt = new Date();
  try {
    await runClients({
      graphqlUrl: `${gateway.url}/graphql`,
      clients,
      durationMs: durationSeconds * 1000,
      productCodes: data.products.map((product) => product.productCode!).filter(Boolean),
      windowAt: (elapsedMs) => windows[Math.min(windows.length - 1, Math.floor(elapsedMs / (WINDOW_SECONDS * 1000)))]!,
    });
  } finally {
    rssTimers.forEach(clearTimeout);
    gateway.child.kill('SIGTERM');
  }
  const gatewayExitCode = await gateway.exited;
  await gateway.dispose();
  await emulator.close();

  const result: RunResult = {
    command: `npm run load -- --clients ${clients} --duration ${durationSeconds} --fault-rate ${faultRate} --seed ${seed} --report ${values.report}`,
    startedAt,
    clients,
    durationSeconds,
    faultRate,
    seed,
    windows,
    injectedFaults: emulator.randomFaults(),
    cpuBaseline: baseline,
    gatewayExitCode,
  };
  const section = renderSection(result, summarize(result));
  process.stdout.write(`\n${section}\n`);
  if (values.report !== '-') {
    writeSection(values.report, section);
    process.stdout.write(`\nWrote the run section of ${values.report}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
