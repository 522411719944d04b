import { BadUserInputError } from '../errors.js';
import type { Resolvers } from '../generated/graphql.js';
import type { KiboProduct } from '../kibo/models.js';
import { presentKey, requireFound, toMoney } from './common.js';
import { resolveConnection } from './connection.js';
import { productFilterExpression, productSortExpression } from './filters.js';

export const productResolvers: Resolvers = {
  Query: {
    products: async (_root, args, context) => {
      const filter = productFilterExpression(args.filter, context.config);
      const sortBy = productSortExpression(args.sort);
      const { api } = await context.commerce();
      return resolveConnection(args, filter, (page) =>
        api.products.list({ ...page, sortBy, q: presentKey(args.search) }),
      );
    },
    product: async (_root, { productCode }, context) => {
      const code = presentKey(productCode);
      if (!code) throw new BadUserInputError('"productCode" must not be empty.', 'productCode');
      const { loaders } = await context.commerce();
      return requireFound(await loaders.products.load(code), `No product has the code "${code}".`);
    },
  },
  Product: {
    productCode: (product) => product.productCode ?? '',
    name: (product) => product.content?.productName ?? null,
    description: (product) => product.content?.productFullDescription ?? null,
    shortDescription: (product) => product.content?.productShortDescription ?? null,
    price: (product) => toMoney(product.price?.price, currencyOf(product)),
    salePrice: (product) => toMoney(product.price?.salePrice, currencyOf(product)),
    images: (product) =>
      (product.content?.productImages ?? []).map((image) => ({
        url: image.imageUrl ?? null,
        altText: image.altText ?? null,
        sequence: image.sequence ?? null,
      })),
    options: (product) =>
      (product.options ?? []).map((option) => ({
        attributeFQN: option.attributeFQN ?? '',
        values: (option.values ?? []).map((value) => ({
          value: value.value === null || value.value === undefined ? null : String(value.value),
        })),
      })),
    inventory: async (product, { locationCodes }, context) => {
      const productCode = presentKey(product.productCode);
      if (!productCode) return [];
      const { loaders } = await context.commerce();
      return loaders.inventory.load({ productCode, locationCodes: locationCodes ?? undefined });
    },
    createdAt: (product) => product.auditInfo?.createDate ?? null,
    updatedAt: (product) => product.auditInfo?.updateDate ?? null,
  },
};

function currencyOf(product: KiboProduct): string | null | undefined {
  return product.price?.isoCurrencyCode ?? product.productInCatalogs?.[0]?.price?.isoCurrencyCode;
}
