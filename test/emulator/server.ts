import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { pino, type Logger } from 'pino';
import { DEMO_APPLICATION, type EmulatorApplication } from './application.js';
import { generateTenant } from './data.js';
import { trackConnections } from './connections.js';
import { buildEnvelope, KiboError, KiboErrorCode } from './envelope.js';
import { applyFault, pausedBody, type RequestState } from './fault-injection.js';
import { FaultStore, faultRuleSchema, RandomFaults, type FaultRuleInput, type RandomFaultCounts } from './faults.js';
import { redactSecrets, RequestLog, type RequestLogEntry } from './request-log.js';
import { registerAuthenticationRoutes, TOKEN_PATH } from './routes/authentication.js';
import { registerCartItemRoutes } from './routes/cart-items.js';
import { registerCatalogRoutes } from './routes/catalog.js';
import { registerControlRoutes } from './routes/control.js';
import { registerCommerceRoutes } from './routes/commerce.js';
import { registerCustomerRoutes } from './routes/customers.js';
import { registerInventoryRoutes } from './routes/inventory.js';
import { authenticate, type EmulatorContext } from './routes/context.js';
import { registerTenantRoutes } from './routes/tenant.js';
import { TokenStore } from './tokens.js';
import type { TenantData } from './types.js';

export {
  DEMO_APPLICATION,
  DEMO_CATALOG_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_MASTER_CATALOG_ID,
  DEMO_SITE_ID,
  DEMO_TENANT_ID,
  type EmulatorApplication,
} from './application.js';
export type { FaultRuleInput } from './faults.js';
export type { RequestLogEntry } from './request-log.js';
export type { TenantData } from './types.js';

export interface EmulatorOptions {
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; default 0, which picks a free port. */
  port?: number;
  /** Records to serve; default the generated sample tenant. */
  data?: TenantData;
  /** Delay in milliseconds added before every response to a Kibo route; default 0. */
  latencyMs?: number;
  /** Lifetime of issued access tokens in seconds, sent as `expires_in`; default 3600. */
  tokenTtlSeconds?: number;
  /** Logger for start, stop, errors and (at debug level) each request; default silent. */
  logger?: Logger;
  /** Largest number of entries the request log keeps, dropping the oldest; default 10,000. */
  requestLogLimit?: number;
  /** Idle time in milliseconds after which a kept-alive connection is closed; default Node's (5 s). */
  keepAliveTimeoutMs?: number;
  /** Whether responses announce the idle time as `Keep-Alive: timeout=N`; default true. */
  keepAliveHint?: boolean;
  /**
   * Share of Kibo requests, from 0 to 1, that fail at random when no fault rule applies; default 0. A failure is
   * a 503, a 429 with `Retry-After: 1` or a connection reset.
   */
  faultRate?: number;
  /** Seed of the random faults; default 1. */
  faultSeed?: number;
}

export interface RunningEmulator {
  /** Origin such as `http://127.0.0.1:4010`, without `/api`. */
  url: string;
  port: number;
  data: TenantData;
  application: EmulatorApplication;
  /** Returns a copy of the request log, oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  setLatency(milliseconds: number): void;
  /** Adds a fault rule, exactly as `POST /_emulator/faults` does. */
  addFault(rule: FaultRuleInput): void;
  clearFaults(): void;
  /** Requests that could have met a random fault so far, and the faults injected among them (see `faultRate`). */
  randomFaults(): RandomFaultCounts;
  /** Number of TCP connections accepted since start. */
  connectionCount(): number;
  close(): Promise<void>;
}

