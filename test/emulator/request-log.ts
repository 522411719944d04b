/** One request the emulator served, as the tests and `GET /_emulator/requests` see it. */
export interface RequestLogEntry {
  method: string;
  /** Path as received, still percent-encoded, without the query string. */
  path: string;
  /** Query parameters as parsed; a repeated parameter has an array of values. */
  query: Record<string, unknown>;
  /** Response status, or 0 when the connection closed (by a reset fault or by the client) before any response. */
  status: number;
  /** JSON body of a POST that reached its route, with secrets redacted; never stored for the token endpoint. */
  body?: unknown;
  /** True when a fault rule applied to the request, including a rule that only delays it. */
  faulted?: boolean;
  /** True when the client closed the connection before the whole response was sent. */
  aborted?: boolean;
}

const SECRET_KEY_PATTERN = /secret|token|password|authorization/i;

/** Returns a copy of `value` in which every field whose name suggests a secret reads `[Redacted]`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redactSecrets);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, SECRET_KEY_PATTERN.test(key) ? '[Redacted]' : redactSecrets(child)]),
  );
}

/** The log of served requests, oldest first, holding at most `limit` entries. */
export class RequestLog {
  private list: RequestLogEntry[] = [];

  constructor(private readonly limit: number) {}

  record(entry: RequestLogEntry): void {
    this.list.push(entry);
    if (this.list.length > this.limit) {
      // Dropping in blocks keeps recording cheap when a benchmark runs far past the limit.
      const keep = Math.max(1, Math.floor(this.limit * 0.9));
      this.list = this.list.slice(this.list.length - keep);
    }
  }

  entries(): RequestLogEntry[] {
    return [...this.list];
  }

  clear(): void {
    this.list = [];
  }
}
