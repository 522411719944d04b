import type { CartItem, Contact } from '@kibocommerce/rest-sdk/clients/Commerce/models/index.js';
import { DEMO_SITE_ID, DEMO_TENANT_ID } from './application.js';
import { optionDisplayName, variationProductCode } from './generate-catalog.js';
import { LOCATIONS } from './generate-inventory.js';
import { roundMoney, type SeededRandom } from './random.js';
import { daysAfterStart, formatDate, randomAddress, randomDateForm, randomPhone } from './sample-values.js';
import type { KiboCart, KiboCustomer, KiboOrder, KiboProduct } from './types.js';

const TAX_RATE = 0.0825;

const SHIPPING_METHODS = [
  { code: 'ground', name: 'Ground', price: 5.99 },
  { code: 'two-day', name: 'Two Day', price: 12.5 },
  { code: 'free', name: 'Free Shipping', price: 0 },
];

/** Order states with their weight in the sample, and the payment and fulfillment states that go with them. */
const ORDER_STATES = [
  { status: 'Completed', paymentStatus: 'Paid', fulfillmentStatus: 'Fulfilled', weight: 45 },
  { status: 'Accepted', paymentStatus: 'Authorized', fulfillmentStatus: 'NotFulfilled', weight: 20 },
  { status: 'Processing', paymentStatus: 'Paid', fulfillmentStatus: 'PartiallyFulfilled', weight: 10 },
  { status: 'Cancelled', paymentStatus: 'Void', fulfillmentStatus: 'NotFulfilled', weight: 8 },
  { status: 'Pending', paymentStatus: 'AwaitingPayment', fulfillmentStatus: 'NotFulfilled', weight: 7 },
  { status: 'Created', paymentStatus: null, fulfillmentStatus: 'NotFulfilled', weight: 5 },
  { status: 'Abandoned', paymentStatus: null, fulfillmentStatus: 'NotFulfilled', weight: 5 },
] as const;

type OrderState = (typeof ORDER_STATES)[number];

function pickOrderState(random: SeededRandom): OrderState {
  const total = ORDER_STATES.reduce((sum, state) => sum + state.weight, 0);
  let roll = random.integer(1, total);
  for (const state of ORDER_STATES) {
    roll -= state.weight;
    if (roll <= 0) {
      return state;
    }
  }
  return ORDER_STATES[0];
}

type LinePrices = Pick<CartItem, 'unitPrice' | 'subtotal' | 'discountTotal' | 'discountedTotal' | 'total' | 'isTaxable' | 'auditInfo'>;

/** Prices a line of `quantity` units at the product's sale price, or its list price without one, with no discount. */
export function priceLine(product: KiboProduct, quantity: number, created: string): LinePrices {
  const listPrice = product.price?.price ?? 0;
  const salePrice = product.price?.salePrice ?? null;
  const subtotal = roundMoney((salePrice ?? listPrice) * quantity);
  return {
    unitPrice: { listAmount: listPrice, saleAmount: salePrice, extendedAmount: subtotal },
    subtotal,
    discountTotal: 0,
    discountedTotal: subtotal,
    total: subtotal,
    isTaxable: true,
    auditInfo: { createDate: created, updateDate: created, createBy: null, updateBy: null },
  };
}

/** Builds a cart or order line for one product; configurable products get one of their variations. */
function buildLineItem(random: SeededRandom, product: KiboProduct, lineId: number, created: string): CartItem {
  const quantity = random.integer(1, 4);
  const listPrice = product.price?.price ?? 0;
  const salePrice = product.price?.salePrice ?? null;
  const option = product.productUsage === 'Configurable' ? product.options?.[0] : undefined;
  const optionValue = option ? String(random.pick(option.values ?? []).value) : undefined;
  const pickup = random.chance(0.2);

  return {
    id: random.hex(32),
    lineId,
    quantity,
    fulfillmentMethod: pickup ? 'Pickup' : 'Ship',
    fulfillmentLocationCode: pickup ? random.pick(LOCATIONS.filter((location) => location.pickup)).code : null,
    purchaseLocation: null,
    product: {
      productCode: product.productCode ?? null,
      variationProductCode: option && optionValue ? variationProductCode(product.productCode ?? '', optionValue) : null,
      name: product.content?.productName ?? null,
      description: product.content?.productShortDescription ?? null,
      imageUrl: product.content?.productImages?.[0]?.imageUrl ?? null,
      upc: product.upc ?? null,
      sku: null,
      productUsage: product.productUsage ?? null,
      fulfillmentTypesSupported: product.fulfillmentTypesSupported ?? [],
      options:
        option && optionValue
          ? [{ attributeFQN: option.attributeFQN ?? null, name: optionDisplayName(option.attributeFQN ?? ''), value: optionValue }]
          : [],
      price: { price: listPrice, salePrice },
    },
    ...priceLine(product, quantity, created),
  };
}

/** Sums lines and adds tax and shipping the way the sample tenant prices every order and cart. */
function computeTotals(items: CartItem[], shippingTotal: number, requestedDiscount: number) {
  const subtotal = roundMoney(items.reduce((sum, item) => sum + (item.subtotal ?? 0), 0));
  const discountTotal = Math.min(requestedDiscount, subtotal);
  const discountedSubtotal = roundMoney(subtotal - discountTotal);
  const taxTotal = roundMoney(discountedSubtotal * TAX_RATE);
  const total = roundMoney(discountedSubtotal + taxTotal + shippingTotal);
  return { subtotal, discountTotal, discountedSubtotal, taxTotal, shippingTotal, total, discountedTotal: total };
}

