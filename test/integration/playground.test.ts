import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { ASSET_PATH_PREFIX, loadPlaygroundAssets } from '../../src/playground/assets.js';
import { startStack, type TestStack } from './harness.js';

/** What Chromium sends when it navigates to a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

const INTROSPECTION = '{ __schema { queryType { name } } }';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await request(url, { headers });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

/** Returns every `src` and `href` attribute value of an HTML document. */
function resourceReferences(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*"([^"]*)"/gi)].map((match) => match[1]!);
}

async function expectIntrospection(stack: TestStack, allowed: boolean): Promise<void> {
  const response = await stack.graphql<{ __schema: { queryType: { name: string } } }>(INTROSPECTION);
  if (allowed) {
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.queryType.name).toBe('Query');
  } else {
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/introspection/i);
  }
}

function cspDirectives(header: unknown): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of String(header).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name, sources);
  }
  return directives;
}

describe('playground on', () => {
  let stack: TestStack;
  let pageUrl: string;
  let page: Awaited<ReturnType<typeof get>>;

  beforeAll(async () => {
    stack = await startStack();
    pageUrl = stack.graphqlUrl;
    page = await get(pageUrl, { accept: BROWSER_ACCEPT });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('serves the page to browsers at /graphql', () => {
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div id="graphiql">');
    expect(page.body).toContain('id="playground-settings"');
  });

  it('sends a restrictive Content-Security-Policy', () => {
    const csp = cspDirectives(page.headers['content-security-policy']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'", expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}=='$/)]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('font-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(String(page.headers['content-security-policy'])).not.toContain('unsafe');
  });

  it('sends nosniff, no-referrer and no-store', () => {
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('uses a new nonce for every response', async () => {
    const again = await get(pageUrl, { accept: BROWSER_ACCEPT });
    const nonce = (response: typeof page) =>
      /'nonce-([^']+)'/.exec(String(response.headers['content-security-policy']))?.[1];
    expect(nonce(again)).toBeDefined();
    expect(nonce(again)).not.toBe(nonce(page));
    expect(again.body).toContain(`nonce="${nonce(again)}"`);
  });

  it('references no other origin', () => {
    const references = resourceReferences(page.body);
    expect(references.length).toBeGreaterThanOrEqual(6);
    for (const reference of references) {
      const resolved = new URL(reference, pageUrl);
      if (resolved.protocol === 'data:') continue;
      expect(resolved.origin, reference).toBe(new URL(pageUrl).origin);
    }
  });

  it('serves every referenced script and stylesheet', async () => {
    const references = resourceReferences(page.body).filter((reference) => !reference.startsWith('data:'));
    expect(references.filter((reference) => reference.endsWith('.js'))).toHaveLength(4);
    expect(references.filter((reference) => reference.endsWith('.css'))).toHaveLength(2);
    for (const reference of references) {
      const asset = await get(new URL(reference, pageUrl).href);
      expect(asset.status, reference).toBe(200);
      const expectedType = reference.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8';
      expect(asset.headers['content-type'], reference).toBe(expectedType);
      expect(asset.headers['cache-control'], reference).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['x-content-type-options'], reference).toBe('nosniff');
      expect(asset.body, reference).not.toMatch(/sourceMappingURL/);
    }
  });

  it('serves stylesheets without outside URLs', async () => {
    const stylesheets = resourceReferences(page.body).filter((reference) => reference.endsWith('.css'));
    for (const reference of stylesheets) {
      const css = (await get(new URL(reference, pageUrl).href)).body;
      expect(css, reference).not.toMatch(/@import/);
      for (const [, target] of css.matchAll(/url\(\s*["']?([^"')]*)/g)) {
        expect(target, reference).toMatch(/^data:/);
      }
    }
  });

  it('serves the same page at /', async () => {
    const root = await get(new URL('/', pageUrl).href, { accept: BROWSER_ACCEPT });
    expect(root.status).toBe(200);
    expect(root.headers['content-security-policy']).toBeDefined();
    expect(resourceReferences(root.body)).toEqual(resourceReferences(page.body));
  });

  it('rejects asset names outside the allow-list', async () => {
    const paths = [
      '/playground/assets/package.json',
      '/playground/assets/..%2F..%2Fpackage.json',
      '/playground/assets/react.production.min.js',
      '/playground/assets/',
    ];
    for (const path of paths) {
      const response = await get(new URL(path, pageUrl).href);
      expect(response.status, path).toBe(404);
    }
  });

  it('leaves API requests to Apollo Server', async () => {
    const anyType = await get(pageUrl, { accept: '*/*' });
    expect(anyType.headers['content-type']).toContain('application/json');

    const query = new URL(pageUrl);
    query.searchParams.set('query', '{ ping }');
    const viaGet = await get(query.href, { accept: 'application/json', 'apollo-require-preflight': 'true' });
    expect(viaGet.status).toBe(200);
    expect(JSON.parse(viaGet.body)).toEqual({ data: { ping: true } });

    const viaPost = await stack.graphql('{ ping }');
    expect(viaPost.data).toEqual({ ping: true });
  });

  it('answers introspection', async () => {
    await expectIntrospection(stack, true);
  });
});

describe.each<{ setting: string; environment: Record<string, string>; introspection: boolean }>([
  { setting: 'GATEWAY_PLAYGROUND=false', environment: { GATEWAY_PLAYGROUND: 'false' }, introspection: false },
  { setting: 'NODE_ENV=production', environment: { NODE_ENV: 'production' }, introspection: false },
  {
    setting: 'GATEWAY_PLAYGROUND=false and GATEWAY_INTROSPECTION=true',
    environment: { GATEWAY_PLAYGROUND: 'false', GATEWAY_INTROSPECTION: 'true' },
    introspection: true,
  },
])('playground off by $setting', ({ environment, introspection }) => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ environment });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('serves no page', async () => {
    const page = await get(stack.graphqlUrl, { accept: BROWSER_ACCEPT });
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.headers['content-type']).toContain('application/json');
    expect(page.body).not.toContain('graphiql');

    const root = await get(new URL('/', stack.graphqlUrl).href, { accept: BROWSER_ACCEPT });
    expect(root.status).toBe(404);
  });

  it('serves no assets', async () => {
    // The real served name, so the 404 comes from the route being off and not from an unknown name.
    const bootPath = `${ASSET_PATH_PREFIX}${loadPlaygroundAssets().boot.name}`;
    const boot = await get(new URL(bootPath, stack.graphqlUrl).href);
    expect(boot.status).toBe(404);
  });

  it(`${introspection ? 'answers' : 'rejects'} introspection`, async () => {
    await expectIntrospection(stack, introspection);
  });
});
