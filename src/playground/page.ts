import { randomBytes } from 'node:crypto';
import type { PlaygroundAssets } from './assets.js';
import type { PlaygroundTab } from './operations.js';

/** Settings the boot script reads from the page: the endpoint for operations and the tabs to open with. */
export interface PlaygroundSettings {
  /** GraphQL endpoint, relative to the page's URL. */
  endpoint: string;
  tabs: readonly PlaygroundTab[];
  /** Headers pane of the first tab and of each new tab. */
  defaultHeaders: string;
}

/** Returns a fresh CSP nonce: 16 random bytes (128 bits, the minimum CSP Level 3 recommends) in base64. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Returns the response headers of the playground page. Scripts come only from the gateway, so no inline script
 * can run. The nonce admits the `<style>` elements that GraphiQL's menus and dialogs add at run time.
 */
export function pageHeaders(nonce: string): Record<string, string> {
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': policy.join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Each response carries its own nonce, so a cached copy would not match the policy sent with it.
    'cache-control': 'no-store',
  };
}

/**
 * Renders the playground page. Asset and endpoint URLs are relative, so the page works behind a proxy that
 * serves the gateway under a path prefix.
 */
export function renderPage(options: {
  nonce: string;
  assets: PlaygroundAssets;
  /** Path prefix of the asset URLs, such as `playground/assets/`. */
  assetBase: string;
  settings: PlaygroundSettings;
}): string {
  const { nonce, assets, assetBase } = options;
  const asset = (name: string) => escapeHtml(`${assetBase}${name}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kibo GraphQL gateway playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset(assets.graphiqlStyles.name)}">
<link rel="stylesheet" href="${asset(assets.pageStyles.name)}">
</head>
<body>
<div id="graphiql"><p class="playground-message">Loading the GraphiQL playground…</p></div>
<noscript><p class="playground-message">The playground needs JavaScript. Without it, POST GraphQL requests to
this URL with any HTTP client.</p></noscript>
<script type="application/json" id="playground-settings">${scriptJson(options.settings)}</script>
<script src="${asset(assets.react.name)}"></script>
<script src="${asset(assets.reactDom.name)}"></script>
<script src="${asset(assets.graphiql.name)}"></script>
<script src="${asset(assets.boot.name)}" nonce="${escapeHtml(nonce)}"></script>
</body>
</html>
`;
}

/** Serializes JSON for a `<script>` data block; escaping `<` keeps a `</script>` in a string from closing it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
