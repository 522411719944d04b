import { z } from 'zod';

import { hostUrl } from '../config.js';
import { BadUserInputError } from '../errors.js';
import { type CredentialSettings, DEFAULT_AUTH_HOST, ENVIRONMENT_CREDENTIAL_ID } from './types.js';

/** Length limits of credential fields, in Unicode code points. */
export const CREDENTIAL_LIMITS = {
  name: 100,
  description: 500,
  clientId: 200,
  clientSecret: 500,
  host: 2_048,
} as const;

/** Input of `CredentialService.create`; `null` counts as absent, so GraphQL input objects can be passed as is. */
export interface CreateCredentialInput {
  name: string;
  description?: string | null | undefined;
  clientId: string;
  clientSecret: string;
  /** Positive integer, or its decimal text. */
  tenantId: number | string;
  siteId?: number | string | null | undefined;
  masterCatalogId?: number | string | null | undefined;
  catalogId?: number | string | null | undefined;
  apiHost?: string | null | undefined;
  /** Defaults to `https://home.mozu.com`. */
  authHost?: string | null | undefined;
  /** Makes the new credential the default in the same transaction. */
  isDefault?: boolean | null | undefined;
}

/**
 * Input of `CredentialService.update`. An absent field keeps its value. `null` clears the optional fields,
 * empties the description and resets `authHost` to `https://home.mozu.com`; it is rejected for the other fields.
 */
export interface UpdateCredentialInput {
  name?: string | null | undefined;
  description?: string | null | undefined;
  clientId?: string | null | undefined;
  /** Required together with a changed `clientId`. */
  clientSecret?: string | null | undefined;
  tenantId?: number | string | null | undefined;
  siteId?: number | string | null | undefined;
  masterCatalogId?: number | string | null | undefined;
  catalogId?: number | string | null | undefined;
  apiHost?: string | null | undefined;
  authHost?: string | null | undefined;
}

/** Validated create input with defaults applied. */
export interface ValidCreateInput extends CredentialSettings {
  name: string;
  description: string;
  clientSecret: string;
  isDefault: boolean;
}

/** Validated update input: a present key is a change, and `undefined` as its value clears the column. */
export type ValidUpdateInput = Partial<Omit<ValidCreateInput, 'isDefault'>>;

// Control characters (C0, DEL, C1), the Unicode line and paragraph separators, and the bidirectional
// overrides and isolates, which can make a name display differently from how it compares.
const FORBIDDEN_CHARACTERS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const UUID_FORM = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const codePoints = (value: string) => Array.from(value).length;

