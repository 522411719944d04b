import { z } from 'zod';

/**
 * Validated, frozen gateway configuration. It is read from the environment once at start; nothing else in
 * `src/` reads `process.env`.
 */
export interface GatewayConfig {
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Set by `npm run demo`: relaxes the checks that protect a production deployment. */
  demoMode: boolean;
  /** The credential built from the `KIBO_*` variables, or undefined when they are not set. */
  environmentCredential: EnvironmentCredential | undefined;
  kibo: KiboClientSettings;
  /** When false, every nested lookup makes its own upstream call; kept only to measure batching. */
  batching: boolean;
  /** GraphiQL playground at `GET /` and, for browsers, at `GET /graphql`. */
  playground: boolean;
  /** Introspection queries allowed, always while the playground is on because its docs and completion need them. */
  introspection: boolean;
  limits: RequestLimits;
  /**
   * Time limit of one GraphQL request in milliseconds. When it runs out, every upstream call of the request is
   * aborted and fails with KIBO_TIMEOUT.
   */
  requestTimeoutMs: number;
  /** How long a stopping gateway waits for in-flight requests before it closes their connections, in milliseconds. */
  shutdownGraceMs: number;
  access: AccessSettings;
  credentialStore: CredentialStoreSettings;
}

/** Tokens clients present as `Authorization: Bearer <token>`. */
export interface AccessSettings {
  /** Required for credential management; also accepted wherever the API token is. */
  adminToken: string | undefined;
  /** When set, commerce queries require it (or the admin token). */
  apiToken: string | undefined;
}

/** Location of the credential store and the encryption of its secrets. */
export interface CredentialStoreSettings {
  /** When false, only the environment credential exists and the credential API is off. */
  enabled: boolean;
  dataDir: string;
  /** Base64 of 32 bytes; when unset, a key file in `dataDir` is used. */
  encryptionKey: string | undefined;
  busyTimeoutMs: number;
}

/** Bounds on what one client request may ask of the gateway. */
export interface RequestLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  listSizeEstimate: number;
  /** Longest GraphQL document accepted, in characters. */
  maxQueryLength: number;
  /** Most lexical tokens the parser reads before it gives up. */
  maxTokens: number;
  /** Largest HTTP request body, in bytes. */
  maxBodyBytes: number;
  /** Accept a JSON array of operations in one HTTP request; off because each one multiplies upstream load. */
  allowBatchedRequests: boolean;
}

/** Kibo application credential and tenant context taken from the `KIBO_*` variables. */
export interface EnvironmentCredential {
  clientId: string;
  clientSecret: string;
  tenantId: number;
  siteId: number | undefined;
  masterCatalogId: number | undefined;
  catalogId: number | undefined;
  /** Origin of the tenant or site API host, without `/api`; undefined means it is looked up from the tenant. */
  apiHost: string | undefined;
  /** Origin of the host that issues tokens, without `/api`. */
  authHost: string;
}

/** Settings of the shared Kibo HTTP client. */
export interface KiboClientSettings {
  /** Renew a token this many seconds before Kibo's `expires_in` runs out. */
  tokenRefreshMarginSeconds: number;
  /** Limit on one upstream call, from sending the request to reading the whole body, in milliseconds. */
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  /** Upstream response bodies larger than this many bytes are rejected. */
  maxResponseBytes: number;
  /** How long the tenant lookup (API host, sites, catalogs) is cached, in seconds. */
  tenantCacheSeconds: number;
  /** Inventory-service item field that carries the product code. */
  inventoryItemKey: 'upc' | 'partNumber' | 'sku';
  /** Rows asked for per Inventory-service page. */
  inventoryPageSize: number;
  /** Most pages read for one inventory query before it fails as too large. */
  inventoryMaxPages: number;
  /** Use `field in [a,b]` in batched filters instead of `field eq a or field eq b`. */
  filterInLists: boolean;
  /** Maximum number of keys in one batched lookup; at most 200, Kibo's page size limit. */
  filterBatchSize: number;
  /** Largest URL-encoded length of one batched filter, which keeps upstream URLs within a few KB. */
  filterMaxLength: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Token host used when none is configured: Kibo's production home host. */
export const DEFAULT_AUTH_HOST = 'https://home.mozu.com';

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

const booleanText = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .refine((value) => TRUE_WORDS.includes(value) || FALSE_WORDS.includes(value), {
    error: 'must be true or false (1/0, yes/no and on/off are accepted too)',
  })
  .transform((value) => TRUE_WORDS.includes(value));

/** Whole numbers within bounds, with one plain message for every way a value can miss them. */
const integerText = (min: number, max: number, message = `must be a whole number from ${min} to ${max}`) =>
  z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });

