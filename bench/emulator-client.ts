import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorApplication } from '../test/emulator/server.js';
import type { ChildMessage, CommandEnvelope, EmulatorCommand, EmulatorResults } from './emulator-protocol.js';

/** The emulator child process as the benchmark drives it. */
export interface EmulatorProcess {
  /** Origin such as `http://127.0.0.1:41234`, without `/api`. */
  url: string;
  application: EmulatorApplication;
  send<Command extends EmulatorCommand>(command: Command): Promise<EmulatorResults[Command['type']]>;
  /** Disconnects the child, which closes the emulator and exits, and kills it if it is still running after 5 s. */
  close(): Promise<void>;
}

const CHILD_ENTRY = fileURLToPath(new URL('./emulator-process.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const COMMAND_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;

/**
 * Starts the emulator in a child process with `latencyMs` of delay per Kibo call. The child inherits this
 * process's Node flags, which carry tsx's loader when the benchmark runs under tsx.
 */
export async function startEmulatorProcess(latencyMs: number): Promise<EmulatorProcess> {
  const child = fork(CHILD_ENTRY, [String(latencyMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;

  const ready = await waitForReady(child);
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'ready') return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.type === 'result') waiter?.resolve(message.value);
    else waiter?.reject(new Error(`The emulator process failed a command: ${message.message}`));
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`The emulator process exited (code ${code}, signal ${signal}) during a command.`));
    }
    pending.clear();
  });

  return {
    url: ready.url,
    application: ready.application,
    send(command) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`The emulator process did not respond to "${command.type}" within ${COMMAND_TIMEOUT_MS} ms.`));
        }, COMMAND_TIMEOUT_MS);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as never);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.send({ id, command } satisfies CommandEnvelope);
      });
    },
    close: () => stopChild(child),
  };
}

function waitForReady(child: ChildProcess): Promise<Extract<ChildMessage, { type: 'ready' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`The emulator process did not start within ${START_TIMEOUT_MS} ms.`));
    }, START_TIMEOUT_MS);
    const onMessage = (message: ChildMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(message);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`The emulator process exited with code ${code} before it was ready.`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
