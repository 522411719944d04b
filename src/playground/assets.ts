import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** URL path under which the playground's scripts and stylesheets are served. */
export const ASSET_PATH_PREFIX = '/playground/assets/';

/** A file the playground page loads, held in memory from start to stop. */
export interface PlaygroundAsset {
  /** Served file name: the source name with a hash of the content, so a changed file gets a new URL. */
  name: string;
  contentType: string;
  body: Buffer;
}

/** The playground's files by role, plus a lookup by served name for the asset route. */
export interface PlaygroundAssets {
  react: PlaygroundAsset;
  reactDom: PlaygroundAsset;
  graphiql: PlaygroundAsset;
  graphiqlStyles: PlaygroundAsset;
  boot: PlaygroundAsset;
  pageStyles: PlaygroundAsset;
  byName: ReadonlyMap<string, PlaygroundAsset>;
}

type AssetRole = Exclude<keyof PlaygroundAssets, 'byName'>;

/**
 * Every file the asset route serves. GraphiQL 4 is the last major version that ships a UMD build, which runs
 * from plain script tags. That build expects React 18 as the globals `React` and `ReactDOM`, and React 19
 * no longer ships UMD files.
 */
const SOURCES: Record<AssetRole, { packageName: string; file: string } | { localFile: string }> = {
  react: { packageName: 'react', file: 'umd/react.production.min.js' },
  reactDom: { packageName: 'react-dom', file: 'umd/react-dom.production.min.js' },
  graphiql: { packageName: 'graphiql', file: 'graphiql.min.js' },
  graphiqlStyles: { packageName: 'graphiql', file: 'graphiql.min.css' },
  boot: { localFile: 'boot.js' },
  pageStyles: { localFile: 'playground.css' },
};

// tsc copies no .js or .css files to dist/, so the browser files are read from src/ in both layouts: this
// module sits two folders below the project root as src/playground/ and as dist/playground/.
const BROWSER_DIRECTORY = fileURLToPath(new URL('../../src/playground/browser/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Reads the playground's files from the project's npm dependencies and src/playground/browser.
 * @throws Error naming the file's path when one is missing, so a broken install stops the gateway at start.
 */
export function loadPlaygroundAssets(): PlaygroundAssets {
  const require = createRequire(import.meta.url);
  const entries = Object.entries(SOURCES).map(([role, source]) => {
    const path =
      'localFile' in source
        ? join(BROWSER_DIRECTORY, source.localFile)
        : // The packages' export maps leave out their browser builds, so the file is found beside package.json.
          join(dirname(require.resolve(`${source.packageName}/package.json`)), source.file);
    return [role, readAsset(path)] as const;
  });
  const assets = Object.fromEntries(entries) as Record<AssetRole, PlaygroundAsset>;
  return { ...assets, byName: new Map(entries.map(([, asset]) => [asset.name, asset])) };
}

function readAsset(path: string): PlaygroundAsset {
  const extension = extname(path);
  const contentType = CONTENT_TYPES[extension];
  if (!contentType) throw new Error(`Playground asset ${path} has no known content type`);

  let body: Buffer;
  try {
    body = readFileSync(path);
  } catch (error) {
    throw new Error(`Playground asset ${path} could not be read; run npm ci to restore the dependencies`, {
      cause: error,
    });
  }
  // The source maps are not served, so their trailing reference would only end in a 404 in developer tools.
  body = Buffer.from(body.toString('utf8').replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*\s*$/, '\n'), 'utf8');

  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { name: `${basename(path, extension)}.${hash}${extension}`, contentType, body };
}
