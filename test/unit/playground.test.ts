import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadPlaygroundAssets } from '../../src/playground/assets.js';
import { prefersHtml } from '../../src/playground/index.js';
import { DEFAULT_TABS } from '../../src/playground/operations.js';
import { renderPage } from '../../src/playground/page.js';
import { loadTypeDefs } from '../../src/server.js';

describe('prefersHtml', () => {
  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/html', true],
    ['text/html, application/json', true],
    ['text/*', true],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/html', false],
    ['application/graphql-response+json, application/json;q=0.9', false],
    ['text/html;q=0', false],
    ['', false],
    [undefined, false],
  ])('%j gives %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

describe('loadPlaygroundAssets', () => {
  const assets = loadPlaygroundAssets();

  it('names each file by content hash', () => {
    expect([...assets.byName.keys()].sort()).toEqual(
      [
        expect.stringMatching(/^boot\.[0-9a-f]{12}\.js$/),
        expect.stringMatching(/^graphiql\.min\.[0-9a-f]{12}\.css$/),
        expect.stringMatching(/^graphiql\.min\.[0-9a-f]{12}\.js$/),
        expect.stringMatching(/^playground\.[0-9a-f]{12}\.css$/),
        expect.stringMatching(/^react-dom\.production\.min\.[0-9a-f]{12}\.js$/),
        expect.stringMatching(/^react\.production\.min\.[0-9a-f]{12}\.js$/),
      ].sort(),
    );
  });

  it('strips source map references', () => {
    for (const asset of assets.byName.values()) {
      expect(asset.body.toString('utf8'), asset.name).not.toMatch(/sourceMappingURL/);
    }
  });
});

describe('renderPage', () => {
  const assets = loadPlaygroundAssets();

  it('keeps settings inside their script block', () => {
    const tabs = [{ query: '# </script><script>alert(1)</script>\n{ ping }' }];
    const html = renderPage({
      nonce: 'abc',
      assets,
      assetBase: 'playground/assets/',
      settings: { endpoint: 'graphql', tabs, defaultHeaders: '{}' },
    });
    expect(html).not.toContain('</script><script>alert(1)');
    const block = /<script type="application\/json" id="playground-settings">([^<]*)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(block!).tabs).toEqual(tabs);
  });

  it('gives the nonce to the boot script only', () => {
    const html = renderPage({
      nonce: 'abc',
      assets,
      assetBase: 'playground/assets/',
      settings: { endpoint: 'graphql', tabs: DEFAULT_TABS, defaultHeaders: '{}' },
    });
    expect(html.match(/nonce="/g)).toHaveLength(1);
    expect(html).toContain(`<script src="playground/assets/${assets.boot.name}" nonce="abc"></script>`);
  });
});

describe('DEFAULT_TABS', () => {
  it('examples validate against the schema', () => {
    const schema = buildSchema(loadTypeDefs().join('\n'));
    for (const tab of DEFAULT_TABS) {
      const errors = validate(schema, parse(tab.query)).map((error) => error.message);
      expect(errors, tab.query.split('\n')[0]).toEqual([]);
    }
  });

  it('variables and headers are JSON', () => {
    for (const tab of DEFAULT_TABS) {
      for (const text of [tab.variables, tab.headers]) {
        if (text !== undefined) expect(JSON.parse(text)).toBeTypeOf('object');
      }
    }
  });

  it('starts with a tab that needs no variables', () => {
    expect(DEFAULT_TABS[0]?.variables).toBeUndefined();
    expect(DEFAULT_TABS[0]?.query).not.toMatch(/\(\$/);
  });

  it('keeps comment lines within the editor width', () => {
    for (const tab of DEFAULT_TABS) {
      for (const line of tab.query.split('\n').filter((text) => text.startsWith('#'))) {
        expect(line.length, line).toBeLessThanOrEqual(56);
      }
    }
  });
});
