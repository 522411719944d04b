import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { buildQueryString, encodePathSegment, kiboPath, KiboPathError } from '../../../src/kibo/path.js';

describe('kiboPath', () => {
  const awkward: Array<[string, string]> = [
    ['a/b', 'a%2Fb'],
    ['a?b=1', 'a%3Fb%3D1'],
    ['a#frag', 'a%23frag'],
    ['100%', '100%25'],
    ['..', '%2E%2E'],
    ['.', '%2E'],
    ['../admin', '..%2Fadmin'],
    ['...', '...'],
    ['two words', 'two%20words'],
    ['it\'s "quoted"', "it's%20%22quoted%22"],
    ['Кофе', '%D0%9A%D0%BE%D1%84%D0%B5'],
    ['商品', '%E5%95%86%E5%93%81'],
    ['a&b;c', 'a%26b%3Bc'],
    ['back\\slash', 'back%5Cslash'],
    ['line\nbreak', 'line%0Abreak'],
  ];

  it.each(awkward)('encodes %j as one segment', (value, expected) => {
    const built = kiboPath`/commerce/catalog/admin/products/${value}`;
    expect(built.path).toBe(`/commerce/catalog/admin/products/${expected}`);
    expect(built.path.split('/')).toHaveLength(6);
    expect(built.path).not.toMatch(/[?#]/);
  });

  it('keeps the route template free of values', () => {
    const built = kiboPath`/commerce/carts/user/${'user@example.com'}`;
    expect(built.route).toBe('/commerce/carts/user/{}');
    expect(built.path).toBe('/commerce/carts/user/user%40example.com');
  });

  it('renders numbers', () => {
    expect(kiboPath`/commerce/customer/accounts/${1001}`.path).toBe('/commerce/customer/accounts/1001');
  });

  it('rejects an empty value with a typed error', () => {
    expect(() => kiboPath`/commerce/orders/${''}`).toThrow(KiboPathError);
    expect(() => kiboPath`/commerce/orders/${''}`).toThrow(expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT }));
  });

  it('rejects non-finite numbers', () => {
    expect(() => kiboPath`/commerce/customer/accounts/${Number.NaN}`).toThrow(KiboPathError);
    expect(() => kiboPath`/commerce/customer/accounts/${Number.POSITIVE_INFINITY}`).toThrow(KiboPathError);
  });

  it('rejects a lone surrogate', () => {
    expect(() => encodePathSegment('\uD800')).toThrow(KiboPathError);
  });

  it('rejects a query string in the template', () => {
    expect(() => kiboPath`/commerce/orders?x=${'1'}`).toThrow(TypeError);
  });
});

describe('buildQueryString', () => {
  it('encodes keys and values with %20 for spaces', () => {
    expect(buildQueryString({ filter: "name eq 'a b'", q: 'x&y=z' })).toBe(
      "?filter=name%20eq%20'a%20b'&q=x%26y%3Dz",
    );
  });

  it('skips undefined values and returns empty text for nothing', () => {
    expect(buildQueryString({ startIndex: undefined, sortBy: undefined })).toBe('');
    expect(buildQueryString(undefined)).toBe('');
    expect(buildQueryString({ startIndex: 0, sortBy: undefined })).toBe('?startIndex=0');
  });

  it('clamps pageSize to 200', () => {
    expect(buildQueryString({ pageSize: 500 })).toBe('?pageSize=200');
    expect(buildQueryString({ pagesize: '1000' })).toBe('?pagesize=200');
    expect(buildQueryString({ pageSize: 150 })).toBe('?pageSize=150');
  });
});