const optionalId = integerText(1, Number.MAX_SAFE_INTEGER, 'must be a positive whole number').optional();

const oneOf = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, { error: `must be one of: ${values.join(', ')}` });

/** Origin of an absolute https URL (plain http only for loopback), with any trailing `/api` or `/` removed. */
export const hostUrl = z.string().transform((value, ctx) => {
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute https:// URL' });
    return z.NEVER;
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    ctx.addIssue({ code: 'custom', message: 'must use https:// (plain http:// is allowed only for loopback hosts)' });
    return z.NEVER;
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    ctx.addIssue({ code: 'custom', message: 'must not contain credentials, a query string or a fragment' });
    return z.NEVER;
  }
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api$/i, '');
  if (path !== '') {
    ctx.addIssue({ code: 'custom', message: 'must be a bare origin such as https://t12345-s23456.sandbox.mozu.com' });
    return z.NEVER;
  }
  return parsed.origin;
});

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

const environmentSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integerText(0, 65535).default(4000),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_DEMO: booleanText.default(false),
  GATEWAY_BATCHING: booleanText.default(true),
  // Their defaults depend on NODE_ENV, GATEWAY_DEMO and each other, so readPlaygroundSettings sets them.
  GATEWAY_PLAYGROUND: booleanText.optional(),
  GATEWAY_INTROSPECTION: booleanText.optional(),
  NODE_ENV: z.string().optional(),
  GATEWAY_ADMIN_TOKEN: z.string().optional(),
  GATEWAY_API_TOKEN: z.string().optional(),
  GATEWAY_CREDENTIAL_MANAGEMENT: booleanText.default(true),
  GATEWAY_DATA_DIR: z.string().min(1).default('./data'),
  GATEWAY_ENCRYPTION_KEY: z.string().optional(),
  GATEWAY_DB_BUSY_TIMEOUT_MS: integerText(0, 600_000).default(5_000),
  GATEWAY_MAX_DEPTH: integerText(1, 100).default(12),
  GATEWAY_MAX_ALIASES: integerText(0, 10_000).default(50),
  GATEWAY_MAX_COST: integerText(1, 100_000_000).default(100_000),
  GATEWAY_LIST_SIZE_ESTIMATE: integerText(1, 1_000).default(10),
  GATEWAY_MAX_QUERY_LENGTH: integerText(100, 10_000_000).default(100_000),
  GATEWAY_MAX_TOKENS: integerText(100, 1_000_000).default(10_000),
  GATEWAY_MAX_BODY_BYTES: integerText(1_024, 100 * 1024 * 1024).default(1024 * 1024),
  GATEWAY_BATCHED_REQUESTS: booleanText.default(false),
  GATEWAY_REQUEST_TIMEOUT_MS: integerText(100, 600_000).default(30_000),
  GATEWAY_SHUTDOWN_GRACE_MS: integerText(0, 600_000).default(10_000),
  KIBO_CLIENT_ID: z.string().trim().min(1).optional(),
  KIBO_CLIENT_SECRET: z.string().min(1).optional(),
  KIBO_TENANT_ID: optionalId,
  KIBO_SITE_ID: optionalId,
  KIBO_MASTER_CATALOG_ID: optionalId,
  KIBO_CATALOG_ID: optionalId,
  KIBO_API_HOST: hostUrl.optional(),
  KIBO_AUTH_HOST: hostUrl.default(DEFAULT_AUTH_HOST),
  KIBO_TOKEN_REFRESH_MARGIN_SECONDS: integerText(0, 3000).default(300),
  KIBO_REQUEST_TIMEOUT_MS: integerText(100, 300_000).default(15_000),
  KIBO_CONNECT_TIMEOUT_MS: integerText(100, 60_000).default(5_000),
  KIBO_MAX_RESPONSE_BYTES: integerText(1024, 512 * 1024 * 1024).default(32 * 1024 * 1024),
  KIBO_TENANT_CACHE_SECONDS: integerText(0, 86_400).default(3_600),
  KIBO_INVENTORY_ITEM_KEY: oneOf(['upc', 'partNumber', 'sku']).default('upc'),
  KIBO_INVENTORY_PAGE_SIZE: integerText(10, 10_000).default(1_000),
  KIBO_INVENTORY_MAX_PAGES: integerText(1, 1_000).default(20),
  KIBO_FILTER_IN_LISTS: booleanText.default(false),
  KIBO_FILTER_BATCH_SIZE: integerText(1, 200).default(200),
  KIBO_FILTER_MAX_LENGTH: integerText(256, 65_536).default(4_096),
});


