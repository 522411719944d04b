import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, startStack, type TestStack } from './harness.js';

/*
 * The emulator closes a kept-alive connection exactly when it has been idle for its timeout. Queries spaced just
 * past that timeout must never go out on a connection the emulator has already closed: a reset there would show
 * as a retry in the gateway's log, or as an error if it were a write. A query sent at the very moment of the
 * close can still meet a reset, because the close and the request cross on the wire. Reads are retried then.
 */

const QUERY = '{ orders(first: 1) { nodes { id } } }';

let stack: TestStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type LogLine = { msg: string; socketErrorCode?: string };

function retriesLogged(current: TestStack): LogLine[] {
  return current.logLines
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.msg === 'Retrying Kibo call' || line.socketErrorCode !== undefined);
}

/** Sends one query after each gap and returns the error codes of every response. */
async function querySpaced(current: TestStack, gapsMs: number[]): Promise<unknown[]> {
  const codes: unknown[] = [];
  for (const gap of gapsMs) {
    await sleep(gap);
    codes.push(...errorCodes(await current.graphql(QUERY)));
  }
  return codes;
}

describe('upstream keep-alive', () => {
  it('opens a new connection after a silent idle close', async () => {
    stack = await startStack({ emulator: { keepAliveTimeoutMs: 500, keepAliveHint: false } });
    expect(errorCodes(await stack.graphql(QUERY))).toEqual([]);
    const connectionsBefore = stack.emulator.connectionCount();

    const gaps = [520, 540, 560, 600, 700];
    expect(await querySpaced(stack, gaps)).toEqual([]);

    expect(retriesLogged(stack)).toEqual([]);
    expect(stack.emulator.requests().filter((entry) => entry.status === 0)).toEqual([]);
    // Every gap outlasted the idle timeout, so each query needed a new connection.
    expect(stack.emulator.connectionCount() - connectionsBefore).toBeGreaterThanOrEqual(gaps.length);
  });

  it('reuses a connection within the idle timeout', async () => {
    stack = await startStack({ emulator: { keepAliveTimeoutMs: 500, keepAliveHint: false } });
    expect(errorCodes(await stack.graphql(QUERY))).toEqual([]);
    const connectionsBefore = stack.emulator.connectionCount();

    expect(await querySpaced(stack, [200, 200, 200])).toEqual([]);

    expect(stack.emulator.connectionCount()).toBe(connectionsBefore);
  });

  it('honours an announced idle timeout', async () => {
    stack = await startStack({ emulator: { keepAliveTimeoutMs: 1_000, keepAliveHint: true } });
    expect(errorCodes(await stack.graphql(QUERY))).toEqual([]);

    expect(await querySpaced(stack, [1_010, 1_050, 1_100])).toEqual([]);

    expect(retriesLogged(stack)).toEqual([]);
    expect(stack.emulator.requests().filter((entry) => entry.status === 0)).toEqual([]);
  });
});
