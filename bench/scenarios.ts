/** A GraphQL request the benchmark sends repeatedly. */
export interface Scenario {
  id: 'product' | 'products' | 'nested';
  /** Short name for the report table. */
  label: string;
  /** Request bodies, already serialized, which the load client sends in turn. */
  bodies: string[];
}

const PRODUCT_BY_CODE = /* GraphQL */ `
  query ProductByCode($code: String!) {
    product(productCode: $code) { productCode name description price { amount currencyCode } }
  }
`;

const PRODUCT_PAGE = /* GraphQL */ `
  query ProductPage($first: Int!) {
    products(first: $first) { totalCount nodes { productCode name price { amount currencyCode } } }
  }
`;

/** The query of the batching integration test: orders → (products ∥ customers) → inventory. */
export const NESTED_ORDERS = /* GraphQL */ `
  query NestedOrders($first: Int!) {
    orders(first: $first) {
      nodes {
        id
        customer { id emailAddress }
        items { quantity product { productCode name inventory { locationCode available } } }
      }
    }
  }
`;

export const PAGE_SIZE = 50;

/**
 * Builds the three scenarios. The single-product scenario cycles through `productCodes`. Each request has its
 * own DataLoader cache either way, so cycling only keeps the emulator's lookups from always reading one record.
 */
export function buildScenarios(productCodes: readonly string[]): Scenario[] {
  if (productCodes.length === 0) throw new Error('The emulator returned no plain product codes for the benchmark.');
  return [
    {
      id: 'product',
      label: 'product by code',
      bodies: productCodes.map((code) => body(PRODUCT_BY_CODE, { code })),
    },
    {
      id: 'products',
      label: `product page of ${PAGE_SIZE}`,
      bodies: [body(PRODUCT_PAGE, { first: PAGE_SIZE })],
    },
    {
      id: 'nested',
      label: `nested orders page of ${PAGE_SIZE}`,
      bodies: [body(NESTED_ORDERS, { first: PAGE_SIZE })],
    },
  ];
}

function body(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}
