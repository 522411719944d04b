import { describe, expect, it } from 'vitest';

import {
  validateCreateInput,
  validateSecret,
  validateUpdateInput,
} from '../../../src/credentials/validation.js';
import { BadUserInputError } from '../../../src/errors.js';
import { SAMPLE_SECRET, sampleInput } from './helpers.js';

/** Runs `action`, expects a BadUserInputError on `field`, and returns its message. */
function rejection(action: () => unknown, field: string | undefined): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    const gatewayError = error as BadUserInputError;
    expect(gatewayError.extensions.code).toBe('BAD_USER_INPUT');
    expect(gatewayError.extensions.field).toBe(field);
    return gatewayError.message;
  }
  throw new Error('Expected a BadUserInputError, but the input was accepted.');
}

/** Asserts that a message contains neither the secret nor its first or last 8 characters. */
function expectNoSecret(message: string, secret: string): void {
  expect(message).not.toContain(secret);
  expect(message).not.toContain(secret.trim());
  expect(message).not.toContain(secret.trim().slice(0, 8));
  expect(message).not.toContain(secret.trim().slice(-8));
}

describe('validateCreateInput', () => {
  it('accepts valid input with defaults', () => {
    const valid = validateCreateInput({ name: 'Prod', clientId: 'app', clientSecret: SAMPLE_SECRET, tenantId: 7 });

    expect(valid).toMatchObject({
      name: 'Prod',
      description: '',
      clientId: 'app',
      clientSecret: SAMPLE_SECRET,
      tenantId: 7,
      authHost: 'https://home.mozu.com',
      isDefault: false,
    });
    expect(valid.siteId).toBeUndefined();
    expect(valid.apiHost).toBeUndefined();
  });

  it('normalizes ids, hosts and nulls', () => {
    const valid = validateCreateInput(
      sampleInput({
        tenantId: '42',
        siteId: null,
        catalogId: 3,
        apiHost: 'https://t42.sandbox.mozu.com/api/',
        authHost: 'http://127.0.0.1:8080',
        description: null,
        isDefault: true,
      }),
    );

    expect(valid.tenantId).toBe(42);
    expect(valid.siteId).toBeUndefined();
    expect(valid.catalogId).toBe(3);
    expect(valid.apiHost).toBe('https://t42.sandbox.mozu.com');
    expect(valid.authHost).toBe('http://127.0.0.1:8080');
    expect(valid.description).toBe('');
    expect(valid.isDefault).toBe(true);
  });

  it('allows line breaks in description', () => {
    expect(validateCreateInput(sampleInput({ description: 'first line\n\tsecond line' })).description).toBe(
      'first line\n\tsecond line',
    );
  });

  it('accepts limits exactly', () => {
    const valid = validateCreateInput(
      sampleInput({
        name: 'n'.repeat(100),
        description: 'd'.repeat(500),
        clientId: 'c'.repeat(200),
        clientSecret: 's'.repeat(500),
      }),
    );

    expect(valid.name).toHaveLength(100);
  });

  const cases: { case: string; input: Record<string, unknown>; field: string; message: RegExp }[] = [
    { case: 'missing name', input: { name: undefined }, field: 'name', message: /^name is required\.$/ },
    { case: 'empty name', input: { name: '' }, field: 'name', message: /must not be empty/ },
    { case: 'long name', input: { name: 'n'.repeat(101) }, field: 'name', message: /at most 100 characters/ },
    { case: 'name with line break', input: { name: 'a\nb' }, field: 'name', message: /control characters/ },
    { case: 'name with tab', input: { name: 'a\tb' }, field: 'name', message: /control characters/ },
    { case: 'name with bidi override', input: { name: 'a\u202Eb' }, field: 'name', message: /control/ },
    { case: 'name with spaces', input: { name: ' Prod ' }, field: 'name', message: /whitespace/ },
    { case: 'reserved name', input: { name: 'Environment' }, field: 'name', message: /reserved/ },
    {
      case: 'name shaped like id',
      input: { name: '6f1f7f3e-8f7a-4c55-9a57-3c1a0a0d7b11' },
      field: 'name',
      message: /form of a credential id/,
    },
    { case: 'name not text', input: { name: 5 }, field: 'name', message: /must be a string/ },
    {
      case: 'long description',
      input: { description: 'd'.repeat(501) },
      field: 'description',
      message: /at most 500 characters/,
    },
    { case: 'description with bell', input: { description: 'a\u0007' }, field: 'description', message: /control/ },
    { case: 'missing client id', input: { clientId: undefined }, field: 'clientId', message: /required/ },
    { case: 'client id with space', input: { clientId: 'app ' }, field: 'clientId', message: /whitespace/ },
    { case: 'client id with NUL', input: { clientId: 'a\u0000b' }, field: 'clientId', message: /control/ },
    { case: 'long client id', input: { clientId: 'c'.repeat(201) }, field: 'clientId', message: /at most 200/ },
    { case: 'missing tenant', input: { tenantId: undefined }, field: 'tenantId', message: /required/ },
    { case: 'zero tenant', input: { tenantId: 0 }, field: 'tenantId', message: /positive integer/ },
    { case: 'negative tenant', input: { tenantId: -4 }, field: 'tenantId', message: /positive integer/ },
    { case: 'fractional tenant', input: { tenantId: 1.5 }, field: 'tenantId', message: /positive integer/ },
    { case: 'tenant text', input: { tenantId: '12a' }, field: 'tenantId', message: /positive integer/ },
    { case: 'tenant with zeros', input: { tenantId: '007' }, field: 'tenantId', message: /positive integer/ },
    { case: 'huge tenant', input: { tenantId: 2 ** 60 }, field: 'tenantId', message: /positive integer/ },
    { case: 'zero site', input: { siteId: 0 }, field: 'siteId', message: /positive integer/ },
    { case: 'site boolean', input: { siteId: true }, field: 'siteId', message: /positive integer/ },
    { case: 'catalog zero', input: { catalogId: 0 }, field: 'catalogId', message: /positive integer/ },
    {
      case: 'plain http host',
      input: { apiHost: 'http://t1.sandbox.mozu.com' },
      field: 'apiHost',
      message: /must use https/,
    },
    { case: 'relative host', input: { apiHost: 't1.mozu.com' }, field: 'apiHost', message: /absolute https/ },
    {
      case: 'host with path',
      input: { authHost: 'https://home.mozu.com/oauth' },
      field: 'authHost',
      message: /bare origin/,
    },
    {
      case: 'host with user info',
      input: { authHost: 'https://user:pass@home.mozu.com' },
      field: 'authHost',
      message: /must not contain credentials/,
    },
    { case: 'host not text', input: { apiHost: 3 }, field: 'apiHost', message: /must be a string/ },
    { case: 'default not boolean', input: { isDefault: 'yes' }, field: 'isDefault', message: /true or false/ },
    { case: 'unknown field', input: { password: 'x' }, field: 'password', message: /Unknown credential field/ },
  ];

  for (const entry of cases) {
    it(`rejects ${entry.case}`, () => {
      const message = rejection(() => validateCreateInput({ ...sampleInput(), ...entry.input }), entry.field);

      expect(message).toMatch(entry.message);
      expectNoSecret(message, SAMPLE_SECRET);
    });
  }

  it('rejects non-object input', () => {
    expect(rejection(() => validateCreateInput('text'), undefined)).toMatch(/must be an object/);
    expect(rejection(() => validateCreateInput(null), undefined)).toMatch(/must be an object/);
  });
});

