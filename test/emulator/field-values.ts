/**
 * Field access and value comparison shared by the filter and sortBy parameters. Field names match keys in any
 * case, and a dotted path steps into nested objects and through every element of arrays on the way.
 */

const FIELD_PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

// A date, optionally with a time, seconds, fractions and a zone: the forms Kibo uses for date-time fields.
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Splits a dotted field name into its segments, or returns undefined when it is not a valid field name. */
export function parseFieldPath(text: string): string[] | undefined {
  return FIELD_PATH_PATTERN.test(text) ? text.split('.') : undefined;
}

function getProperty(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (key in record) {
    return record[key];
  }
  const lowerKey = key.toLowerCase();
  const match = Object.keys(record).find((candidate) => candidate.toLowerCase() === lowerKey);
  return match === undefined ? undefined : record[match];
}

/**
 * Returns every value found at `path` in `record`. Arrays on the way contribute each element, so
 * `items.product.productCode` yields one code per order line. A missing field yields `[undefined]`.
 */
export function resolvePath(record: unknown, path: readonly string[]): unknown[] {
  let current: unknown[] = [record];
  for (const key of path) {
    const next: unknown[] = [];
    for (const value of current) {
      const child = getProperty(value, key);
      if (Array.isArray(child)) {
        next.push(...child);
      } else {
        next.push(child);
      }
    }
    current = next;
  }
  return current.length === 0 ? [undefined] : current;
}

/**
 * Returns the instant of an ISO 8601 date or date-time in milliseconds, or NaN when `value` is not one. A date-time
 * without a zone is read as UTC, so that results do not depend on the time zone of the machine.
 */
export function parseIsoDate(value: string): number {
  if (!ISO_DATE_PATTERN.test(value)) {
    return Number.NaN;
  }
  const [datePart, timePart] = value.replace(/[t ]/, 'T').split('T');
  if (timePart === undefined) {
    return Date.parse(`${datePart}T00:00:00Z`);
  }
  const zone = /([Zz]|[+-]\d{2}:?\d{2})$/.exec(timePart)?.[0];
  const time = zone ? timePart.slice(0, -zone.length) : timePart;
  const normalizedZone = !zone || zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return Date.parse(`${datePart}T${time}${normalizedZone}`);
}

function foldCase(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

/**
 * Compares two field values: numbers numerically, booleans false before true, two ISO dates as instants, and
 * anything else as text without regard to case. Returns a negative number, zero or a positive number.
 */
export function compareValues(left: unknown, right: unknown): number {
  if (typeof left === 'number' && typeof right === 'number') {
    return left - right;
  }
  if (typeof left === 'boolean' && typeof right === 'boolean') {
    return Number(left) - Number(right);
  }
  if (typeof left === 'string' && typeof right === 'string') {
    const leftInstant = parseIsoDate(left);
    const rightInstant = parseIsoDate(right);
    if (!Number.isNaN(leftInstant) && !Number.isNaN(rightInstant)) {
      return leftInstant - rightInstant;
    }
  }
  const leftText = foldCase(String(left));
  const rightText = foldCase(String(right));
  if (leftText === rightText) {
    return 0;
  }
  return leftText < rightText ? -1 : 1;
}

/** Returns the text of a value folded to lower case, for the starts-with and contains operators. */
export function foldedText(value: unknown): string {
  return foldCase(String(value));
}