const typeMessage = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${expected}`;

/** Messages are predicates: the field name is put in front of them when the error is built. */
function singleLineText(maxLength: number) {
  return z
    .string({ error: typeMessage('a string') })
    .refine((value) => value.length > 0, { error: 'must not be empty', abort: true })
    .refine((value) => codePoints(value) <= maxLength, {
      error: `must be at most ${maxLength} characters long`,
      abort: true,
    })
    .refine((value) => !FORBIDDEN_CHARACTERS.test(value), {
      error: 'must not contain control characters or line breaks',
      abort: true,
    })
    .refine((value) => value.trim() === value, { error: 'must not start or end with whitespace' });
}

const nameSchema = singleLineText(CREDENTIAL_LIMITS.name)
  .refine((value) => value.toLowerCase() !== ENVIRONMENT_CREDENTIAL_ID, {
    error: `must not be "${ENVIRONMENT_CREDENTIAL_ID}", which is reserved for the credential from the KIBO_* variables`,
  })
  .refine((value) => !UUID_FORM.test(value), {
    error: 'must not have the form of a credential id (a UUID), so that ids and names never clash',
  });

const descriptionSchema = z
  .string({ error: typeMessage('a string') })
  .refine((value) => codePoints(value) <= CREDENTIAL_LIMITS.description, {
    error: `must be at most ${CREDENTIAL_LIMITS.description} characters long`,
    abort: true,
  })
  // A description may span lines, so line feeds and tabs are the exception.
  .refine((value) => !FORBIDDEN_CHARACTERS.test(value.replace(/[\n\t]/g, '')), {
    error: 'must not contain control characters other than line feeds and tabs',
  });

const clientIdSchema = singleLineText(CREDENTIAL_LIMITS.clientId);

const clientSecretSchema = singleLineText(CREDENTIAL_LIMITS.clientSecret);

const positiveIdSchema = z
  .union([z.number(), z.string()], { error: typeMessage('a positive integer') })
  .transform((value, context) => {
    const number = typeof value === 'number' ? value : /^[1-9][0-9]*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < 1) {
      context.addIssue({ code: 'custom', message: 'must be a positive integer' });
      return z.NEVER;
    }
    return number;
  });

const hostSchema = z
  .string({ error: typeMessage('a string') })
  .max(CREDENTIAL_LIMITS.host, { error: `must be at most ${CREDENTIAL_LIMITS.host} characters long`, abort: true })
  .pipe(hostUrl);

const nullToUndefined = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => (value === null ? undefined : value));

const createSchema = z.strictObject({
  name: nameSchema,
  description: nullToUndefined(descriptionSchema).transform((value) => value ?? ''),
  clientId: clientIdSchema,
  clientSecret: clientSecretSchema,
  tenantId: positiveIdSchema,
  siteId: nullToUndefined(positiveIdSchema),
  masterCatalogId: nullToUndefined(positiveIdSchema),
  catalogId: nullToUndefined(positiveIdSchema),
  apiHost: nullToUndefined(hostSchema),
  authHost: nullToUndefined(hostSchema).transform((value) => value ?? DEFAULT_AUTH_HOST),
  isDefault: nullToUndefined(z.boolean({ error: 'must be true or false' })).transform((value) => value ?? false),
});

const updateSchema = z.strictObject({
  name: nameSchema.optional(),
  description: descriptionSchema.optional(),
  clientId: clientIdSchema.optional(),
  clientSecret: clientSecretSchema.optional(),
  tenantId: positiveIdSchema.optional(),
  siteId: positiveIdSchema.optional(),
  masterCatalogId: positiveIdSchema.optional(),
  catalogId: positiveIdSchema.optional(),
  apiHost: hostSchema.optional(),
  authHost: hostSchema.optional(),
});

/** Value that `null` sets for each update field that accepts it; the other fields reject `null`. */
const NULL_IN_UPDATE: Partial<Record<keyof UpdateCredentialInput, string | undefined>> = {
  description: '',
  siteId: undefined,
  masterCatalogId: undefined,
  catalogId: undefined,
  apiHost: undefined,
  authHost: DEFAULT_AUTH_HOST,
};

/**
 * Validates the input of a new credential and applies defaults.
 * @throws BadUserInputError naming the first invalid field; the message never contains the submitted value.
 */
export function validateCreateInput(input: unknown): ValidCreateInput {
  return parse(createSchema, input);
}

/**
 * Validates a partial update. The result contains only the fields present in the input.
 * @throws BadUserInputError naming the first invalid field; the message never contains the submitted value.
 */
export function validateUpdateInput(input: unknown): ValidUpdateInput {
  if (!isPlainObject(input)) throw new BadUserInputError('The credential input must be an object.');

  const withoutNulls: Record<string, unknown> = {};
  const cleared: ValidUpdateInput = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (value !== null) {
      withoutNulls[field] = value;
    } else if (Object.hasOwn(NULL_IN_UPDATE, field)) {
      Object.assign(cleared, { [field]: NULL_IN_UPDATE[field as keyof UpdateCredentialInput] });
    } else if (Object.hasOwn(updateSchema.shape, field)) {
      throw new BadUserInputError(`${field} cannot be null; omit it to keep the current value.`, field);
    } else {
      withoutNulls[field] = value;
    }
  }

  const parsed = parse(updateSchema, withoutNulls);
  const changes: ValidUpdateInput = { ...cleared };
  for (const [field, value] of Object.entries(parsed)) {
    if (value !== undefined) Object.assign(changes, { [field]: value });
  }
  return changes;
}

/**
 * Validates a client secret.
 * @throws BadUserInputError on `field`; the message never contains the secret.
 */
export function validateSecret(secret: unknown, field = 'clientSecret'): string {
  const result = clientSecretSchema.safeParse(secret, { error: fallbackMessage });
  if (!result.success) throw toBadUserInputError(result.error, field);
  return result.data;
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  if (!isPlainObject(input)) throw new BadUserInputError('The credential input must be an object.');
  const result = schema.safeParse(input, { error: fallbackMessage });
  if (!result.success) throw toBadUserInputError(result.error);
  return result.data;
}

/**
 * Message for the issues that have no message of their own. zod's default messages would be safe today, but a
 * message written here can never echo the input, whatever zod does in later releases.
 */
function fallbackMessage(issue: z.core.$ZodRawIssue): string {
  if (issue.code === 'invalid_type') return `has the wrong type (expected ${String(issue.expected)})`;
  return 'is invalid';
}

function toBadUserInputError(error: z.ZodError, fieldOverride?: string): BadUserInputError {
  const issue = error.issues[0];
  if (issue === undefined) return new BadUserInputError('The credential input is invalid.', fieldOverride);

  if (issue.code === 'unrecognized_keys') {
    const key = (issue.keys[0] ?? '').slice(0, 64);
    return new BadUserInputError(`Unknown credential field ${JSON.stringify(key)}.`, key);
  }

  const field = fieldOverride ?? (issue.path.length > 0 ? issue.path.map(String).join('.') : undefined);
  const subject = field ?? 'The credential input';
  return new BadUserInputError(`${subject} ${issue.message}.`, field);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
