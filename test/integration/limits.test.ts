import { beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { errorCodes, type TestStack, useStack } from './harness.js';

const currentStack = useStack();
let stack: TestStack;

beforeEach(() => {
  stack = currentStack();
});

function upstreamCalls(): number {
  return stack.emulator.requests().length;
}

describe('query limits', () => {
  it('rejects deep nesting', async () => {
    const nested = '{ customers { nodes { orders { nodes { customer { orders { nodes { customer { orders { nodes { id } } } } } } } } } } }';
    const response = await stack.graphql(nested);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.data).toBeUndefined();
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects 500 aliases', async () => {
    const fields = Array.from({ length: 500 }, (_value, index) => `a${index}: ping`).join(' ');
    const response = await stack.graphql(`{ ${fields} }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects a fragment bomb', async () => {
    const levels = 12;
    const fragments = Array.from({ length: levels }, (_value, index) =>
      index === levels - 1
        ? `fragment F${index} on Product { productCode name }`
        : `fragment F${index} on Product { ...F${index + 1} ...F${index + 1} a${index}: name }`,
    ).join('\n');
    const response = await stack.graphql(`{ products(first: 200) { nodes { ...F0 } } }\n${fragments}`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects a costly wide query', async () => {
    const response = await stack.graphql(
      '{ customers(first: 200) { nodes { orders(first: 200) { nodes { items { product { inventory { available } } } } } } } }',
    );
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.errors![0]!.message).toMatch(/estimated cost/);
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects a 1 MB query', async () => {
    const query = `{ ping ${' '.repeat(1_000_000)} }`;
    const response = await stack.graphql(query);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects a query over the token limit', async () => {
    const response = await stack.graphql(`{ orders(first: 1) { nodes { ${'id '.repeat(10_500)} } } }`);
    expect(response.status).toBe(400);
    expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(response.errors![0]!.message).toMatch(/more than 10000 tokens/);
    expect(upstreamCalls()).toBe(0);
  });

  it('rejects a body over the size limit', async () => {
    const response = await stack.graphql(`{ ping } # ${'x'.repeat(2 * 1024 * 1024)}`);
    expect(response.status).toBe(413);
    expect(errorCodes(response)).toEqual(['BAD_REQUEST']);
  });

  it('accepts the nested orders page of 50', async () => {
    const response = await stack.graphql(
      '{ orders(first: 50) { nodes { id customer { id } items { product { name inventory { available } } } } } }',
    );
    expect(response.errors).toBeUndefined();
  });
});

describe('HTTP surface', () => {
  it('refuses a mutation over GET', async () => {
    const url = `${stack.graphqlUrl}?query=${encodeURIComponent('mutation { __typename }')}`;
    const response = await request(url, { headers: { 'apollo-require-preflight': 'true' } });
    await response.body.text();
    expect(response.statusCode).toBe(405);
  });

  it('blocks a simple cross-site GET', async () => {
    const response = await request(`${stack.graphqlUrl}?query=${encodeURIComponent('{ ping }')}`);
    const body = (await response.body.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.statusCode).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a charset other than UTF-8', async () => {
    const response = await request(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=iso-8859-1' },
      body: JSON.stringify({ query: '{ ping }' }),
    });
    const body = (await response.body.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.statusCode).toBe(415);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('answers malformed JSON with a coded error', async () => {
    const response = await request(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    const body = (await response.body.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.statusCode).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses batched requests', async () => {
    const response = await request(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ ping }' }, { query: '{ ping }' }]),
    });
    await response.body.text();
    expect(response.statusCode).toBe(400);
  });

  it('echoes a plain request id and replaces an unsafe one', async () => {
    const plain = await stack.graphql('{ ping }', undefined, { 'x-request-id': 'abc-123' });
    expect(plain.headers['x-request-id']).toBe('abc-123');
    const unsafe = await stack.graphql('{ ping }', undefined, { 'x-request-id': 'bad id\twith spaces' });
    expect(unsafe.headers['x-request-id']).not.toBe('bad id\twith spaces');
    expect(String(unsafe.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('batched requests when turned on', () => {
  const batchedStack = useStack({ environment: { GATEWAY_BATCHED_REQUESTS: 'true' } });

  async function postBatch(operations: Array<{ query: string }>) {
    const response = await request(batchedStack().graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(operations),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Array<{ data?: unknown; errors?: Array<{ extensions: { code: string } }> }> };
  }

  it('answers each operation', async () => {
    const { status, body } = await postBatch([{ query: '{ ping }' }, { query: '{ products(first: 1) { totalCount } }' }]);
    expect(status).toBe(200);
    expect(body).toHaveLength(2);
    expect(body[0]!.data).toEqual({ ping: true });
    expect(body[1]!.errors).toBeUndefined();
  });

  it('limits each operation', async () => {
    const aliases = Array.from({ length: 500 }, (_value, index) => `a${index}: ping`).join(' ');
    const { body } = await postBatch([{ query: '{ ping }' }, { query: `{ ${aliases} }` }]);
    expect(body[0]!.data).toEqual({ ping: true });
    expect(body[1]!.errors![0]!.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(batchedStack().emulator.requests()).toHaveLength(0);
  });

  it('limits the length of every operation', async () => {
    const { status, body } = await postBatch([{ query: '{ ping }' }, { query: `{ ping ${' '.repeat(200_000)} }` }]);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('QUERY_TOO_COMPLEX');
  });
});
