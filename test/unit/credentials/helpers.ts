import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { afterEach } from 'vitest';

import { createLogger, type Logger } from '../../../src/logger.js';
import type { CreateCredentialInput } from '../../../src/credentials/validation.js';

/** A secret long enough to get a hint, and distinctive enough to search for in files and logs. */
export const SAMPLE_SECRET = 'Zq7-unit-test-secret-4f1c9b2e8a';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITER_SCRIPT = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));

const temporaryDirectories: string[] = [];

afterEach(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Creates a temporary folder that is deleted after the current test. */
export function makeTempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'gateway-credentials-'));
  temporaryDirectories.push(directory);
  return directory;
}

/** Returns a fresh base64 key, as `GATEWAY_ENCRYPTION_KEY` would contain it. */
export function newKeyText(): string {
  return randomBytes(32).toString('base64');
}

/** Creates a logger that keeps its output in memory, so tests can search every line for secrets. */
export function captureLogs(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  return { logger, text: () => chunks.join('') };
}

export const silentLogger: Logger = createLogger({ level: 'silent' });

/** Returns valid create input, with `overrides` applied. */
export function sampleInput(overrides: Partial<CreateCredentialInput> = {}): CreateCredentialInput {
  return {
    name: 'Sandbox',
    description: 'Sandbox tenant used by the storefront team',
    clientId: 'kibo.gateway.1.0.0.Release',
    clientSecret: SAMPLE_SECRET,
    tenantId: 12345,
    siteId: 23456,
    ...overrides,
  };
}

export interface WriterProcess {
  /** Lines the child wrote to standard output so far. */
  lines: string[];
  /** Resolves when the child has written at least `count` lines. */
  waitForLines(count: number): Promise<void>;
  /** Resolves with the exit code, or the signal name when a signal ended the child. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
  stderr: () => string;
}

/**
 * Starts `fixtures/writer.ts` in a separate Node process through tsx. See that file for the commands; the
 * child writes one line per acknowledged change.
 */
export function startWriter(args: string[]): WriterProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER_SCRIPT, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let pending = '';
  let errors = '';
  const waiters: { count: number; resolve: () => void }[] = [];

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
    for (const waiter of waiters.filter((entry) => lines.length >= entry.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errors += chunk;
  });

  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });

  return {
    lines,
    waitForLines: (count) =>
      new Promise<void>((resolve, reject) => {
        if (lines.length >= count) return resolve();
        waiters.push({ count, resolve });
        void exited.then((status) =>
          reject(new Error(`Writer exited (${status}) after ${lines.length} of ${count} lines: ${errors}`)),
        );
      }),
    exited,
    kill: (signal) => child.kill(signal),
    stderr: () => errors,
  };
}
