import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { kiboErrorFromResponse, parseErrorEnvelope, parseRetryAfter } from '../../../src/kibo/errors.js';
import { jsonResponse } from './helpers.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

function rawResponse(status: number, body: string, headers: Record<string, string> = {}) {
  return { status, headers, body: Buffer.from(body) };
}

describe('parseRetryAfter', () => {
  it('reads delay seconds', () => {
    expect(parseRetryAfter('60', NOW)).toBe(60);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
  });

  it('ignores absent and malformed values', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});

describe('parseErrorEnvelope', () => {
  it('reads the top level', () => {
    const body = Buffer.from(JSON.stringify({ errorCode: 'ITEM_NOT_FOUND', message: 'Missing', correlationId: 'c-1' }));
    expect(parseErrorEnvelope(body)).toEqual({ errorCode: 'ITEM_NOT_FOUND', message: 'Missing', correlationId: 'c-1' });
  });

  it('falls back to the first item', () => {
    const body = Buffer.from(JSON.stringify({ items: [{ errorCode: 'VALIDATION_CONFLICT', message: 'Bad field' }] }));
    expect(parseErrorEnvelope(body)).toEqual({ errorCode: 'VALIDATION_CONFLICT', message: 'Bad field' });
  });

  it('returns nothing for HTML or malformed bodies', () => {
    expect(parseErrorEnvelope(Buffer.from('<html><body>Oops</body></html>'))).toEqual({});
    expect(parseErrorEnvelope(Buffer.from('{"errorCode":'))).toEqual({});
    expect(parseErrorEnvelope(Buffer.from('[1,2]'))).toEqual({});
  });

  it('drops an error code or correlation id with odd characters', () => {
    const body = Buffer.from(JSON.stringify({ errorCode: 'BAD CODE <x>', correlationId: 'a\nb' }));
    expect(parseErrorEnvelope(body)).toEqual({});
  });
});

describe('kiboErrorFromResponse', () => {
  it('maps 404 to NOT_FOUND and keeps the Kibo error code and correlation id', () => {
    const error = kiboErrorFromResponse(
      jsonResponse(404, { errorCode: 'ITEM_NOT_FOUND', message: 'Item not found' }, { 'x-vol-correlation': 'corr-404' }),
      NOW,
    );
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.kiboErrorCode).toBe('ITEM_NOT_FOUND');
    expect(error.correlationId).toBe('corr-404');
    expect(error.status).toBe(404);
    expect(error.extensions.kiboCorrelationId).toBe('corr-404');
  });

  it('prefers the header correlation id over the body one', () => {
    const error = kiboErrorFromResponse(
      jsonResponse(400, { correlationId: 'from-body' }, { 'x-vol-correlation': 'from-header' }),
      NOW,
    );
    expect(error.correlationId).toBe('from-header');
    expect(kiboErrorFromResponse(jsonResponse(400, { correlationId: 'from-body' }), NOW).correlationId).toBe('from-body');
  });

  it.each([
    [400, ErrorCode.KIBO_BAD_REQUEST],
    [422, ErrorCode.KIBO_BAD_REQUEST],
    [401, ErrorCode.KIBO_UNAUTHENTICATED],
    [403, ErrorCode.KIBO_FORBIDDEN],
    [404, ErrorCode.NOT_FOUND],
    [405, ErrorCode.KIBO_BAD_REQUEST],
    [409, ErrorCode.KIBO_CONFLICT],
    [429, ErrorCode.KIBO_RATE_LIMITED],
    [500, ErrorCode.KIBO_UNAVAILABLE],
    [502, ErrorCode.KIBO_UNAVAILABLE],
    [503, ErrorCode.KIBO_UNAVAILABLE],
    [302, ErrorCode.KIBO_BAD_RESPONSE],
  ])('maps HTTP %i to %s', (status, code) => {
    expect(kiboErrorFromResponse(rawResponse(status, ''), NOW).code).toBe(code);
  });

  it('maps an HTML error page by status', () => {
    const error = kiboErrorFromResponse(
      rawResponse(502, '<html><title>Bad Gateway</title>internal-host-7</html>', { 'content-type': 'text/html' }),
      NOW,
    );
    expect(error.code).toBe(ErrorCode.KIBO_UNAVAILABLE);
    expect(error.message).not.toMatch(/html|Bad Gateway|internal-host/i);
  });

  it('keeps every part of a 5xx body out of the message', () => {
    const body = { errorCode: 'UNEXPECTED_ERROR', message: 'Null reference at Db.Products line 42', items: [] };
    const error = kiboErrorFromResponse(jsonResponse(500, body), NOW);
    expect(error.message).not.toContain('Null reference');
    expect(error.message).not.toContain('Db.Products');
    expect(error.message).toContain('500');
    expect(error.kiboErrorCode).toBe('UNEXPECTED_ERROR');
  });

  it('adds a short plain Kibo message to a 400', () => {
    const error = kiboErrorFromResponse(jsonResponse(400, { message: 'Invalid filter expression' }), NOW);
    expect(error.message).toBe('Kibo rejected the request as invalid: Invalid filter expression');
  });

  it('drops a long, multi-line or marked-up Kibo message', () => {
    for (const message of ['x'.repeat(201), 'line one\nat Stack.Trace()', 'see <b>this</b>', 'go to https://internal']) {
      const error = kiboErrorFromResponse(jsonResponse(400, { message }), NOW);
      expect(error.message).toBe('Kibo rejected the request as invalid (HTTP 400).');
    }
  });

  it('maps an empty 429 with Retry-After seconds', () => {
    const error = kiboErrorFromResponse(rawResponse(429, '', { 'retry-after': '60', 'content-length': '0' }), NOW);
    expect(error.code).toBe(ErrorCode.KIBO_RATE_LIMITED);
    expect(error.retryAfterSeconds).toBe(60);
    expect(error.extensions.retryAfter).toBe(60);
    expect(error.message).toContain('60 seconds');
  });

  it('maps an empty 429 with a Retry-After date', () => {
    const date = new Date(NOW + 45_000).toUTCString();
    const error = kiboErrorFromResponse(rawResponse(429, '', { 'retry-after': date }), NOW);
    expect(error.code).toBe(ErrorCode.KIBO_RATE_LIMITED);
    expect(error.retryAfterSeconds).toBe(45);
  });

  it('maps a 429 without Retry-After', () => {
    const error = kiboErrorFromResponse(rawResponse(429, ''), NOW);
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.message).toContain('retry later');
  });
});
