import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, matchesFilter, parseFilter } from './filter.js';
import { AWKWARD_PRODUCT_CODES } from './generate-catalog.js';

function matches(filter: string, record: unknown): boolean {
  const node = parseFilter(filter);
  if (!node) {
    throw new Error('expected a non-empty filter');
  }
  return matchesFilter(record, node);
}

const product = {
  productCode: 'BOX/2-PACK',
  productUsage: 'Standard',
  isVariation: false,
  content: { productName: 'Alpine Flask 12', productImages: [{ altText: 'front' }, { altText: 'back' }] },
  price: { price: 19.5, salePrice: null },
  auditInfo: { createDate: '2024-03-01T05:00:00-05:00' },
};

describe('parseFilter', () => {
  it('returns undefined for a blank filter', () => {
    expect(parseFilter('')).toBeUndefined();
    expect(parseFilter('   ')).toBeUndefined();
  });

  it('binds and tighter than or', () => {
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toEqual({
      kind: 'or',
      terms: [
        { kind: 'comparison', field: ['a'], operator: 'eq', value: { text: '1', quoted: false } },
        {
          kind: 'and',
          terms: [
            { kind: 'comparison', field: ['b'], operator: 'eq', value: { text: '2', quoted: false } },
            { kind: 'comparison', field: ['c'], operator: 'eq', value: { text: '3', quoted: false } },
          ],
        },
      ],
    });
  });

  it('groups with parentheses', () => {
    const node = parseFilter('(a eq 1 or b eq 2) and c eq 3');
    expect(node?.kind).toBe('and');
  });

  it('reads keywords and operators in any case', () => {
    expect(parseFilter('Status EQ Completed AND total GT 5')?.kind).toBe('and');
  });

  it.each([
    ['slash', 'BOX/2-PACK'],
    ['question mark', 'WHY?-MUG'],
    ['hash', 'TEE#7'],
    ['percent', '50%-OFF'],
    ['dot pair', 'V2..BETA'],
    ['non-Latin letters', 'ЧАЙ-001'],
    ['CJK letters', '茶碗-002'],
  ])('keeps a bare value with a %s', (_name, value) => {
    expect(parseFilter(`productCode eq ${value}`)).toEqual({
      kind: 'comparison',
      field: ['productCode'],
      operator: 'eq',
      value: { text: value, quoted: false },
    });
  });

  it.each([
    ['space', "'GIFT CARD 25'", 'GIFT CARD 25'],
    ['quote', "'O\\'BRIEN'", "O'BRIEN"],
    ['backslash', "'C:\\\\TEMP'", 'C:\\TEMP'],
    ['comma', "'A,B'", 'A,B'],
    ['brackets', "'[LIMITED]'", '[LIMITED]'],
    ['parentheses', "'(2024)'", '(2024)'],
    ['keyword', "'and'", 'and'],
    ['empty text', "''", ''],
  ])('unescapes a quoted value with a %s', (_name, literal, text) => {
    expect(parseFilter(`name eq ${literal}`)).toEqual({
      kind: 'comparison',
      field: ['name'],
      operator: 'eq',
      value: { text, quoted: true },
    });
  });

  it('parses an in list with quoted and bare values', () => {
    expect(parseFilter("productCode in [A, 'B,C' ,D/E]")).toEqual({
      kind: 'in',
      field: ['productCode'],
      values: [
        { text: 'A', quoted: false },
        { text: 'B,C', quoted: true },
        { text: 'D/E', quoted: false },
      ],
    });
  });

  it.each([
    ['missing value', 'productCode eq'],
    ['unknown operator', 'productCode like A'],
    ['missing operator', 'productCode'],
    ['bad field name', '1abc eq 2'],
    ['unterminated quote', "name eq 'abc"],
    ['invalid escape', "name eq 'a\\b'"],
    ['quote inside a bare value', "name eq O'BRIEN"],
    ['space inside a bare value', 'name eq GIFT CARD'],
    ['dangling and', 'a eq 1 and'],
    ['unclosed parenthesis', '(a eq 1'],
    ['unclosed list', 'a in [1, 2'],
    ['empty list', 'a in []'],
    ['list without brackets', 'a in 1,2'],
    ['comma as a value', 'a eq ,'],
  ])('rejects a %s', (_name, filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
  });

  it('reports the position of the problem', () => {
    try {
      parseFilter('status eq A xor b eq 2');
      expect.unreachable('parseFilter should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(FilterSyntaxError);
      expect((error as FilterSyntaxError).position).toBe(12);
    }
  });
});

describe('matchesFilter', () => {
  it('matches field names in any case', () => {
    expect(matches('PRODUCTCODE eq BOX/2-PACK', product)).toBe(true);
    expect(matches('Content.ProductName eq \'Alpine Flask 12\'', product)).toBe(true);
  });

  it('compares text without regard to case', () => {
    expect(matches('productUsage eq standard', product)).toBe(true);
    expect(matches('productUsage ne STANDARD', product)).toBe(false);
  });

  it('compares numbers numerically', () => {
    expect(matches('price.price gt 9', product)).toBe(true);
    expect(matches('price.price lt 100', product)).toBe(true);
    expect(matches('price.price ge 19.5', product)).toBe(true);
    expect(matches('price.price le 19.49', product)).toBe(false);
  });

  it('compares ISO dates as instants across forms', () => {
    expect(matches('auditInfo.createDate eq 2024-03-01T10:00:00Z', product)).toBe(true);
    expect(matches('auditInfo.createDate gt 2024-03-01T09:59:59.999Z', product)).toBe(true);
    expect(matches('auditInfo.createDate lt 2024-03-01', product)).toBe(false);
    expect(matches('auditInfo.createDate ge 2024-03-01', product)).toBe(true);
  });

  it('supports starts-with and contains', () => {
    expect(matches('content.productName sw alpine', product)).toBe(true);
    expect(matches("content.productName cont 'flask 1'", product)).toBe(true);
    expect(matches('content.productName cont desert', product)).toBe(false);
  });

  it('compares booleans', () => {
    expect(matches('isVariation eq false', product)).toBe(true);
    expect(matches('isVariation eq true', product)).toBe(false);
  });

  it('matches null against missing and null fields', () => {
    expect(matches('price.salePrice eq null', product)).toBe(true);
    expect(matches('upc eq null', product)).toBe(true);
    expect(matches("upc eq 'null'", product)).toBe(false);
    expect(matches('productCode ne null', product)).toBe(true);
  });

  it('matches any element along an array path', () => {
    expect(matches('content.productImages.altText eq back', product)).toBe(true);
    expect(matches('content.productImages.altText ne back', product)).toBe(false);
    expect(matches('content.productImages.altText ne side', product)).toBe(true);
  });

  it('matches in lists', () => {
    expect(matches("productCode in [A, 'BOX/2-PACK']", product)).toBe(true);
    expect(matches('productCode in [A, B]', product)).toBe(false);
  });

  it('matches awkward values exactly', () => {
    const awkward = [...AWKWARD_PRODUCT_CODES, 'back\\slash'];
    for (const code of awkward) {
      const quoted = `'${code.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
      expect(matches(`productCode eq ${quoted}`, { productCode: code }), code).toBe(true);
      expect(matches(`productCode eq ${quoted}`, { productCode: `${code}X` }), code).toBe(false);
    }
  });

  it('combines and, or and parentheses', () => {
    expect(matches('productUsage eq Configurable or price.price gt 10 and isVariation eq false', product)).toBe(true);
    expect(matches('(productUsage eq Configurable or price.price gt 10) and isVariation eq true', product)).toBe(false);
  });
});

describe('batched equality filters', () => {
  const records = [
    { id: 5, code: 'Ab-1', date: '2024-03-01T10:00:00Z', flag: true, missing: null },
    { id: 7, code: 'x/y', date: '2024-03-01T12:00:00+02:00', flag: false },
    { id: 12, code: 'ÄBC', date: 'not a date', flag: true },
    { id: 0, code: '5', date: '2024-03-02', flag: false },
  ];
  const valueLists = [
    ['5', "'7'", 'ab-1', "'x/y'", 'null'],
    ['2024-03-01T10:00:00.000Z', '2024-03-01T10:00Z', "'äbc'", 'TRUE', '12.0'],
    ["'5'", '0', 'false', 'nothing'],
  ];

  it.each(['id', 'code', 'date', 'flag', 'missing'])('match each term on %s', (field) => {
    for (const values of valueLists) {
      const orFilter = parseFilter(values.map((value) => `${field} eq ${value}`).join(' or '))!;
      const inFilter = parseFilter(`${field} in [${values.join(',')}]`)!;
      for (const record of records) {
        const oneByOne = values.some((value) => matchesFilter(record, parseFilter(`${field} eq ${value}`)!));
        expect(matchesFilter(record, orFilter), `${JSON.stringify(record)} ~ ${orFilter.kind}`).toBe(oneByOne);
        expect(matchesFilter(record, inFilter), `${JSON.stringify(record)} ~ in`).toBe(oneByOne);
      }
    }
  });
});
