import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, availableParallelism } from 'node:os';
import { createHistogram } from 'node:perf_hooks';
import type { RandomFaultCounts } from '../emulator/faults.js';
import type { Window } from './workers.js';

/** Error codes the injected faults can cause once the gateway's retries are used up. */
export const INJECTED_FAULT_CODES = new Set(['KIBO_UNAVAILABLE', 'KIBO_RATE_LIMITED']);

/** Everything one load run reports. */
export interface RunResult {
  command: string;
  startedAt: Date;
  clients: number;
  durationSeconds: number;
  faultRate: number;
  seed: number;
  windows: Window[];
  injectedFaults: RandomFaultCounts;
  /** CPU time of the gateway and of the load process when the load started, in seconds. */
  cpuBaseline: { gateway: number | undefined; load: number };
  gatewayExitCode: number | string;
}

export interface Summary {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: Map<string, number>;
  /** Responses with an error code that no injected fault explains, counted once per such code. */
  unexpectedErrors: number;
  /** Relative change of the gateway's RSS from the first window to the last, or undefined without two samples. */
  rssGrowth: number | undefined;
}

/** Adds up the windows of a run. */
export function summarize(result: RunResult): Summary {
  const latency = createHistogram();
  const errors = new Map<string, number>();
  let requests = 0;
  for (const window of result.windows) {
    latency.add(window.latency);
    requests += window.requests;
    for (const [code, count] of window.errors) errors.set(code, (errors.get(code) ?? 0) + count);
  }
  let unexpectedErrors = 0;
  for (const [code, count] of errors) {
    if (!INJECTED_FAULT_CODES.has(code)) unexpectedErrors += count;
  }
  const sampled = result.windows.filter((window) => window.rssBytes !== undefined);
  const first = sampled[0]?.rssBytes;
  const last = sampled.at(-1)?.rssBytes;
  return {
    requests,
    requestsPerSecond: requests / result.durationSeconds,
    p50Ms: latency.count === 0 ? 0 : latency.percentile(50) / 1000,
    p99Ms: latency.count === 0 ? 0 : latency.percentile(99) / 1000,
    errors,
    unexpectedErrors,
    rssGrowth: first !== undefined && last !== undefined && sampled.length > 1 ? (last - first) / first : undefined,
  };
}

const megabytes = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : (bytes / 1024 / 1024).toFixed(1));
const milliseconds = (microseconds: number) => (microseconds / 1000).toFixed(1);
const percent = (ratio: number | undefined) => (ratio === undefined ? 'n/a' : `${(ratio * 100).toFixed(1)}%`);

function describeMachine(): string[] {
  const run = (command: string, args: string[]) => {
    try {
      return execFileSync(command, args, { encoding: 'utf8' }).trimEnd();
    } catch {
      return undefined;
    }
  };
  return [
    `- CPU: ${cpus()[0]?.model ?? 'unknown'}; \`nproc\`: ${run('nproc', []) ?? availableParallelism()}`,
    `- Node.js ${process.version}`,
    '- `free -h`:',
    '',
    '```',
    run('free', ['-h']) ?? '(free is not available)',
    '```',
  ];
}

/** Renders the run as the Markdown section that goes between the markers of `docs/load.md`. */
export function renderSection(result: RunResult, summary: Summary): string {
  const faults = result.injectedFaults;
  const lines = [
    `## Run of ${result.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Command: \`${result.command}\``,
    '',
    ...describeMachine(),
    '',
    `${result.clients} clients, each sending one GraphQL request at a time for ${result.durationSeconds} s. The ` +
      `emulator was set to fail ${percent(result.faultRate)} of Kibo requests at random (seed ${result.seed}). Of ` +
      `${faults.requests} Kibo requests it failed ${faults.http503} with a 503, ${faults.http429} with a 429 and ` +
      `\`Retry-After: 1\`, and ${faults.reset} with a connection reset.`,
    '',
    'CPU columns give the share of one core: the gateway process, and the process that runs the emulator and the ' +
      'clients.',
    '',
    '| window (s) | requests | requests/s | p50 (ms) | p99 (ms) | responses with errors | gateway RSS (MB) | ' +
      'gateway CPU | load CPU |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  let previousEnd = 0;
  let previousCpu = result.cpuBaseline;
  for (const window of result.windows) {
    const seconds = window.endSeconds - previousEnd;
    const cpu = window.cpuSeconds;
    const share = (now: number | undefined, before: number | undefined) =>
      now === undefined || before === undefined ? 'n/a' : percent((now - before) / seconds);
    lines.push(
      `| ${previousEnd}–${window.endSeconds} | ${window.requests} | ${(window.requests / seconds).toFixed(0)} | ` +
        `${milliseconds(window.latency.percentile(50))} | ${milliseconds(window.latency.percentile(99))} | ` +
        `${window.failedResponses} | ${megabytes(window.rssBytes)} | ${share(cpu?.gateway, previousCpu.gateway)} | ` +
        `${share(cpu?.load, previousCpu.load)} |`,
    );
    previousEnd = window.endSeconds;
    if (cpu !== undefined) previousCpu = cpu;
  }
  lines.push(
    `| **all** | ${summary.requests} | ${summary.requestsPerSecond.toFixed(0)} | ${summary.p50Ms.toFixed(1)} | ` +
      `${summary.p99Ms.toFixed(1)} | ${result.windows.reduce((sum, window) => sum + window.failedResponses, 0)} | | | |`,
    '',
    '| error code | responses | from an injected fault |',
    '| --- | --- | --- |',
  );
  const errors = [...summary.errors].sort((a, b) => b[1] - a[1]);
  if (errors.length === 0) lines.push('| none | 0 | |');
  for (const [code, count] of errors) {
    lines.push(`| \`${code}\` | ${count} | ${INJECTED_FAULT_CODES.has(code) ? 'yes' : 'no'} |`);
  }
  lines.push(
    '',
    `- Responses with an error code that no injected fault explains: ${summary.unexpectedErrors} (target: 0).`,
    `- Gateway RSS from the first window to the last: ${percent(summary.rssGrowth)} (target: under 20%).`,
    `- The gateway exited with ${result.gatewayExitCode} after SIGTERM.`,
  );
  return lines.join('\n');
}

const BEGIN = '<!-- load-run:begin -->';
const END = '<!-- load-run:end -->';

const NEW_PAGE = `# Load test

\`npm run load\` runs the gateway under steady load with upstream faults. The section between the markers below is
rewritten by each run; notes on it follow the markers.

${BEGIN}
${END}
`;

/** Replaces the run section of the page at `path`, creating the page when it does not exist. */
export function writeSection(path: string, section: string): void {
  const page = existsSync(path) ? readFileSync(path, 'utf8') : NEW_PAGE;
  const begin = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (begin === -1 || end < begin) {
    throw new Error(`${path} lacks the ${BEGIN} … ${END} markers; add them where the run section belongs.`);
  }
  writeFileSync(path, `${page.slice(0, begin + BEGIN.length)}\n${section}\n${page.slice(end)}`);
}
