import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const BASE = { GATEWAY_ADMIN_TOKEN: 'admin-token-0123456789abcdef' };

function settings(environment: Record<string, string>) {
  const config = loadConfig({ ...BASE, ...environment });
  return { playground: config.playground, introspection: config.introspection };
}

describe('playground and introspection settings', () => {
  it.each<{ environment: Record<string, string>; playground: boolean; introspection: boolean }>([
    { environment: {}, playground: true, introspection: true },
    { environment: { NODE_ENV: 'development' }, playground: true, introspection: true },
    { environment: { NODE_ENV: 'production' }, playground: false, introspection: false },
    { environment: { NODE_ENV: 'production', GATEWAY_DEMO: 'true' }, playground: true, introspection: true },
    { environment: { NODE_ENV: 'production', GATEWAY_PLAYGROUND: 'true' }, playground: true, introspection: true },
    { environment: { NODE_ENV: 'production', GATEWAY_INTROSPECTION: 'true' }, playground: false, introspection: true },
    { environment: { GATEWAY_PLAYGROUND: 'false' }, playground: false, introspection: false },
    {
      environment: { GATEWAY_PLAYGROUND: 'false', GATEWAY_INTROSPECTION: 'true' },
      playground: false,
      introspection: true,
    },
    { environment: { GATEWAY_INTROSPECTION: 'false' }, playground: false, introspection: false },
    { environment: { GATEWAY_DEMO: 'true', GATEWAY_INTROSPECTION: 'false' }, playground: false, introspection: false },
    { environment: { GATEWAY_PLAYGROUND: '' }, playground: true, introspection: true },
  ])('$environment gives playground $playground', ({ environment, playground, introspection }) => {
    expect(settings(environment)).toEqual({ playground, introspection });
  });

  it('rejects playground on with introspection off', () => {
    expect(() => settings({ GATEWAY_PLAYGROUND: 'true', GATEWAY_INTROSPECTION: 'false' })).toThrow(ConfigError);
    expect(() => settings({ GATEWAY_PLAYGROUND: 'true', GATEWAY_INTROSPECTION: 'false' })).toThrow(
      /GATEWAY_INTROSPECTION: must be true while GATEWAY_PLAYGROUND=true.*set GATEWAY_PLAYGROUND=false/,
    );
  });

  it('rejects a value that is not a boolean', () => {
    expect(() => settings({ GATEWAY_PLAYGROUND: 'maybe' })).toThrow(/GATEWAY_PLAYGROUND/);
    expect(() => settings({ GATEWAY_INTROSPECTION: 'enabled' })).toThrow(/GATEWAY_INTROSPECTION/);
  });

  it('ignores process.env when given an environment', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(settings({})).toEqual({ playground: true, introspection: true });
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previous;
    }
  });
});
