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
import { buildEnvelope, errorCodeForStatus, KiboError, KiboErrorCode } from './envelope.js';
import { FaultStore, faultRuleSchema, type FaultRule, type FaultRuleInput } from './faults.js';
import { redactSecrets, RequestLog, type RequestLogEntry } from './request-log.js';
import { registerAuthenticationRoutes, TOKEN_PATH } from './routes/authentication.js';
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
  close(): Promise<void>;
}

/** State of one request, kept beside fastify's request object rather than added to its type. */
interface RequestState {
  correlationId: string;
  rawPath: string;
  control: boolean;
  faulted: boolean;
  /** True once the request log has an entry for this request. */
  recorded: boolean;
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
  const requestLog = new RequestLog(options.requestLogLimit ?? 10_000);
  const states = new WeakMap<FastifyRequest['raw'], RequestState>();
  const context: EmulatorContext = {
    data,
    application: { ...DEMO_APPLICATION },
    tokens: new TokenStore(tokenTtlSeconds),
    faults,
    requestLog,
    domain: '',
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

  function sendFault(reply: FastifyReply, fault: FaultRule, state: RequestState): FastifyReply {
    const status = fault.status ?? 500;
    if (fault.retryAfter !== undefined) {
      void reply.header('retry-after', fault.retryAfter);
    }
    reply.code(status);
    if (fault.body !== undefined) {
      return reply.type(fault.contentType ?? 'application/json').send(fault.body);
    }
    // Kibo's API best-practices page shows its 429 with an empty body, so only other statuses get the envelope.
    if (status === 429) {
      return reply.send();
    }
    const error = new KiboError(status, errorCodeForStatus(status), `Injected fault: HTTP ${status}.`);
    return reply.send(buildEnvelope(error, state.rawPath, state.correlationId));
  }

  app.addHook('onRequest', async (request, reply) => {
    const rawPath = rawPathOf(request);
    const state: RequestState = {
      correlationId: newCorrelationId(),
      rawPath,
      control: CONTROL_PATH.test(rawPath),
      faulted: false,
      recorded: false,
    };
    states.set(request.raw, state);
    void reply.header('x-vol-correlation', state.correlationId);
    if (state.control) {
      return;
    }

    if (latencyMs > 0) {
      await sleep(latencyMs);
    }
    const fault = faults.take(request.method, rawPath);
    if (!fault) {
      return;
    }
    state.faulted = true;
    logger.debug({ method: request.method, path: rawPath, fault }, 'Applying fault rule');
    if (fault.delayMs > 0) {
      await sleep(fault.delayMs);
    }
    if (fault.reset) {
      state.recorded = true;
      requestLog.record({ method: request.method, path: rawPath, query: { ...(request.query as object) }, status: 0, faulted: true });
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (fault.status !== undefined) {
      return sendFault(reply, fault, state);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const state = states.get(request.raw);
    if (!state || state.control || state.recorded) {
      return;
    }
    state.recorded = true;
    const entry: RequestLogEntry = {
      method: request.method,
      path: state.rawPath,
      query: { ...(request.query as object) },
      status: reply.statusCode,
    };
    if (request.method === 'POST' && state.rawPath.toLowerCase() !== TOKEN_PATH && request.body !== undefined) {
      entry.body = redactSecrets(request.body);
    }
    if (state.faulted) {
      entry.faulted = true;
    }
    requestLog.record(entry);
    logger.debug({ method: entry.method, path: entry.path, status: entry.status, correlationId: state.correlationId }, 'Served request');
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
    registerCustomerRoutes(scope, context);
    registerInventoryRoutes(scope, context);
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
    close: async () => {
      await app.close();
      logger.info({ url }, 'Kibo emulator stopped');
    },
  };
}
