import { request } from 'undici';
import type { RunningEmulator } from './server.js';

/** Status, headers and parsed JSON body (or undefined for an empty body) of one emulator response. */
export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

async function readResponse(response: Awaited<ReturnType<typeof request>>): Promise<JsonResponse> {
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Sends a request with an optional JSON body to the emulator over loopback. */
export async function send(
  emulator: RunningEmulator,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const response = await request(`${emulator.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return readResponse(response);
}

/** Requests a token for the demo application and returns the access token. */
export async function issueToken(emulator: RunningEmulator): Promise<string> {
  const response = await send(emulator, 'POST', '/api/platform/applications/authtickets/oauth', {
    body: {
      client_id: emulator.application.clientId,
      client_secret: emulator.application.clientSecret,
      grant_type: 'client_credentials',
    },
  });
  if (response.status !== 200) {
    throw new Error(`Token request failed with HTTP ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return (response.body as { access_token: string }).access_token;
}

/** Sends an authenticated GET. */
export function getJson(emulator: RunningEmulator, path: string, token: string): Promise<JsonResponse> {
  return send(emulator, 'GET', path, { token });
}
