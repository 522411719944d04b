import { BadUserInputError } from '../errors.js';

/** Kibo's documented maximum `pageSize` on list endpoints. */
export const MAX_PAGE_SIZE = 200;

/** A Kibo API path below `/api`, built by {@link kiboPath}. */
export interface KiboPath {
  /** Encoded path, for example `/commerce/orders/abc%2Fdef`. */
  readonly path: string;
  /** Path template with `{}` for each value, for example `/commerce/orders/{}`; safe to log. */
  readonly route: string;
}

/** Value of one path segment. */
export type PathValue = string | number;

/** Query parameters of a Kibo call; `undefined` values are left out. */
export type KiboQuery = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Raised when a value cannot be a path segment (empty, a non-finite number or text that is not valid Unicode).
 * It is a BAD_USER_INPUT error, and a resolver may turn it into NOT_FOUND instead.
 */
export class KiboPathError extends BadUserInputError {
  constructor(message: string) {
    super(message);
    this.name = 'KiboPathError';
  }
}

/**
 * Builds a Kibo path from a template literal, encoding each interpolated value as exactly one path segment, so
 * that no value can reach another route or add a query string.
 *
 * @example kiboPath`/commerce/catalog/admin/products/${code}`
 * @throws KiboPathError when a value is empty, a non-finite number or contains a lone surrogate.
 */
export function kiboPath(strings: TemplateStringsArray, ...values: readonly PathValue[]): KiboPath {
  let path = '';
  let route = '';
  strings.forEach((literal, index) => {
    assertLiteral(literal);
    path += literal;
    route += literal;
    if (index < values.length) {
      path += encodePathSegment(values[index]!);
      route += '{}';
    }
  });
  if (!path.startsWith('/')) throw new TypeError('A Kibo path template must start with "/".');
  return Object.freeze({ path, route });
}

/**
 * Encodes one path segment. Besides `encodeURIComponent`, a segment that is exactly `.` or `..` has its dots
 * encoded, because clients and servers would otherwise resolve it as "this folder" or "parent folder".
 */
export function encodePathSegment(value: PathValue): string {
  const text = segmentText(value);
  if (text === '.' || text === '..') return text.replaceAll('.', '%2E');
  try {
    return encodeURIComponent(text);
  } catch {
    // encodeURIComponent throws URIError on a lone surrogate, which no Kibo id contains.
    throw new KiboPathError('A Kibo path value contains invalid Unicode text.');
  }
}

function segmentText(value: PathValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new KiboPathError('A Kibo path value must be a finite number.');
    return String(value);
  }
  if (value.length === 0) throw new KiboPathError('A Kibo path value must not be empty.');
  return value;
}

function assertLiteral(literal: string): void {
  // Template literals are written by the gateway's own code, so a query or fragment there is a programming error.
  if (literal.includes('?') || literal.includes('#')) {
    throw new TypeError('A Kibo path template must not contain "?" or "#"; pass query parameters separately.');
  }
}

/**
 * Builds a query string (with its leading `?`, or empty) from `query`. Keys and values are encoded with
 * `encodeURIComponent`, so spaces become `%20`. A `pageSize` above {@link MAX_PAGE_SIZE} is lowered to it.
 */
export function buildQueryString(query: KiboQuery | undefined): string {
  if (query === undefined) return '';
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = key.toLowerCase() === 'pagesize' ? clampPageSize(value) : String(value);
    pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

function clampPageSize(value: string | number | boolean): string {
  const size = Number(value);
  return Number.isFinite(size) && size > MAX_PAGE_SIZE ? String(MAX_PAGE_SIZE) : String(value);
}