function contactFor(random: SeededRandom, customer: KiboCustomer | undefined, email: string): Contact {
  const saved = customer?.contacts?.[0];
  return {
    email,
    firstName: customer?.firstName ?? 'Guest',
    middleNameOrInitial: null,
    lastNameOrSurname: customer?.lastName ?? 'Shopper',
    companyOrOrganization: customer?.companyOrOrganization ?? null,
    phoneNumbers: saved?.phoneNumbers ?? { home: randomPhone(random), mobile: null, work: null },
    address: saved?.address ?? randomAddress(random),
  };
}

function pickLines(random: SeededRandom, products: readonly KiboProduct[], created: string): CartItem[] {
  const chosen = random.sample(products, random.integer(1, 5));
  return chosen.map((product, index) => buildLineItem(random, product, index + 1, created));
}

/**
 * Generates `count` orders for the given customers. About one in twenty is a guest order without an account.
 * Orders that were never submitted (Created, Abandoned) have no order number and no submitted date.
 */
export function generateOrders(
  random: SeededRandom,
  count: number,
  customers: readonly KiboCustomer[],
  products: readonly KiboProduct[],
): KiboOrder[] {
  const orders: KiboOrder[] = [];
  for (let index = 0; index < count; index += 1) {
    const customer = customers.length > 0 && random.chance(0.95) ? random.pick(customers) : undefined;
    const email = customer?.emailAddress ?? `guest.${index + 1}@example.com`;
    const state = pickOrderState(random);
    const submitted = state.status !== 'Created' && state.status !== 'Abandoned';
    const createTime = daysAfterStart(random.integer(0, 700) + random.next());
    const created = formatDate(createTime, 'milliseconds');
    const items = pickLines(random, products, created);
    const shipping = random.pick(SHIPPING_METHODS);
    const discount = random.chance(0.15) ? roundMoney(random.integer(5, 20)) : 0;
    const totals = computeTotals(items, shipping.price, discount);
    const accepted = state.status === 'Accepted' || state.status === 'Processing' || state.status === 'Completed';
    const acceptTime = createTime + random.integer(1, 120) * 60_000;
    const closeTime = acceptTime + random.integer(1, 10) * 86_400_000;
    const contact = contactFor(random, customer, email);
    const paid = state.paymentStatus === 'Paid';

    orders.push({
      id: random.hex(32),
      orderNumber: submitted ? index + 1 : null,
      status: state.status,
      paymentStatus: state.paymentStatus,
      fulfillmentStatus: state.fulfillmentStatus,
      returnStatus: 'None',
      type: 'Online',
      channelCode: 'Online',
      tenantId: DEMO_TENANT_ID,
      siteId: DEMO_SITE_ID,
      currencyCode: 'USD',
      customerAccountId: customer?.id ?? null,
      // Guest shoppers still get a user id, the id of their anonymous session.
      userId: customer?.userId ?? random.hex(32),
      email,
      submittedDate: submitted ? formatDate(createTime, randomDateForm(random), random) : null,
      acceptedDate: accepted ? formatDate(acceptTime, randomDateForm(random), random) : null,
      closedDate: state.status === 'Completed' ? formatDate(closeTime, 'milliseconds') : null,
      cancelledDate: state.status === 'Cancelled' ? formatDate(acceptTime, 'seconds') : null,
      ...totals,
      totalCollected: paid ? totals.total : 0,
      amountRemainingForPayment: paid || state.status === 'Cancelled' ? 0 : totals.total,
      items: items.map((item) => ({ ...item, shippingMethodCode: shipping.code, shippingMethodName: shipping.name })),
      couponCodes: discount > 0 ? ['SAVE10'] : [],
      invalidCoupons: [],
      orderDiscounts: [],
      billingInfo: { billingContact: contact, paymentType: 'CreditCard', isSameBillingShippingAddress: true },
      fulfillmentInfo: { fulfillmentContact: contact, shippingMethodCode: shipping.code, shippingMethodName: shipping.name },
      isDraft: false,
      isImport: false,
      auditInfo: {
        createDate: created,
        updateDate: formatDate(accepted ? closeTime : createTime, 'milliseconds'),
        createBy: customer?.userId ?? null,
        updateBy: customer?.userId ?? null,
      },
    });
  }
  return orders;
}

/** Generates an active cart for roughly 60% of the customers; one in ten of those carts is empty. */
export function generateCarts(
  random: SeededRandom,
  customers: readonly KiboCustomer[],
  products: readonly KiboProduct[],
): KiboCart[] {
  const carts: KiboCart[] = [];
  for (const customer of customers) {
    if (!random.chance(0.6)) {
      continue;
    }
    const updateTime = daysAfterStart(680 + random.integer(0, 60) + random.next());
    const updated = formatDate(updateTime, 'milliseconds');
    const items = random.chance(0.1) ? [] : pickLines(random, products, updated);
    carts.push({
      id: random.hex(32),
      userId: customer.userId ?? null,
      tenantId: DEMO_TENANT_ID,
      siteId: DEMO_SITE_ID,
      channelCode: 'Online',
      currencyCode: 'USD',
      items,
      ...computeTotals(items, 0, 0),
      couponCodes: [],
      invalidCoupons: [],
      orderDiscounts: [],
      cartMessages: [],
      expirationDate: formatDate(updateTime + 14 * 86_400_000, randomDateForm(random), random),
      auditInfo: { createDate: updated, updateDate: updated, createBy: customer.userId ?? null, updateBy: customer.userId ?? null },
    });
  }
  return carts;
}
