import { BadUserInputError } from '../errors.js';
import { MAX_PAGE_SIZE } from '../kibo/path.js';
import type { KiboPage } from '../kibo/types.js';

// Kibo's documented maximum `pageSize` is also the largest `first` a connection accepts.
export { MAX_PAGE_SIZE };
export const DEFAULT_PAGE_SIZE = 20;

/** Start and size of a connection page in Kibo's terms. */
export interface PageRequest {
  startIndex: number;
  pageSize: number;
}

export interface Connection<Node> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: Node }>;
  nodes: Node[];
}

const CURSOR_PREFIX = 'offset:';
/** Bounds cursors to offsets Kibo can page to; a larger value is not a cursor the gateway made. */
const MAX_OFFSET = 1_000_000_000;

/** Encodes the zero-based position of a record in a list as an opaque cursor. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}.
 * @throws BadUserInputError naming `after` when the cursor is malformed.
 */
export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^offset:(\d{1,10})$/.exec(text);
  const offset = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset > MAX_OFFSET) {
    throw new BadUserInputError('Invalid cursor in "after": use a cursor returned by this API.', 'after');
  }
  return offset;
}

/**
 * Turns `first` and `after` into Kibo's `startIndex` and `pageSize`.
 * @throws BadUserInputError when `first` is outside 1..200 or `after` is malformed.
 */
export function readPageArguments(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const pageSize = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`"first" must be between 1 and ${MAX_PAGE_SIZE}; got ${pageSize}.`, 'first');
  }
  const startIndex = after === null || after === undefined ? 0 : decodeCursor(after) + 1;
  return { startIndex, pageSize };
}

/** Builds a connection from one Kibo page, giving each record a cursor for its position. */
export function toConnection<Node>(page: KiboPage<Node>, request: PageRequest): Connection<Node> {
  const nodes = (page.items ?? []).slice(0, request.pageSize);
  const edges = nodes.map((node, index) => ({ cursor: encodeCursor(request.startIndex + index), node }));
  const totalCount = page.totalCount ?? nodes.length;
  return {
    totalCount,
    pageInfo: {
      hasNextPage: request.startIndex + nodes.length < totalCount,
      hasPreviousPage: request.startIndex > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    edges,
    nodes,
  };
}

/**
 * Resolves a connection field: reads the page arguments, skips the upstream call when the filter cannot match
 * anything, and turns Kibo's page into a connection.
 */
export async function resolveConnection<Node>(
  args: { first?: number | null; after?: string | null },
  filter: string | undefined | symbol,
  loadPage: (request: PageRequest & { filter: string | undefined }) => Promise<KiboPage<Node>>,
): Promise<Connection<Node>> {
  const request = readPageArguments(args.first, args.after);
  if (typeof filter === 'symbol') {
    return toConnection({ startIndex: request.startIndex, pageSize: request.pageSize, pageCount: 0, totalCount: 0, items: [] }, request);
  }
  return toConnection(await loadPage({ ...request, filter }), request);
}
