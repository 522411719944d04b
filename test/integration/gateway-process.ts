import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import type { RunningEmulator } from '../emulator/server.js';
import { TEST_ADMIN_TOKEN, waitFor } from './harness.js';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

/** A gateway running `src/main.ts` in a child process, as `npm start` runs it. */
export interface GatewayProcess {
  child: ChildProcess;
  /** Base URL such as `http://127.0.0.1:41234`. */
  url: string;
  /** Every JSON log line the gateway wrote so far, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code, or with the signal name when a signal ended the process. */
  exited: Promise<number | string>;
  /** Waits until the gateway has logged a line with message `message`. */
  waitForLog(message: string, timeoutMs?: number): Promise<void>;
  /** Kills the process if it still runs and removes its data folder. */
  dispose(): Promise<void>;
}

/** Returns a loopback port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `GET /healthz` until it returns 200. */
async function waitUntilHealthy(url: string, timeoutMs: number): Promise<void> {
  const startedAt = Date.now();
  for (;;) {
    const status = await request(`${url}/healthz`).then(
      async (response) => {
        await response.body.dump();
        return response.statusCode;
      },
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() - startedAt > timeoutMs) throw new Error(`The gateway at ${url} did not answer /healthz in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the gateway in a child process on a free loopback port, wired to `emulator`, and waits until `/healthz`
 * returns 200. `environment` adds or overrides settings.
 */
export async function startGatewayProcess(
  emulator: RunningEmulator,
  environment: Record<string, string> = {},
): Promise<GatewayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-process-'));
  const url = `http://127.0.0.1:${await freePort()}`;
  const application = emulator.application;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: new URL(url).port,
      LOG_LEVEL: 'info',
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      KIBO_CLIENT_ID: application.clientId,
      KIBO_CLIENT_SECRET: application.clientSecret,
      KIBO_TENANT_ID: String(application.tenantId),
      KIBO_SITE_ID: String(application.siteId),
      KIBO_AUTH_HOST: emulator.url,
      ...environment,
    },
  });

  const logs: Array<Record<string, unknown>> = [];
  const errorOutput: string[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => errorOutput.push(chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  const waitForLog = (message: string, timeoutMs = 10_000) =>
    waitFor(() => logs.some((line) => line.msg === message), `the gateway to log "${message}"`, timeoutMs);
  const dispose = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await Promise.race([
      waitUntilHealthy(url, 20_000),
      exited.then((code) => {
        throw new Error(`The gateway exited with ${code} before listening: ${errorOutput.join('')}`);
      }),
    ]);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { child, url, logs, exited, waitForLog, dispose };
}
