/**
 * Kibo's JSON error body. The field names come from the error classes of Kibo's SDKs. No body captured from a real
 * tenant was available, so values such as `applicationName` are the emulator's own.
 */
export interface KiboErrorEnvelope {
  message: string;
  errorCode: string;
  applicationName: string;
  additionalErrorData: Array<{ name: string; value: string }>;
  items: unknown[];
  correlationId: string;
}

/**
 * Error codes the emulator sends. All but ROUTE_NOT_FOUND are codes seen in Kibo's SDKs and themes. ROUTE_NOT_FOUND
 * is the emulator's own, for a path that no route matches.
 */
export const KiboErrorCode = {
  itemNotFound: 'ITEM_NOT_FOUND',
  routeNotFound: 'ROUTE_NOT_FOUND',
  invalidParameter: 'MISSING_OR_INVALID_PARAMETER',
  unauthorized: 'UNAUTHORIZED',
  unexpected: 'UNEXPECTED_ERROR',
} as const;

/** An error that a route throws to respond with Kibo's envelope and the given HTTP status. */
export class KiboError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    readonly additionalErrorData: Array<{ name: string; value: string }> = [],
  ) {
    super(message);
    this.name = 'KiboError';
  }
}

/** Returns the error code that goes with an HTTP status when nothing more specific is known. */
export function errorCodeForStatus(status: number): string {
  if (status === 400) return KiboErrorCode.invalidParameter;
  if (status === 401) return KiboErrorCode.unauthorized;
  if (status === 404) return KiboErrorCode.itemNotFound;
  return KiboErrorCode.unexpected;
}

/** Returns the 404 for a record that does not exist, such as `notFound('product', 'BOX/2-PACK')`. */
export function notFound(kind: string, id: string | number): KiboError {
  return new KiboError(404, KiboErrorCode.itemNotFound, `Item not found: ${kind} ${JSON.stringify(id)} does not exist.`, [
    { name: 'Id', value: String(id) },
  ]);
}

/** Returns the 400 for a bad parameter, in the `Missing or invalid parameter: <name> <reason>` form Kibo uses. */
export function invalidParameter(name: string, reason: string): KiboError {
  return new KiboError(400, KiboErrorCode.invalidParameter, `Missing or invalid parameter: ${name} ${reason}`, [
    { name: 'ParameterName', value: name },
  ]);
}

export function unauthorized(reason: string): KiboError {
  return new KiboError(401, KiboErrorCode.unauthorized, `Unauthorized: ${reason}`);
}

/** Returns the service name reported in `applicationName`, chosen by the first segments of the request path. */
export function applicationNameFor(path: string): string {
  const lower = path.toLowerCase();
  if (lower.startsWith('/api/platform/')) return 'Platform';
  if (lower.startsWith('/api/commerce/catalog/')) return 'Catalog';
  if (lower.startsWith('/api/commerce/customer/')) return 'Customer';
  if (lower.startsWith('/api/commerce/inventory/')) return 'Inventory';
  if (lower.startsWith('/api/commerce/')) return 'Commerce';
  return 'Emulator';
}

export function buildEnvelope(error: KiboError, path: string, correlationId: string): KiboErrorEnvelope {
  return {
    message: error.message,
    errorCode: error.errorCode,
    applicationName: applicationNameFor(path),
    additionalErrorData: error.additionalErrorData,
    items: [],
    correlationId,
  };
}
