import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const BASE = { GATEWAY_ADMIN_TOKEN: 'admin-token-0123456789abcdef' };

function configError(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig(BASE);
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.kibo.inventoryItemKey).toBe('upc');
    expect(config.environmentCredential).toBeUndefined();
    expect(config.requestTimeoutMs).toBe(30_000);
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the environment credential', () => {
    const config = loadConfig({
      ...BASE,
      KIBO_CLIENT_ID: 'tenant.app.1.0.0.Release',
      KIBO_CLIENT_SECRET: 'secret-value',
      KIBO_TENANT_ID: '12345',
      KIBO_API_HOST: 'https://t12345-s23456.sandbox.mozu.com/api/',
    });
    expect(config.environmentCredential).toMatchObject({
      tenantId: 12345,
      apiHost: 'https://t12345-s23456.sandbox.mozu.com',
      authHost: 'https://home.mozu.com',
    });
  });

  it('names a partial environment credential', () => {
    expect(configError({ ...BASE, KIBO_CLIENT_ID: 'app' })).toMatch(/KIBO_CLIENT_SECRET, KIBO_TENANT_ID: missing/);
  });

  it.each([
    ['PORT', '70000'],
    ['KIBO_TENANT_ID', 'abc'],
    ['KIBO_AUTH_HOST', 'http://kibo.example.com'],
    ['KIBO_API_HOST', 'https://t1.sandbox.mozu.com/other/path'],
    ['LOG_LEVEL', 'loud'],
    ['KIBO_INVENTORY_ITEM_KEY', 'productCode'],
    ['GATEWAY_REQUEST_TIMEOUT_MS', '50'],
    ['GATEWAY_REQUEST_TIMEOUT_MS', 'soon'],
    ['GATEWAY_SHUTDOWN_GRACE_MS', '-1'],
  ])('names the invalid variable %s', (name, value) => {
    expect(configError({ ...BASE, [name]: value })).toContain(name);
  });

  it('never echoes a secret in its message', () => {
    const message = configError({ ...BASE, KIBO_CLIENT_SECRET: 'very-secret-value', KIBO_TENANT_ID: 'x' });
    expect(message).not.toContain('very-secret-value');
  });

  it('requires an admin token for credential management outside demo mode', () => {
    expect(configError({})).toMatch(/GATEWAY_ADMIN_TOKEN: missing/);
    const environmentOnly = {
      GATEWAY_CREDENTIAL_MANAGEMENT: 'false',
      KIBO_CLIENT_ID: 'tenant.app.1.0.0.Release',
      KIBO_CLIENT_SECRET: 'secret-value',
      KIBO_TENANT_ID: '12345',
    };
    expect(loadConfig(environmentOnly).credentialStore.enabled).toBe(false);
    expect(loadConfig({ GATEWAY_DEMO: 'true' }).access.adminToken).toBeUndefined();
  });

  it('requires a credential when management is off', () => {
    expect(configError({ GATEWAY_CREDENTIAL_MANAGEMENT: 'false' })).toMatch(/KIBO_TENANT_ID: missing; with GATEWAY_CREDENTIAL_MANAGEMENT=false/);
  });

  it('reports every problem at once', () => {
    const message = configError({ KIBO_TENANT_ID: 'abc', PORT: '99999', GATEWAY_BATCHING: 'maybe' });
    expect(message).toContain('KIBO_TENANT_ID: must be a positive whole number');
    expect(message).toContain('PORT: must be a whole number from 0 to 65535');
    expect(message).toContain('GATEWAY_BATCHING: must be true or false');
    expect(message).toContain('GATEWAY_ADMIN_TOKEN: missing');
  });

  it('reads booleans in any case', () => {
    expect(loadConfig({ ...BASE, GATEWAY_BATCHING: 'FALSE' }).batching).toBe(false);
    expect(loadConfig({ ...BASE, GATEWAY_BATCHING: 'Yes' }).batching).toBe(true);
  });

  it('rejects a short admin token outside demo mode', () => {
    expect(configError({ GATEWAY_ADMIN_TOKEN: 'short' })).toMatch(/at least 16 characters/);
    expect(loadConfig({ GATEWAY_DEMO: 'true', GATEWAY_ADMIN_TOKEN: 'bar-admin' }).access.adminToken).toBe('bar-admin');
  });

  it('allows plain http only for loopback hosts', () => {
    expect(loadConfig({ ...BASE, KIBO_AUTH_HOST: 'http://127.0.0.1:4010' }).kibo).toBeDefined();
    expect(configError({ ...BASE, KIBO_AUTH_HOST: 'http://10.0.0.5:4010' })).toContain('KIBO_AUTH_HOST');
  });
});
