import { describe, expect, it } from 'vitest';
import { ErrorCode, KiboError } from '../../../src/errors.js';
import { loadByKeyField, type KeyFieldSource } from '../../../src/loaders/by-key-field.js';
import { chunkKeysForFilter } from '../../../src/loaders/chunk.js';

type Product = { productCode: string; name: string };

function source(rows: (filter: string) => Product[], calls: string[]): KeyFieldSource<string, Product> {
  return {
    field: 'productCode',
    keyOf: (row) => row.productCode,
    getOne: async (code) => {
      calls.push(`get ${code}`);
      return rows('').find((row) => row.productCode === code) ?? null;
    },
    list: async (filter) => {
      calls.push(`list ${filter}`);
      return { items: rows(filter) };
    },
    limits: { inForm: false, maxCount: 200, maxLength: 4096 },
  };
}

describe('loadByKeyField', () => {
  it('matches rows by key when upstream reorders, repeats and drops rows', async () => {
    const calls: string[] = [];
    const upstream = () => [
      { productCode: 'C', name: 'third' },
      { productCode: 'A', name: 'first' },
      { productCode: 'A', name: 'first again' },
    ];
    const result = await loadByKeyField(['A', 'B', 'C'], source(upstream, calls));
    expect(result).toEqual([{ productCode: 'A', name: 'first' }, null, { productCode: 'C', name: 'third' }]);
    expect(calls).toEqual(['list productCode eq A or productCode eq B or productCode eq C']);
  });

  it('reads a single key by its own call', async () => {
    const calls: string[] = [];
    const result = await loadByKeyField(['A'], source(() => [{ productCode: 'A', name: 'first' }], calls));
    expect(result).toEqual([{ productCode: 'A', name: 'first' }]);
    expect(calls).toEqual(['get A']);
  });

  it('fails only the keys of a failed chunk', async () => {
    const failing: KeyFieldSource<string, Product> = {
      ...source(() => [], []),
      limits: { inForm: false, maxCount: 2, maxLength: 4096 },
      list: async (filter) => {
        if (filter.endsWith('eq C')) throw new KiboError(ErrorCode.KIBO_UNAVAILABLE, 'Kibo is unavailable.');
        return { items: [{ productCode: 'A', name: 'a' }] };
      },
    };
    const result = await loadByKeyField(['A', 'B', 'C'], failing);
    expect(result[0]).toEqual({ productCode: 'A', name: 'a' });
    expect(result[1]).toBeNull();
    expect(result[2]).toBeInstanceOf(KiboError);
  });
});

describe('chunkKeysForFilter', () => {
  it('keeps each encoded filter within the length limit', () => {
    const keys = Array.from({ length: 150 }, (_value, index) => `PRODUCT-${String(index).padStart(4, '0')}`);
    const chunks = chunkKeysForFilter(keys, { field: 'productCode', inForm: false, maxCount: 200, maxLength: 2000 });
    expect(chunks.flat()).toEqual(keys);
    for (const chunk of chunks) {
      const filter = chunk.map((key) => `productCode eq ${key}`).join(' or ');
      expect(encodeURIComponent(filter).length).toBeLessThanOrEqual(2000);
    }
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('respects the key count limit', () => {
    const chunks = chunkKeysForFilter(['a', 'b', 'c', 'd', 'e'], { field: 'id', inForm: true, maxCount: 2, maxLength: 4096 });
    expect(chunks).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('gives an overlong key its own chunk', () => {
    const long = 'x'.repeat(500);
    const chunks = chunkKeysForFilter(['a', long, 'b'], { field: 'id', inForm: false, maxCount: 200, maxLength: 300 });
    expect(chunks).toEqual([['a'], [long], ['b']]);
  });
});
