import type { CatalogAdminsProductOption } from '@kibocommerce/rest-sdk/clients/CatalogAdministration/models/index.js';
import { DEMO_CATALOG_ID, DEMO_MASTER_CATALOG_ID, DEMO_TENANT_ID } from './application.js';
import type { SeededRandom } from './random.js';
import { daysAfterStart, formatDate, randomDateForm } from './sample-values.js';
import type { KiboProduct } from './types.js';

/**
 * Product codes that need percent-encoding or quoting somewhere on their way to Kibo. They contain a slash, a
 * question mark, a hash, a percent sign, a space, an apostrophe, a dot pair, a plus, an ampersand, a comma,
 * brackets and parentheses, or letters outside Latin. The generator puts them at the end of the catalog.
 */
export const AWKWARD_PRODUCT_CODES: readonly string[] = [
  'BOX/2-PACK',
  'WHY?-MUG',
  'TEE#7',
  '50%-OFF-CAP',
  'GIFT CARD 25',
  "O'BRIEN-SCARF",
  'V2..BETA',
  'PLUS+ONE',
  'SALT&PEPPER',
  'A,B-COMBO',
  '[LIMITED]-(2024)',
  'ЧАЙ-001',
  '茶碗-002',
  'CAFÉ-CRÈME',
];

interface ProductLine {
  prefix: string;
  productTypeId: number;
  nouns: readonly string[];
  /** Option offered by the configurable products of this line. */
  option: { attributeFQN: string; values: readonly string[] };
}

const PRODUCT_LINES: readonly ProductLine[] = [
  {
    prefix: 'BTL',
    productTypeId: 11,
    nouns: ['Water Bottle', 'Flask', 'Tumbler', 'Canteen'],
    option: { attributeFQN: 'Tenant~color', values: ['Black', 'Blue', 'Red'] },
  },
  {
    prefix: 'APP',
    productTypeId: 8,
    nouns: ['Jacket', 'Hoodie', 'Shorts', 'Base Layer', 'Rain Shell'],
    option: { attributeFQN: 'Tenant~size', values: ['S', 'M', 'L', 'XL'] },
  },
  {
    prefix: 'CMP',
    productTypeId: 12,
    nouns: ['Tent', 'Sleeping Bag', 'Camp Stove', 'Lantern', 'Hammock'],
    option: { attributeFQN: 'Tenant~capacity', values: ['1 Person', '2 Person', '4 Person'] },
  },
  {
    prefix: 'FTW',
    productTypeId: 9,
    nouns: ['Trail Runner', 'Hiking Boot', 'Sandal', 'Camp Shoe'],
    option: { attributeFQN: 'Tenant~size', values: ['8', '9', '10', '11', '12'] },
  },
];

const ADJECTIVES = [
  'Alpine', 'Summit', 'Ridge', 'Canyon', 'Coastal', 'Glacier', 'Desert', 'Forest', 'Prairie', 'Harbor', 'Meadow',
  'Cascade', 'Granite', 'Tundra', 'Sierra', 'Delta',
];

const OPTION_DISPLAY_NAMES: Record<string, string> = {
  'Tenant~color': 'Color',
  'Tenant~size': 'Size',
  'Tenant~capacity': 'Capacity',
};

/** Returns the shopper-facing name of an option attribute, such as `Size` for `Tenant~size`. */
export function optionDisplayName(attributeFQN: string): string {
  return OPTION_DISPLAY_NAMES[attributeFQN] ?? attributeFQN;
}

/** Returns the code of one variation of a configurable product, built from the base code and the option value. */
export function variationProductCode(productCode: string, optionValue: string): string {
  return `${productCode}-${optionValue.toUpperCase().replace(/\s+/g, '')}`;
}

/** Returns the variation codes of a configurable product, or the product code itself for any other product. */
export function stockCodes(product: KiboProduct): string[] {
  const code = product.productCode ?? '';
  const option = product.options?.[0];
  if (product.productUsage !== 'Configurable' || !option) {
    return [code];
  }
  return (option.values ?? []).map((value) => variationProductCode(code, String(value.value)));
}

/** Returns a 12-digit UPC-A code with a valid check digit. */
function universalProductCode(random: SeededRandom): string {
  const digits = Array.from({ length: 11 }, () => random.integer(0, 9));
  const odd = digits.filter((_, index) => index % 2 === 0).reduce((sum, digit) => sum + digit, 0);
  const even = digits.filter((_, index) => index % 2 === 1).reduce((sum, digit) => sum + digit, 0);
  const check = (10 - ((odd * 3 + even) % 10)) % 10;
  return [...digits, check].join('');
}

function buildOption(line: ProductLine): CatalogAdminsProductOption {
  return {
    attributeFQN: line.option.attributeFQN,
    values: line.option.values.map((value, index) => ({
      value,
      attributeVocabularyValueDetail: {
        valueSequence: index + 1,
        value,
        content: { localeCode: 'en-US', stringValue: value },
      },
    })),
  };
}

