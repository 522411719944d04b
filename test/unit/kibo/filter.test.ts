import { describe, expect, it } from 'vitest';
import {
  and,
  chunk,
  cont,
  eq,
  FilterError,
  ge,
  gt,
  inList,
  le,
  lt,
  ne,
  or,
  renderFilterValue,
  sw,
} from '../../../src/kibo/filter.js';

describe('renderFilterValue', () => {
  const cases: Array<[string | number | boolean | Date, string]> = [
    ['ABC-123_x.y', 'ABC-123_x.y'],
    ['user@example.com', 'user@example.com'],
    ['a+b:c', 'a+b:c'],
    [42, '42'],
    [-1.5, '-1.5'],
    [true, 'true'],
    [false, 'false'],
    [new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02T03:04:05.000Z'],
    ['two words', "'two words'"],
    ["O'Brien", "'O\\'Brien'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\'", "'\\\\\\''"],
    ['and', "'and'"],
    ['OR', "'OR'"],
    ['In', "'In'"],
    ['', "''"],
    ['x) or (1 eq 1', "'x) or (1 eq 1'"],
    ['Кофе', "'Кофе'"],
    ['a,b', "'a,b'"],
    ['[x]', "'[x]'"],
  ];

  it.each(cases)('renders %j as %s', (value, expected) => {
    expect(renderFilterValue(value)).toBe(expected);
  });

  it('rejects non-finite numbers and invalid dates', () => {
    expect(() => renderFilterValue(Number.NaN)).toThrow(FilterError);
    expect(() => renderFilterValue(new Date('nope'))).toThrow(FilterError);
  });
});

describe('comparisons', () => {
  it('render each operator', () => {
    expect(eq('status', 'Accepted')).toBe('status eq Accepted');
    expect(ne('status', 'Abandoned')).toBe('status ne Abandoned');
    expect(gt('total', 50)).toBe('total gt 50');
    expect(ge('total', 50)).toBe('total ge 50');
    expect(lt('total', 50)).toBe('total lt 50');
    expect(le('total', 50)).toBe('total le 50');
    expect(sw('productCode', 'SHIRT')).toBe('productCode sw SHIRT');
    expect(cont('content.productName', 'blue shirt')).toBe("content.productName cont 'blue shirt'");
  });

  it.each(['', '1abc', 'name eq x', 'a-b', 'x;y', 'content.name)', '_id'])('rejects field name %j', (field) => {
    expect(() => eq(field, 'x')).toThrow(FilterError);
  });
});

describe('inList', () => {
  it('renders the or form by default', () => {
    expect(inList('productCode', ['A', 'B c'])).toBe("productCode eq A or productCode eq 'B c'");
  });

  it('renders the in form when asked', () => {
    expect(inList('productCode', ['A', 'B c', 3], { inForm: true })).toBe("productCode in [A,'B c',3]");
  });

  it('sends repeated values once and one value as eq', () => {
    expect(inList('id', [1, 1, 2], { inForm: true })).toBe('id in [1,2]');
    expect(inList('id', [7, 7], { inForm: true })).toBe('id eq 7');
  });

  it('rejects an empty list', () => {
    expect(() => inList('id', [])).toThrow(FilterError);
  });
});

describe('and / or', () => {
  it('skip undefined parts', () => {
    expect(and(undefined, eq('a', 1), undefined)).toBe('a eq 1');
    expect(and(undefined, undefined)).toBeUndefined();
    expect(or(eq('a', 1), undefined, eq('b', 2))).toBe('a eq 1 or b eq 2');
  });

  it('group an or inside an and', () => {
    expect(and(eq('status', 'Open'), inList('id', [1, 2]))).toBe('status eq Open and (id eq 1 or id eq 2)');
    expect(or(and(eq('a', 1), eq('b', 2)), eq('c', 3))).toBe('(a eq 1 and b eq 2) or c eq 3');
  });

  it('do not group for keywords inside quoted values', () => {
    expect(and(eq('name', 'x or y'), eq('b', 2))).toBe("name eq 'x or y' and b eq 2");
    expect(and(eq('name', "it's or y"), eq('b', 2))).toBe("name eq 'it\\'s or y' and b eq 2");
  });

  it('do not regroup an in list', () => {
    expect(and(eq('a', 1), inList('id', [1, 2], { inForm: true }))).toBe('a eq 1 and id in [1,2]');
  });
});

describe('chunk', () => {
  it('splits into groups of the batch size without repeats', () => {
    expect(chunk(['a', 'b', 'c', 'a', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(chunk([], 3)).toEqual([]);
  });

  it('rejects a size below one', () => {
    expect(() => chunk(['a'], 0)).toThrow(RangeError);
    expect(() => chunk(['a'], 1.5)).toThrow(RangeError);
  });
});
