import { describe, expect, it } from 'vitest';
import { median, percentile, summarizeLatencies } from '../../bench/stats.js';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_value, index) => index + 1);

  it.each([
    [50, 50],
    [95, 95],
    [99, 99],
    [100, 100],
    [0, 1],
    [0.5, 1],
  ])('p%d of 1..100 is %d', (p, expected) => {
    expect(percentile(hundred, p)).toBe(expected);
  });

  it('uses nearest rank on small samples', () => {
    const sorted = [10, 20, 30, 40];
    expect(percentile(sorted, 50)).toBe(20);
    expect(percentile(sorted, 51)).toBe(30);
    expect(percentile(sorted, 99)).toBe(40);
  });

  it('returns the only value', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('rejects empty input', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  it.each([-1, 101, Number.NaN])('rejects p = %d', (p) => {
    expect(() => percentile([1, 2, 3], p)).toThrow(RangeError);
  });
});

describe('median and summary', () => {
  it('median sorts its input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it('summary reports unsorted latencies', () => {
    const summary = summarizeLatencies([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(summary?.count).toBe(8);
    expect(summary?.min).toBe(1);
    expect(summary?.max).toBe(9);
    expect(summary?.p50).toBe(3);
    expect(summary?.p99).toBe(9);
    expect(summary?.mean).toBeCloseTo(31 / 8);
  });

  it('summary of nothing is undefined', () => {
    expect(summarizeLatencies([])).toBeUndefined();
  });
});
