/** One GraphiQL tab: an operation document with the JSON texts of its variables and request headers. */
export interface PlaygroundTab {
  query: string;
  variables?: string;
  headers?: string;
}

// GraphiQL's Headers pane contains JSON, which has no comments, so the first tab explains the headers. The editor
// is about 56 characters wide in a window 1,400 pixels wide, so comment lines stay within that.
// Commerce tabs send no X-Kibo-Credential, so they use the default credential, as most clients would.
const COMMERCE_HEADERS = json({});

/**
 * Headers of the first tab and of each new tab. GraphiQL 4 fills the Headers pane of the first tab from its
 * `defaultHeaders` prop instead of the tab's own headers, and the Variables pane stays empty there likewise,
 * so the first tab must not need variables.
 */
export const DEFAULT_HEADERS = COMMERCE_HEADERS;

const PRODUCTS = `# Kibo GraphQL gateway playground
#
# One example per tab: products, orders, customers,
# inventory and credential management. Run it with
# the ▶ button or Ctrl+Enter (⌘+Enter on a Mac).
# Docs, on the left, browses the schema, and
# Ctrl+Space completes field names.
#
# Headers, below, holds the request headers as one
# JSON object, which cannot contain comments:
# - "X-Kibo-Credential" picks the Kibo credential by
#   id or name. "environment" is the one made from
#   the KIBO_* variables. Leave the header out to use
#   the default credential.
# - "Authorization": "Bearer <token>" sends a token.
#   Commerce queries need the API token only where
#   GATEWAY_API_TOKEN is set. The credential tab
#   needs the admin token, GATEWAY_ADMIN_TOKEN.
# The browser keeps your tabs between visits, but
# not their headers.

query Products {
  products(first: 5, sort: { field: PRODUCT_CODE }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      productCode
      name
      price { amount currencyCode }
      salePrice { amount currencyCode }
      inventory { locationCode available }
    }
  }
}
`;

const ORDERS = `# Orders with their lines, each line's product and
# stock, and the customer who placed the order.
# Lists are connections: pass pageInfo.endCursor as
# \`after\` to read the next page.

query OrdersPage {
  orders(first: 10) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      orderNumber
      status
      submittedAt
      total { amount currencyCode }
      customer { id emailAddress firstName lastName }
      items {
        quantity
        productCode
        product {
          name
          price { amount currencyCode }
          inventory { locationCode available }
        }
      }
    }
  }
}
`;

const CUSTOMERS = `# Customers with their current cart and latest orders.

query CustomersWithCartsAndOrders {
  customers(first: 3) {
    totalCount
    nodes {
      id
      emailAddress
      firstName
      lastName
      cart {
        id
        total { amount currencyCode }
        items { quantity productCode product { name } }
      }
      orders(first: 3) {
        totalCount
        nodes { id orderNumber status total { amount currencyCode } }
      }
    }
  }
}
`;

const INVENTORY = `# Stock of up to 200 products at every location, or
# only at the locations in \`locationCodes\`.
# The codes in Variables are from the emulator's
# sample tenant. Use your own against a Kibo tenant.

query Stock($codes: [String!]!) {
  inventory(productCodes: $codes) {
    productCode
    locationCode
    locationName
    onHand
    available
    allocated
  }
}
`;

const CREDENTIALS = `# Credential management: store a Kibo application
# credential, check it against Kibo, list them all.
# Each operation needs the admin token: in Headers,
# replace <admin token> with GATEWAY_ADMIN_TOKEN's
# value, which npm run demo prints when it starts.
# The ▶ button asks which operation to run, and
# Ctrl+Enter runs the one under the cursor.
#
# 1. CreateCredential stores the credential in
#    Variables. Kibo's Dev Center shows your
#    application's client ID and secret. The secret
#    is stored encrypted and never returned.
# 2. Copy the returned id to "id" in Variables and
#    run VerifyCredential, which asks Kibo for a
#    token with the credential.
# 3. ListCredentials shows each credential's status.
#    Send its name or id as X-Kibo-Credential to
#    query Kibo with it.

mutation CreateCredential($input: CreateKiboCredentialInput!) {
  createKiboCredential(input: $input) {
    credential { id name status }
  }
}

mutation VerifyCredential($id: ID!) {
  verifyKiboCredential(id: $id) {
    ok
    errorCode
    message
    credential { status }
  }
}

query ListCredentials {
  kiboCredentials { id name status secretHint isDefault }
}
`;

/** Values the credential tab starts with; the secret is always a placeholder. */
export interface CredentialExample {
  name: string;
  description: string;
  clientId: string;
  tenantId: number;
  siteId?: number | undefined;
  apiHost?: string | undefined;
  authHost: string;
}

/** A Kibo sandbox tenant with placeholder ids, for a gateway that is not the demo. */
export const SANDBOX_CREDENTIAL_EXAMPLE: CredentialExample = {
  name: 'sandbox',
  description: 'Sandbox tenant',
  clientId: 'yourtenant.yourapp.1.0.0.Release',
  tenantId: 12345,
  siteId: 23456,
  apiHost: 'https://t12345-s23456.sandbox.mozu.com',
  authHost: 'https://home.mozu.com',
};

/** Tabs shown on a first visit: one per domain, then the credential flow. */
export function playgroundTabs(example: CredentialExample = SANDBOX_CREDENTIAL_EXAMPLE): readonly PlaygroundTab[] {
  return [
    { query: PRODUCTS, headers: COMMERCE_HEADERS },
    { query: ORDERS, headers: COMMERCE_HEADERS },
    { query: CUSTOMERS, headers: COMMERCE_HEADERS },
    { query: INVENTORY, variables: json({ codes: ['BTL-0001', 'APP-0002', 'CMP-0003'] }), headers: COMMERCE_HEADERS },
    {
      query: CREDENTIALS,
      variables: json({
        input: { ...example, clientSecret: '<client secret>' },
        id: '<id returned by CreateCredential>',
      }),
      headers: json({ Authorization: 'Bearer <admin token>' }),
    },
  ];
}

/** The default tabs, for a gateway that is not the demo. */
export const DEFAULT_TABS = playgroundTabs();

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
