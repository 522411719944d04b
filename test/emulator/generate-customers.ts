import type { CustomerContact } from '@kibocommerce/rest-sdk/clients/Customer/models/index.js';
import type { SeededRandom } from './random.js';
import {
  FIRST_NAMES,
  LAST_NAMES,
  daysAfterStart,
  formatDate,
  randomAddress,
  randomDateForm,
  randomPhone,
} from './sample-values.js';
import type { KiboCustomer } from './types.js';

/** Id of the first generated customer account; later ones count up from it. */
export const FIRST_CUSTOMER_ID = 1001;

/** Returns an e-mail address on the reserved example.com domain, with letters outside ASCII folded or dropped. */
function emailFor(firstName: string, lastName: string, id: number): string {
  const localPart = `${firstName}.${lastName}`
    .normalize('NFKD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return `${localPart || 'customer'}.${id}@example.com`;
}

function buildContact(
  random: SeededRandom,
  account: { id: number; firstName: string; lastName: string; email: string },
  contactId: number,
  typeName: 'Billing' | 'Shipping',
): CustomerContact {
  const created = formatDate(daysAfterStart(random.integer(0, 600)), 'milliseconds');
  return {
    id: contactId,
    accountId: account.id,
    email: account.email,
    firstName: account.firstName,
    middleNameOrInitial: null,
    lastNameOrSurname: account.lastName,
    companyOrOrganization: null,
    phoneNumbers: {
      home: randomPhone(random),
      mobile: random.chance(0.6) ? randomPhone(random) : null,
      work: random.chance(0.2) ? randomPhone(random) : null,
    },
    address: randomAddress(random),
    types: [{ name: typeName, isPrimary: true }],
    auditInfo: { createDate: created, updateDate: created, createBy: 'storefront', updateBy: 'storefront' },
  };
}

/** Generates `count` customer accounts with ids counting up from FIRST_CUSTOMER_ID. */
export function generateCustomers(random: SeededRandom, count: number): KiboCustomer[] {
  const customers: KiboCustomer[] = [];
  let contactId = 5001;
  for (let index = 0; index < count; index += 1) {
    const id = FIRST_CUSTOMER_ID + index;
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const email = emailFor(firstName, lastName, id);
    const account = { id, firstName, lastName, email };
    const contacts = [buildContact(random, account, contactId++, 'Billing')];
    if (random.chance(0.4)) {
      contacts.push(buildContact(random, account, contactId++, 'Shipping'));
    }
    const sinceTime = daysAfterStart(random.integer(0, 200));
    const since = formatDate(sinceTime, randomDateForm(random), random);
    const business = random.chance(0.15);

    customers.push({
      id,
      userId: random.hex(32),
      emailAddress: email,
      userName: email,
      firstName,
      lastName,
      localeCode: 'en-US',
      isAnonymous: false,
      isLocked: random.chance(0.02),
      isActive: random.chance(0.97),
      acceptsMarketing: random.chance(0.5),
      hasExternalPassword: false,
      customerSet: 'default',
      accountType: business ? 'B2B' : 'B2C',
      companyOrOrganization: business ? `${lastName} Outfitters` : null,
      externalId: null,
      taxExempt: false,
      taxId: null,
      customerSinceDate: since,
      contacts,
      attributes: [],
      segments: [],
      notes: [],
      // Filled in from the generated orders by generateTenant.
      commerceSummary: { orderCount: 0, totalOrderAmount: { amount: 0, currencyCode: 'USD' }, visitsCount: 0, wishlistCount: 0 },
      auditInfo: {
        createDate: since,
        updateDate: formatDate(sinceTime + random.integer(0, 90) * 86_400_000, 'milliseconds'),
        createBy: 'storefront',
        updateBy: 'storefront',
      },
    });
  }
  return customers;
}
