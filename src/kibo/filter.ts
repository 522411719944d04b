/**
 * Builder for Kibo's `filter` query parameter. Every value goes through {@link renderFilterValue} and every field
 * name through a format check, so no client text ends up in a filter as is.
 */

/** A filter expression made by this module; other code cannot produce one by accident. */
export type KiboFilter = string & { readonly __kiboFilter: true };

/** Value a filter compares a field with. */
export type FilterValue = string | number | boolean | Date;

/** Options of {@link inList}. */
export interface InListOptions {
  /** Render `field in [a,b]` (true) or `field eq a or field eq b` (false, the default). */
  inForm?: boolean | undefined;
}

/** Raised when a field name is malformed or a value cannot be rendered; both are programming errors. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

const FIELD_PATTERN = /^[A-Za-z][A-Za-z0-9_.]*$/;
const BARE_VALUE_PATTERN = /^[A-Za-z0-9_.:@+-]+$/;
const KEYWORDS = new Set(['and', 'or', 'in']);

type Operator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'sw' | 'cont';

/** `field eq value` */
export const eq = (field: string, value: FilterValue): KiboFilter => compare(field, 'eq', value);
/** `field ne value` */
export const ne = (field: string, value: FilterValue): KiboFilter => compare(field, 'ne', value);
/** `field gt value` (greater than) */
export const gt = (field: string, value: FilterValue): KiboFilter => compare(field, 'gt', value);
/** `field ge value` (greater than or equal) */
export const ge = (field: string, value: FilterValue): KiboFilter => compare(field, 'ge', value);
/** `field lt value` (less than) */
export const lt = (field: string, value: FilterValue): KiboFilter => compare(field, 'lt', value);
/** `field le value` (less than or equal) */
export const le = (field: string, value: FilterValue): KiboFilter => compare(field, 'le', value);
/** `field sw value` (starts with) */
export const sw = (field: string, value: FilterValue): KiboFilter => compare(field, 'sw', value);
/** `field cont value` (contains) */
export const cont = (field: string, value: FilterValue): KiboFilter => compare(field, 'cont', value);

function compare(field: string, operator: Operator, value: FilterValue): KiboFilter {
  return `${checkField(field)} ${operator} ${renderFilterValue(value)}` as KiboFilter;
}

/**
 * Matches `field` against any of `values`. Repeated values are sent once, and a single value becomes `eq`.
 * Kibo's own storefront theme sends `in [..]`, but no Kibo reference documents it, so the `or` form is the default.
 * @throws FilterError when `values` is empty, because Kibo has no filter that matches nothing.
 */
export function inList(field: string, values: readonly FilterValue[], options: InListOptions = {}): KiboFilter {
  const name = checkField(field);
  const rendered = [...new Set(values.map(renderFilterValue))];
  if (rendered.length === 0) throw new FilterError(`inList on "${name}" needs at least one value.`);
  if (rendered.length === 1) return `${name} eq ${rendered[0]}` as KiboFilter;
  if (options.inForm) return `${name} in [${rendered.join(',')}]` as KiboFilter;
  return rendered.map((value) => `${name} eq ${value}`).join(' or ') as KiboFilter;
}

/** Joins the defined parts with `and`; returns undefined when no part is defined. */
export function and(...parts: ReadonlyArray<KiboFilter | undefined>): KiboFilter | undefined {
  return combine('and', parts);
}

/** Joins the defined parts with `or`; returns undefined when no part is defined. */
export function or(...parts: ReadonlyArray<KiboFilter | undefined>): KiboFilter | undefined {
  return combine('or', parts);
}

function combine(keyword: 'and' | 'or', parts: ReadonlyArray<KiboFilter | undefined>): KiboFilter | undefined {
  const present = parts.filter((part): part is KiboFilter => part !== undefined && part !== '');
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const other = keyword === 'and' ? 'or' : 'and';
  // NOTE: Kibo documents no grouping syntax. Parentheses keep `a and (b or c)` unambiguous here and in the
  // emulator, but whether Kibo honours them is unverified.
  const grouped = present.map((part) => (hasTopLevelKeyword(part, other) ? `(${part})` : part));
  return grouped.join(` ${keyword} `) as KiboFilter;
}

/**
 * Tells whether `keyword` joins terms of `filter` outside quotes and parentheses. Values that are the bare words
 * `and`, `or` or `in`, or that contain spaces, are always quoted, so a spaced keyword outside quotes comes from
 * {@link and} or {@link or}.
 */
function hasTopLevelKeyword(filter: string, keyword: 'and' | 'or'): boolean {
  const needle = ` ${keyword} `;
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < filter.length; index += 1) {
    const char = filter[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === "'") quoted = false;
    } else if (char === "'") {
      quoted = true;
    } else if (char === '(') {
      depth += 1;
    } else if (char === ')') {
      depth -= 1;
    } else if (depth === 0 && filter.startsWith(needle, index)) {
      return true;
    }
  }
  return false;
}

function checkField(field: string): string {
  if (!FIELD_PATTERN.test(field)) throw new FilterError(`Invalid filter field name "${field}".`);
  return field;
}

/**
 * Renders one value. Numbers and booleans are bare, a Date is ISO 8601 in UTC, and a string is bare when it
 * contains only letters, digits and `_ . : @ + -` and is not one of the words `and`, `or`, `in`. Any other
 * string is single-quoted with `\` written as `\\` and `'` as `\'`.
 * NOTE: Kibo does not document how to quote or escape filter values; the emulator implements this same rule.
 * @throws FilterError for a non-finite number or an invalid Date.
 */
export function renderFilterValue(value: FilterValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FilterError('A filter number must be finite.');
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new FilterError('A filter date must be a valid Date.');
    return value.toISOString();
  }
  if (typeof value !== 'string') throw new FilterError(`Unsupported filter value type ${typeof value}.`);
  if (BARE_VALUE_PATTERN.test(value) && !KEYWORDS.has(value.toLowerCase())) return value;
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * Splits `values` into groups of at most `size`, dropping repeats, for batched lookups that put one group in
 * one filter (use `settings.filterBatchSize`).
 * @throws RangeError when `size` is not a positive integer.
 */
export function chunk<T>(values: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Chunk size must be a positive integer; got ${size}.`);
  const unique = [...new Set(values)];
  const groups: T[][] = [];
  for (let start = 0; start < unique.length; start += size) groups.push(unique.slice(start, start + size));
  return groups;
}
