import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that pino replaces with `[Redacted]` wherever they appear in a log object. This is a second line of
 * defence: code never puts a secret or token into a log object in the first place.
 */
export const REDACTED_PATHS = [
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'refresh_token',
  'token',
  'authorization',
  'password',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.authorization',
  '*.password',
  'req.headers.authorization',
  'req.headers["x-gateway-admin-token"]',
  'headers.authorization',
];

export interface LoggerOptions {
  level: string;
  /** Destination of log lines; standard output when absent. Tests pass a stream to inspect every line. */
  destination?: DestinationStream;
}

/** Creates the root JSON logger. Child loggers add the request id and other ids per request. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'kibo-graphql-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
