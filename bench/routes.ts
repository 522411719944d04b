const ROUTES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/api\/platform\/applications\/authtickets\/oauth$/i, 'token'],
  [/^\/api\/platform\/tenants\/[^/]+$/i, 'tenant'],
  [/^\/api\/commerce\/catalog\/admin\/products$/i, 'products'],
  [/^\/api\/commerce\/catalog\/admin\/products\/.+$/i, 'product by code'],
  [/^\/api\/commerce\/orders$/i, 'orders'],
  [/^\/api\/commerce\/orders\/.+$/i, 'order by id'],
  [/^\/api\/commerce\/customer\/accounts$/i, 'customers'],
  [/^\/api\/commerce\/customer\/accounts\/.+$/i, 'customer by id'],
  [/^\/api\/commerce\/inventory\/v5\/inventory$/i, 'inventory'],
  [/^\/api\/commerce\/carts\/user\/.+$/i, 'cart by user'],
  [/^\/api\/commerce\/carts\/.+$/i, 'cart by id'],
];

/**
 * Names a Kibo request path by its route, folding ids and codes, for example `product by code`. A query string
 * is ignored, and an unknown path is returned as it is.
 */
export function routeOf(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return ROUTES.find(([pattern]) => pattern.test(bare))?.[1] ?? bare;
}

/** Tells whether a path belongs to Kibo's platform API (tokens, tenant lookup) rather than to its data. */
export function isPlatformPath(path: string): boolean {
  return path.toLowerCase().startsWith('/api/platform/');
}
