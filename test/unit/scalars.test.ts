import { describe, expect, it } from 'vitest';
import { DateTimeScalar, parseKiboDateTime } from '../../src/resolvers/scalars.js';
import { decodeCursor, encodeCursor, readPageArguments, toConnection } from '../../src/resolvers/connection.js';
import { hasErrorCode, ErrorCode } from '../../src/errors.js';

describe('parseKiboDateTime', () => {
  it.each([
    ['2024-03-01T10:00:00Z', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01T10:00:00.123Z', '2024-03-01T10:00:00.123Z'],
    ['2019-07-18T03:13:15.9530000Z', '2019-07-18T03:13:15.953Z'],
    ['2024-03-01T10:00:00+02:00', '2024-03-01T08:00:00.000Z'],
    ['2024-03-01T10:00:00-0530', '2024-03-01T15:30:00.000Z'],
    ['2024-03-01T10:00:00', '2024-03-01T10:00:00.000Z'],
    ['2024-03-01T10:00', '2024-03-01T10:00:00.000Z'],
  ])('reads %s', (input, expected) => {
    expect(parseKiboDateTime(input)?.toISOString()).toBe(expected);
  });

  it.each(['', 'yesterday', '2024-02-30T00:00:00Z', '2024-13-01T00:00:00Z', '2024-03-01', '1709287200000'])(
    'rejects %j',
    (input) => {
      expect(parseKiboDateTime(input)).toBeUndefined();
    },
  );

  it('serializes an unreadable date as a coded error', () => {
    let thrown: unknown;
    try {
      DateTimeScalar.serialize('not a date');
    } catch (error) {
      thrown = error;
    }
    expect(hasErrorCode(thrown, ErrorCode.KIBO_BAD_RESPONSE)).toBe(true);
  });
});

describe('cursors', () => {
  it('round-trip offsets', () => {
    expect(decodeCursor(encodeCursor(0))).toBe(0);
    expect(decodeCursor(encodeCursor(4321))).toBe(4321);
  });

  it.each(['', 'abc', '!!!', Buffer.from('offset:-1').toString('base64url'), Buffer.from('offset:99999999999').toString('base64url')])(
    'rejects malformed cursor %j',
    (cursor) => {
      let thrown: unknown;
      try {
        decodeCursor(cursor);
      } catch (error) {
        thrown = error;
      }
      expect(hasErrorCode(thrown, ErrorCode.BAD_USER_INPUT)).toBe(true);
    },
  );

  it('maps after onto startIndex', () => {
    expect(readPageArguments(undefined, undefined)).toEqual({ startIndex: 0, pageSize: 20 });
    expect(readPageArguments(50, encodeCursor(49))).toEqual({ startIndex: 50, pageSize: 50 });
  });

  it.each([0, -1, 201])('rejects first = %d', (first) => {
    expect(() => readPageArguments(first, undefined)).toThrow(/"first" must be between 1 and 200/);
  });

  it('builds page info from a Kibo page', () => {
    const connection = toConnection(
      { startIndex: 20, pageSize: 20, pageCount: 3, totalCount: 45, items: ['a', 'b'] },
      { startIndex: 20, pageSize: 20 },
    );
    expect(connection.totalCount).toBe(45);
    expect(connection.pageInfo.hasPreviousPage).toBe(true);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(connection.edges.map((edge) => decodeCursor(edge.cursor))).toEqual([20, 21]);
    expect(connection.pageInfo.endCursor).toBe(encodeCursor(21));
  });
});
