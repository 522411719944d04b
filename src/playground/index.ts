import type { FastifyInstance, FastifyReply } from 'fastify';
import Negotiator from 'negotiator';
import { ASSET_PATH_PREFIX, loadPlaygroundAssets } from './assets.js';
import { DEFAULT_HEADERS, playgroundTabs, type CredentialExample } from './operations.js';
import { createNonce, pageHeaders, renderPage, type PlaygroundSettings } from './page.js';

/**
 * Serves the GraphiQL playground: the page at `GET /` and at `GET {graphqlPath}` for browsers, and its scripts
 * and stylesheets under /playground/assets/. Every file comes from the project's own dependencies, so the page
 * works without network access.
 */
export function registerPlayground(
  app: FastifyInstance,
  options: { graphqlPath: string; credentialExample?: CredentialExample | undefined },
): void {
  const { graphqlPath } = options;
  // Relative URLs below assume that `/` and the GraphQL path sit in the same folder.
  if (!/^\/[^/]+$/.test(graphqlPath)) {
    throw new Error(`The playground needs a GraphQL path of one segment such as /graphql, not ${graphqlPath}`);
  }

  const assets = loadPlaygroundAssets();
  const settings: PlaygroundSettings = {
    endpoint: graphqlPath.slice(1),
    tabs: playgroundTabs(options.credentialExample),
    defaultHeaders: DEFAULT_HEADERS,
  };
  const sendPage = (reply: FastifyReply) => {
    const nonce = createNonce();
    const html = renderPage({ nonce, assets, assetBase: ASSET_PATH_PREFIX.slice(1), settings });
    return reply.headers(pageHeaders(nonce)).send(html);
  };

  // GET on the GraphQL path belongs to Apollo Server, so this hook sends browsers the page before Apollo runs.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' && request.routeOptions.url === graphqlPath && prefersHtml(request.headers.accept)) {
      return sendPage(reply);
    }
    return undefined;
  });

  app.get('/', async (_request, reply) => sendPage(reply));

  app.get<{ Params: { name: string } }>(`${ASSET_PATH_PREFIX}:name`, async (request, reply) => {
    const asset = assets.byName.get(request.params.name);
    if (!asset) return reply.callNotFound();
    return reply
      .headers({
        'content-type': asset.contentType,
        // Asset names carry a hash of the content, so a cached copy can never be stale.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      })
      .send(asset.body);
  });
}

/** GraphQL response types, in the order Apollo Server 5 lists them when it decides on its landing page. */
const OFFERED_MEDIA_TYPES = ['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html'];

/**
 * Tells a browser's page load from an API call the way Apollo Server does. HTML must be the client's first choice
 * by quality, then specificity, then position in `Accept`, so curl's default of any type still gets JSON.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return new Negotiator({ headers: { accept } }).mediaType(OFFERED_MEDIA_TYPES) === 'text/html';
}