function buildProduct(random: SeededRandom, index: number, productCode: string): KiboProduct {
  const line = PRODUCT_LINES[index % PRODUCT_LINES.length]!;
  const productName = `${random.pick(ADJECTIVES)} ${random.pick(line.nouns)} ${index + 1}`;
  const configurable = random.chance(0.12);
  const price = random.money(8, 450);
  const onSale = random.chance(0.3);
  const salePrice = onSale ? Math.round(price * random.integer(60, 90)) / 100 : price;
  const createTime = daysAfterStart(random.integer(0, 300));
  const created = formatDate(createTime, randomDateForm(random), random);
  const updated = formatDate(createTime + random.integer(0, 200) * 86_400_000, 'milliseconds');
  const auditInfo = { createDate: created, updateDate: updated, createBy: 'catalog-import', updateBy: 'catalog-import' };
  const imageCount = random.integer(0, 3);
  const slug = productName.toLowerCase().replace(/[^a-z0-9]+/g, '-');

  return {
    productCode,
    productUsage: configurable ? 'Configurable' : 'Standard',
    fulfillmentTypesSupported: random.chance(0.7) ? ['DirectShip', 'InStorePickup'] : ['DirectShip'],
    masterCatalogId: DEMO_MASTER_CATALOG_ID,
    productSequence: index + 1,
    productTypeId: line.productTypeId,
    isValidForProductType: true,
    productInCatalogs: [
      {
        catalogId: DEMO_CATALOG_ID,
        isActive: random.chance(0.95),
        isPriceOverridden: false,
        price: { isoCurrencyCode: 'USD', price, salePrice },
        productCategories: [{ categoryId: (index % PRODUCT_LINES.length) + 1 }],
        dateFirstAvailableInCatalog: created,
        auditInfo,
      },
    ],
    content: {
      localeCode: 'en-US',
      productName,
      productShortDescription: `${productName} for everyday trips.`,
      productFullDescription: `<p>The ${productName} is built for long days outside.</p>`,
      productImages: Array.from({ length: imageCount }, (_, imageIndex) => ({
        id: index * 10 + imageIndex + 1,
        localeCode: 'en-US',
        altText: imageIndex === 0 ? productName : '',
        // The reserved .example domain keeps these URLs from ever pointing at a real host.
        imageUrl: `//cdn.emulator.example/tenant-${DEMO_TENANT_ID}/files/${random.hex(32)}`,
        sequence: imageIndex + 1,
        productImageGroupId: 'default',
      })),
    },
    // Kibo sends salePrice equal to price, or leaves it out, when a product is not on sale; both forms occur here.
    price: onSale || random.chance(0.5) ? { isoCurrencyCode: 'USD', price, salePrice } : { isoCurrencyCode: 'USD', price },
    pricingBehavior: { discountsRestricted: false, variationPricingMethod: configurable ? 'Delta' : 'Fixed' },
    seoContent: { localeCode: 'en-US', seoFriendlyUrl: slug.replace(/^-|-$/g, '') },
    options: configurable ? [buildOption(line)] : [],
    properties: [{ attributeFQN: 'tenant~rating', values: [{ value: random.integer(1, 5) }] }],
    isTaxable: true,
    inventoryInfo: { manageStock: true, outOfStockBehavior: random.pick(['DisplayMessage', 'HideProduct', 'AllowBackOrder']) },
    upc: universalProductCode(random),
    supplierInfo: { cost: { isoCurrencyCode: 'USD', cost: Math.round(price * 45) / 100 } },
    isPackagedStandAlone: true,
    packageWeight: { unit: 'lbs', value: random.integer(1, 80) / 4 },
    isVariation: false,
    hasConfigurableOptions: configurable,
    hasStandAloneOptions: false,
    publishingInfo: { publishedState: 'Live' },
    productImageGroups: [{ productImageGroupId: 'default' }],
    auditInfo,
  };
}

/**
 * Generates `count` admin products. Codes follow `<line>-<number>` (for example `BTL-0001`), except that the last
 * ones are the awkward codes in AWKWARD_PRODUCT_CODES when `count` leaves room for them after 20 ordinary ones.
 */
export function generateProducts(random: SeededRandom, count: number): KiboProduct[] {
  const awkwardCount = count >= AWKWARD_PRODUCT_CODES.length + 20 ? AWKWARD_PRODUCT_CODES.length : 0;
  const products: KiboProduct[] = [];
  for (let index = 0; index < count; index += 1) {
    const awkwardIndex = index - (count - awkwardCount);
    const line = PRODUCT_LINES[index % PRODUCT_LINES.length]!;
    const code = awkwardIndex >= 0 ? AWKWARD_PRODUCT_CODES[awkwardIndex]! : `${line.prefix}-${String(index + 1).padStart(4, '0')}`;
    products.push(buildProduct(random, index, code));
  }
  return products;
}