function checkNonNegative(name: string, value: number, unit: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number of ${unit}; got ${value}.`);
  }
  return value;
}

function newCorrelationId(): string {
  return randomBytes(16).toString('hex');
}

/** Paths of the emulator's own routes, which need no token and stay out of the request log. */
const CONTROL_PATH = /^\/_emulator(\/|$)/;

/** Returns the request path exactly as received, still percent-encoded, without the query string. */
function rawPathOf(request: FastifyRequest): string {
  return (request.raw.url ?? '/').split('?')[0] ?? '/';
}

/** Host part of a URL or `host:port` pair, with IPv6 addresses in brackets. */
function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Turns errors that fastify raises itself (bad JSON, wrong media type, body too large) into Kibo errors. */
function toKiboError(error: FastifyError | KiboError, logger: Logger, request: FastifyRequest): KiboError {
  if (error instanceof KiboError) {
    return error;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new KiboError(status, KiboErrorCode.invalidParameter, `Missing or invalid parameter: ${error.message}`);
  }
  logger.error({ err: error, method: request.method, url: request.url }, 'Emulator route failed');
  return new KiboError(500, KiboErrorCode.unexpected, 'An unexpected error occurred in the emulator.');
}

/** Starts the emulator on loopback and resolves once it accepts connections. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ level: 'silent' });
  const data = options.data ?? generateTenant();
  const tokenTtlSeconds = checkNonNegative('tokenTtlSeconds', options.tokenTtlSeconds ?? 3600, 'seconds');
  let latencyMs = checkNonNegative('latencyMs', options.latencyMs ?? 0, 'milliseconds');

  const faults = new FaultStore();
  const randomFaults = options.faultRate ? new RandomFaults(options.faultRate, options.faultSeed ?? 1) : undefined;
  const requestLog = new RequestLog(options.requestLogLimit ?? 10_000);
  const states = new WeakMap<FastifyRequest['raw'], RequestState>();
  const context: EmulatorContext = {
    data,
    application: { ...DEMO_APPLICATION },
    tokens: new TokenStore(tokenTtlSeconds),
    faults,
    requestLog,
    domain: '',
    currentCartItems: [],
  };

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // Kibo's paths are case-insensitive; route parameters keep the case they were sent in.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2000 },
    forceCloseConnections: true,
    // Fastify calls this before any hook, for a URL it cannot decode, so the request is logged here.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const kiboError = new KiboError(400, KiboErrorCode.invalidParameter, `Missing or invalid parameter: ${error.message}`);
      const correlationId = newCorrelationId();
      const rawPath = rawPathOf(request);
      if (!CONTROL_PATH.test(rawPath)) {
        requestLog.record({ method: request.method, path: rawPath, query: {}, status: 400 });
      }
      void reply
        .code(400)
        .header('x-vol-correlation', correlationId)
        .send(buildEnvelope(kiboError, request.url, correlationId));
    },
  });

  /** Adds the request to the log once: when its response is sent, or when its connection closes first. */
  function recordRequest(request: FastifyRequest, reply: FastifyReply, state: RequestState): void {
    if (state.control || state.recorded) {
      return;
    }
    state.recorded = true;
    const aborted = !reply.raw.writableFinished;
    const entry: RequestLogEntry = {
      method: request.method,
      path: state.rawPath,
      query: { ...(request.query as object) },
      status: reply.raw.headersSent ? reply.statusCode : 0,
    };
    if (request.method === 'POST' && state.rawPath.toLowerCase() !== TOKEN_PATH && request.body !== undefined) {
      entry.body = redactSecrets(request.body);
    }
    if (state.fault) {
      entry.faulted = true;
    }
    if (aborted) {
      entry.aborted = true;
    }
    requestLog.record(entry);
    const logged = { method: entry.method, path: entry.path, status: entry.status, aborted };
    logger.debug({ ...logged, correlationId: state.correlationId }, 'Served request');
  }

  app.addHook('onRequest', async (request, reply) => {
    const rawPath = rawPathOf(request);
    const state: RequestState = {
      correlationId: newCorrelationId(),
      rawPath,
      control: CONTROL_PATH.test(rawPath),
      fault: undefined,
      recorded: false,
    };
    states.set(request.raw, state);
    void reply.header('x-vol-correlation', state.correlationId);
    if (state.control) {
      return;
    }
    // 'close' also follows a finished response; recordRequest then finds the entry already made.
    reply.raw.once('close', () => recordRequest(request, reply, state));

    if (latencyMs > 0) {
      await sleep(latencyMs);
    }
    state.fault = faults.take(request.method, rawPath) ?? randomFaults?.next();
    if (!state.fault) {
      return;
    }
    logger.debug({ method: request.method, path: rawPath, fault: state.fault }, 'Applying fault rule');
    return applyFault(request, reply, state, () => {
      state.recorded = true;
      const query = { ...(request.query as object) };
      requestLog.record({ method: request.method, path: rawPath, query, status: 0, faulted: true });
    });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pauseMs = states.get(request.raw)?.fault?.bodyDelayMs ?? 0;
    if (pauseMs === 0) {
      return payload;
    }
    reply.removeHeader('content-length');
    return pausedBody(payload, pauseMs);
  });

  app.addHook('onResponse', async (request, reply) => {
    const state = states.get(request.raw);
    if (state) {
      recordRequest(request, reply, state);
    }
  });

  app.setErrorHandler((error: FastifyError | KiboError, request, reply) => {
    const state = states.get(request.raw);
    const correlationId = state?.correlationId ?? newCorrelationId();
    const kiboError = toKiboError(error, logger, request);
    return reply.code(kiboError.statusCode).send(buildEnvelope(kiboError, state?.rawPath ?? request.url, correlationId));
  });

  app.setNotFoundHandler((request, reply) => {
    const state = states.get(request.raw);
    const error = new KiboError(404, KiboErrorCode.routeNotFound, `No route matches ${request.method} ${state?.rawPath ?? request.url}.`);
    return reply.code(404).send(buildEnvelope(error, state?.rawPath ?? request.url, state?.correlationId ?? newCorrelationId()));
  });

  registerControlRoutes(app, context);
  registerAuthenticationRoutes(app, context);
  await app.register(async (scope) => {
    scope.addHook('onRequest', authenticate(context.tokens));
    registerTenantRoutes(scope, context);
    registerCatalogRoutes(scope, context);
    registerCommerceRoutes(scope, context);
    registerCartItemRoutes(scope, context);
    registerCustomerRoutes(scope, context);
    registerInventoryRoutes(scope, context);
  });

  const connections = trackConnections(app.server, {
    idleTimeoutMs: options.keepAliveTimeoutMs,
    announce: options.keepAliveHint,
  });
  await app.listen({ host, port: options.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  context.domain = `${formatHost(host)}:${port}`;
  const url = `http://${context.domain}`;
  logger.info({ url, tenantId: context.application.tenantId }, 'Kibo emulator started');

  return {
    url,
    port,
    data,
    application: { ...context.application },
    requests: () => requestLog.entries(),
    clearRequests: () => requestLog.clear(),
    setLatency: (milliseconds) => {
      latencyMs = checkNonNegative('latencyMs', milliseconds, 'milliseconds');
    },
    addFault: (rule) => faults.add(faultRuleSchema.parse(rule)),
    clearFaults: () => faults.clear(),
    randomFaults: () => randomFaults?.counts() ?? { requests: 0, http503: 0, http429: 0, reset: 0 },
    connectionCount: () => connections.accepted(),
    close: async () => {
      await app.close();
      logger.info({ url }, 'Kibo emulator stopped');
    },
  };
}