/**
 * Validates the environment and returns the frozen configuration.
 * @throws ConfigError naming each invalid variable and what it must be; the message never echoes a secret.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(environmentSchema.shape)) {
    const value = environment[key];
    // An empty variable counts as unset, the way shells and container runtimes usually mean it.
    if (value !== undefined && value !== '') input[key] = value;
  }

  // Each variable is checked on its own and then across variables, so one start reports every problem.
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(environmentSchema.shape)) {
    const result = (schema as z.ZodType).safeParse(input[key]);
    if (result.success) values[key] = result.data;
    else problems.push(`${key}: ${result.error.issues[0]?.message ?? 'is invalid'}`);
  }
  const env = values as z.output<typeof environmentSchema>;
  problems.push(...accessProblems(env), ...environmentCredentialProblems(env));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);

  return Object.freeze({
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    demoMode: env.GATEWAY_DEMO,
    batching: env.GATEWAY_BATCHING,
    ...readPlaygroundSettings(env),
    environmentCredential: readEnvironmentCredential(env),
    access: Object.freeze({ adminToken: env.GATEWAY_ADMIN_TOKEN, apiToken: env.GATEWAY_API_TOKEN }),
    credentialStore: Object.freeze({
      enabled: env.GATEWAY_CREDENTIAL_MANAGEMENT,
      dataDir: env.GATEWAY_DATA_DIR,
      encryptionKey: env.GATEWAY_ENCRYPTION_KEY,
      busyTimeoutMs: env.GATEWAY_DB_BUSY_TIMEOUT_MS,
    }),
    limits: Object.freeze({
      maxDepth: env.GATEWAY_MAX_DEPTH,
      maxAliases: env.GATEWAY_MAX_ALIASES,
      maxCost: env.GATEWAY_MAX_COST,
      listSizeEstimate: env.GATEWAY_LIST_SIZE_ESTIMATE,
      maxQueryLength: env.GATEWAY_MAX_QUERY_LENGTH,
      maxTokens: env.GATEWAY_MAX_TOKENS,
      maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
      allowBatchedRequests: env.GATEWAY_BATCHED_REQUESTS,
    }),
    requestTimeoutMs: env.GATEWAY_REQUEST_TIMEOUT_MS,
    shutdownGraceMs: env.GATEWAY_SHUTDOWN_GRACE_MS,
    kibo: Object.freeze({
      tokenRefreshMarginSeconds: env.KIBO_TOKEN_REFRESH_MARGIN_SECONDS,
      requestTimeoutMs: env.KIBO_REQUEST_TIMEOUT_MS,
      connectTimeoutMs: env.KIBO_CONNECT_TIMEOUT_MS,
      maxResponseBytes: env.KIBO_MAX_RESPONSE_BYTES,
      tenantCacheSeconds: env.KIBO_TENANT_CACHE_SECONDS,
      inventoryItemKey: env.KIBO_INVENTORY_ITEM_KEY,
      inventoryPageSize: env.KIBO_INVENTORY_PAGE_SIZE,
      inventoryMaxPages: env.KIBO_INVENTORY_MAX_PAGES,
      filterInLists: env.KIBO_FILTER_IN_LISTS,
      filterBatchSize: env.KIBO_FILTER_BATCH_SIZE,
      filterMaxLength: env.KIBO_FILTER_MAX_LENGTH,
    }),
  });
}

/**
 * Decides whether the playground and introspection are on. The playground defaults to on, except with
 * NODE_ENV=production outside demo mode or when introspection is turned off explicitly. Introspection defaults
 * to the playground's value, and turning the playground on with introspection off is a configuration error.
 */
