// Starts GraphiQL on the playground page. It is a file of its own because the page's Content-Security-Policy
// runs scripts from the gateway only, never inline ones. The UMD builds loaded before it define the globals
// React, ReactDOM and GraphiQL.
(function startPlayground() {
  'use strict';

  // GraphiQL's menus and dialogs add <style> elements through react-style-singleton, which sets the nonce it
  // finds in __webpack_nonce__. This script's nonce is the one the page's style-src allows.
  window.__webpack_nonce__ = document.currentScript.nonce;

  const settings = JSON.parse(document.getElementById('playground-settings').textContent);
  const fetcher = GraphiQL.createFetcher({ url: new URL(settings.endpoint, document.baseURI).href });

  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultTabs: settings.tabs,
      defaultHeaders: settings.defaultHeaders,
      defaultEditorToolsVisibility: 'headers',
      // Headers can hold the admin token, which must not outlive the page in the browser's storage.
      shouldPersistHeaders: false,
      showPersistHeadersSettings: false,
      storage: createStorageWithoutHistoryHeaders(),
    }),
  );

  /**
   * Returns GraphiQL's storage: localStorage, except that the history and favorites lists are saved without
   * request headers. GraphiQL 4 saves the headers of every run there even when shouldPersistHeaders is off.
   */
  function createStorageWithoutHistoryHeaders() {
    const historyKeys = new Set(['graphiql:queries', 'graphiql:favorites']);
    const ownKeys = () => Object.keys(localStorage).filter((key) => key.startsWith('graphiql:'));
    return {
      getItem: (key) => localStorage.getItem(key),
      setItem(key, value) {
        if (!historyKeys.has(key)) {
          localStorage.setItem(key, value);
          return;
        }
        const cleaned = withoutHeaders(value);
        if (cleaned === undefined) localStorage.removeItem(key);
        else localStorage.setItem(key, cleaned);
      },
      removeItem: (key) => localStorage.removeItem(key),
      clear() {
        for (const key of ownKeys()) localStorage.removeItem(key);
      },
      get length() {
        return ownKeys().length;
      },
    };
  }

  /** Returns a stored list such as `{"queries": [...]}` without its entries' headers; undefined if not JSON. */
  function withoutHeaders(text) {
    let stored;
    try {
      stored = JSON.parse(text);
    } catch {
      return undefined;
    }
    for (const entries of Object.values(stored ?? {})) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        if (entry && typeof entry === 'object') delete entry.headers;
      }
    }
    return JSON.stringify(stored);
  }
})();