describe('secret validation', () => {
  const secretCases: { case: string; secret: unknown; message: RegExp }[] = [
    { case: 'missing', secret: undefined, message: /^clientSecret is required\.$/ },
    { case: 'empty', secret: '', message: /must not be empty/ },
    { case: 'leading space', secret: ` ${SAMPLE_SECRET}`, message: /whitespace/ },
    { case: 'trailing newline', secret: `${SAMPLE_SECRET}\n`, message: /line breaks/ },
    { case: 'inner carriage return', secret: `${SAMPLE_SECRET}\r${SAMPLE_SECRET}`, message: /line breaks/ },
    { case: 'escape character', secret: `${SAMPLE_SECRET}\u001b[0m`, message: /control characters/ },
    { case: 'too long', secret: SAMPLE_SECRET.repeat(20), message: /at most 500 characters/ },
    { case: 'number', secret: 123456789, message: /must be a string/ },
  ];

  for (const entry of secretCases) {
    it(`rejects ${entry.case} secret on create`, () => {
      const message = rejection(
        () => validateCreateInput({ ...sampleInput(), clientSecret: entry.secret }),
        'clientSecret',
      );

      expect(message).toMatch(entry.message);
      if (typeof entry.secret === 'string' && entry.secret !== '') expectNoSecret(message, entry.secret);
    });

    it(`rejects ${entry.case} secret on rotation`, () => {
      const message = rejection(() => validateSecret(entry.secret), 'clientSecret');

      expect(message).toMatch(entry.message);
      if (typeof entry.secret === 'string' && entry.secret !== '') expectNoSecret(message, entry.secret);
    });
  }
});

describe('validateUpdateInput', () => {
  it('keeps only present fields', () => {
    expect(validateUpdateInput({ description: 'new', siteId: undefined })).toEqual({ description: 'new' });
  });

  it('clears optional fields with null', () => {
    const changes = validateUpdateInput({ siteId: null, apiHost: null, description: null, authHost: null });

    expect(changes).toEqual({ siteId: undefined, apiHost: undefined, description: '', authHost: 'https://home.mozu.com' });
    expect(Object.hasOwn(changes, 'siteId')).toBe(true);
    expect(Object.hasOwn(changes, 'apiHost')).toBe(true);
  });

  for (const field of ['name', 'clientId', 'clientSecret', 'tenantId']) {
    it(`rejects null ${field}`, () => {
      expect(rejection(() => validateUpdateInput({ [field]: null }), field)).toMatch(/cannot be null/);
    });
  }

  it('validates present fields', () => {
    const message = rejection(() => validateUpdateInput({ clientSecret: `${SAMPLE_SECRET} ` }), 'clientSecret');

    expect(message).toMatch(/whitespace/);
    expectNoSecret(message, SAMPLE_SECRET);
  });

  it('rejects unknown and reserved', () => {
    rejection(() => validateUpdateInput({ isDefault: true }), 'isDefault');
    rejection(() => validateUpdateInput({ name: 'ENVIRONMENT' }), 'name');
  });
});