function readPlaygroundSettings(
  env: z.output<typeof environmentSchema>,
): Pick<GatewayConfig, 'playground' | 'introspection'> {
  const playground =
    env.GATEWAY_PLAYGROUND ??
    (env.GATEWAY_INTROSPECTION !== false && (env.GATEWAY_DEMO || env.NODE_ENV !== 'production'));
  const introspection = env.GATEWAY_INTROSPECTION ?? playground;
  if (playground && !introspection) {
    throw new ConfigError(
      'Invalid configuration:\n  GATEWAY_INTROSPECTION: must be true while GATEWAY_PLAYGROUND=true, because the ' +
        "playground's schema docs and autocompletion use introspection; set GATEWAY_PLAYGROUND=false to turn both off",
    );
  }
  return { playground, introspection };
}

/** Shortest admin or API token accepted outside demo mode. */
const MIN_TOKEN_LENGTH = 16;

/** Problems of the admin and API tokens; a value that failed its own check is skipped here. */
function accessProblems(env: z.output<typeof environmentSchema>): string[] {
  const problems: string[] = [];
  const tokens = { GATEWAY_ADMIN_TOKEN: env.GATEWAY_ADMIN_TOKEN, GATEWAY_API_TOKEN: env.GATEWAY_API_TOKEN };
  for (const [name, token] of Object.entries(tokens)) {
    if (token === undefined) continue;
    if (/[\s\p{Cc}]/u.test(token)) problems.push(`${name}: must not contain spaces or control characters`);
    else if (!env.GATEWAY_DEMO && token.length < MIN_TOKEN_LENGTH) {
      problems.push(`${name}: must be at least ${MIN_TOKEN_LENGTH} characters long`);
    }
  }
  if (env.GATEWAY_CREDENTIAL_MANAGEMENT && !env.GATEWAY_DEMO && env.GATEWAY_ADMIN_TOKEN === undefined) {
    problems.push(
      'GATEWAY_ADMIN_TOKEN: missing; credential management needs it (or set GATEWAY_CREDENTIAL_MANAGEMENT=false)',
    );
  }
  return problems;
}

const ENVIRONMENT_CREDENTIAL_VARIABLES = ['KIBO_CLIENT_ID', 'KIBO_CLIENT_SECRET', 'KIBO_TENANT_ID'] as const;

/**
 * Problems of the environment credential: its three variables go together, and without credential management
 * they are the only credential the gateway can have.
 */
function environmentCredentialProblems(env: z.output<typeof environmentSchema>): string[] {
  const missing = ENVIRONMENT_CREDENTIAL_VARIABLES.filter((name) => env[name] === undefined);
  if (missing.length === 0) return [];
  if (missing.length < ENVIRONMENT_CREDENTIAL_VARIABLES.length) {
    return [`${missing.join(', ')}: missing; KIBO_CLIENT_ID, KIBO_CLIENT_SECRET and KIBO_TENANT_ID must be set together`];
  }
  if (env.GATEWAY_CREDENTIAL_MANAGEMENT === false) {
    return [
      'KIBO_CLIENT_ID, KIBO_CLIENT_SECRET, KIBO_TENANT_ID: missing; with GATEWAY_CREDENTIAL_MANAGEMENT=false they ' +
        'are the only Kibo credential',
    ];
  }
  return [];
}

function readEnvironmentCredential(env: z.output<typeof environmentSchema>): EnvironmentCredential | undefined {
  if (env.KIBO_CLIENT_ID === undefined) return undefined;
  return Object.freeze({
    clientId: env.KIBO_CLIENT_ID!,
    clientSecret: env.KIBO_CLIENT_SECRET!,
    tenantId: env.KIBO_TENANT_ID!,
    siteId: env.KIBO_SITE_ID,
    masterCatalogId: env.KIBO_MASTER_CATALOG_ID,
    catalogId: env.KIBO_CATALOG_ID,
    apiHost: env.KIBO_API_HOST,
    authHost: env.KIBO_AUTH_HOST,
  });
}
