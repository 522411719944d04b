import { inList } from '../kibo/filter.js';
import { chunkKeysForFilter, type FilterChunkLimits } from './chunk.js';

export interface KeyFieldSource<Key extends string | number, Row> {
  /** Kibo field the keys are compared against in the filter. */
  field: string;
  /** Key of a returned row; rows are matched to keys by this value, never by position. */
  keyOf: (row: Row) => Key | null | undefined;
  /** Reads one record; returns null when Kibo has none. */
  getOne: (key: Key) => Promise<Row | null>;
  /** Reads one page of records matching a filter. */
  list: (filter: string, pageSize: number) => Promise<{ items?: Row[] | null }>;
  limits: Omit<FilterChunkLimits, 'field'>;
}

/**
 * Loads records for a batch of keys: one `getOne` call for a single key, else one filtered list call per chunk
 * of keys that fits the filter limits. Rows are matched by their key field, so an upstream that reorders,
 * repeats or leaves out rows still gives each key its own record (or null).
 */
export async function loadByKeyField<Key extends string | number, Row>(
  keys: readonly Key[],
  source: KeyFieldSource<Key, Row>,
): Promise<Array<Row | null | Error>> {
  if (keys.length === 1) {
    try {
      return [await source.getOne(keys[0]!)];
    } catch (error) {
      return [asError(error)];
    }
  }

  const rowsByKey = new Map<Key, Row>();
  const failedKeys = new Map<Key, Error>();
  const chunks = chunkKeysForFilter(keys, { ...source.limits, field: source.field });
  await Promise.all(
    chunks.map(async (chunk) => {
      try {
        const filter = inList(source.field, chunk, { inForm: source.limits.inForm });
        const page = await source.list(filter, chunk.length);
        for (const row of page.items ?? []) {
          const key = source.keyOf(row);
          if (key !== null && key !== undefined && !rowsByKey.has(key)) rowsByKey.set(key, row);
        }
      } catch (error) {
        // A failed call fails the keys of its own chunk, and nothing else.
        for (const key of chunk) failedKeys.set(key, asError(error));
      }
    }),
  );
  return keys.map((key) => failedKeys.get(key) ?? rowsByKey.get(key) ?? null);
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
