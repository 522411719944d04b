import type { KiboPage } from '../../src/kibo/types.js';
import { invalidParameter } from './envelope.js';
import { compareValues, foldedText, parseFieldPath, resolvePath } from './field-values.js';
import { FilterSyntaxError, matchesFilter, parseFilter } from './filter.js';

/** Kibo's documented page size when `pageSize` is absent, and the largest it accepts. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

export type { KiboPage } from '../../src/kibo/types.js';

/** Query parameters with lower-cased names, because Kibo reads `pageSize` and `pagesize` alike. */
export type QueryParameters = ReadonlyMap<string, string>;

/** Lower-cases parameter names and keeps the first value of a repeated parameter. */
export function normalizeQuery(query: unknown): QueryParameters {
  const parameters = new Map<string, string>();
  if (query === null || typeof query !== 'object') {
    return parameters;
  }
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && !parameters.has(name.toLowerCase())) {
      parameters.set(name.toLowerCase(), first);
    }
  }
  return parameters;
}

/** Reads a non-negative integer parameter, or returns `fallback` when it is absent or empty. */
export function readInteger(query: QueryParameters, name: string, fallback: number): number {
  const text = query.get(name.toLowerCase());
  if (text === undefined || text === '') {
    return fallback;
  }
  if (!/^\d+$/.test(text)) {
    throw invalidParameter(name, `must be a non-negative integer, got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

interface SortKey {
  path: string[];
  descending: boolean;
}

/** Parses `field asc|desc[,field2 desc]`; the direction defaults to ascending. */
function parseSortBy(text: string): SortKey[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\S+)(?:\s+(asc|desc))?\s*$/i.exec(part);
    const path = match ? parseFieldPath(match[1]!) : undefined;
    if (!match || !path) {
      throw invalidParameter('sortBy', `must be "field asc" or "field desc" separated by commas, got ${JSON.stringify(text)}.`);
    }
    return { path, descending: match[2]?.toLowerCase() === 'desc' };
  });
}

function sortRecords<T>(records: T[], keys: SortKey[]): T[] {
  return records.sort((left, right) => {
    for (const key of keys) {
      const leftValue = resolvePath(left, key.path)[0];
      const rightValue = resolvePath(right, key.path)[0];
      const leftMissing = leftValue === null || leftValue === undefined;
      const rightMissing = rightValue === null || rightValue === undefined;
      // Records without the field go last in either direction.
      if (leftMissing || rightMissing) {
        if (leftMissing !== rightMissing) {
          return leftMissing ? 1 : -1;
        }
        continue;
      }
      const order = compareValues(leftValue, rightValue);
      if (order !== 0) {
        return key.descending ? -order : order;
      }
    }
    return 0;
  });
}

function applyFilter<T>(records: readonly T[], text: string): T[] {
  try {
    const node = parseFilter(text);
    return node ? records.filter((record) => matchesFilter(record, node)) : [...records];
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      throw invalidParameter('filter', `is malformed: ${error.message}.`);
    }
    throw error;
  }
}

/**
 * Builds the page for a Kibo list request. It applies `filter`, the quick search `q` over `searchPaths`, `sortBy`,
 * `startIndex` and `pageSize` (default 20, at most 200, and 0 also means 20). `responseFields` and
 * `responseGroups` are ignored, so every record comes back whole.
 */
export function listRecords<T>(
  records: readonly T[],
  query: QueryParameters,
  searchPaths: ReadonlyArray<readonly string[]>,
): KiboPage<T> {
  const startIndex = readInteger(query, 'startIndex', 0);
  const pageSize = readInteger(query, 'pageSize', DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
  if (pageSize > MAX_PAGE_SIZE) {
    throw invalidParameter('pageSize', `must be at most ${MAX_PAGE_SIZE}, got ${pageSize}.`);
  }

  let selected = applyFilter(records, query.get('filter') ?? '');
  const search = query.get('q')?.trim();
  if (search) {
    const needle = foldedText(search);
    selected = selected.filter((record) =>
      searchPaths.some((path) => resolvePath(record, path).some((value) => value != null && foldedText(value).includes(needle))),
    );
  }
  const sortBy = query.get('sortby')?.trim();
  if (sortBy) {
    selected = sortRecords(selected, parseSortBy(sortBy));
  }

  return {
    startIndex,
    pageSize,
    pageCount: Math.ceil(selected.length / pageSize),
    totalCount: selected.length,
    items: selected.slice(startIndex, startIndex + pageSize),
  };
}
