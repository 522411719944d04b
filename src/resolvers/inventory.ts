import { BadUserInputError } from '../errors.js';
import type { Resolvers } from '../generated/graphql.js';
import { presentKey } from './common.js';
import { MAX_PAGE_SIZE } from './connection.js';

export const inventoryResolvers: Resolvers = {
  Query: {
    inventory: async (_root, { productCodes, locationCodes }, context) => {
      if (productCodes.length > MAX_PAGE_SIZE) {
        throw new BadUserInputError(
          `"productCodes" accepts at most ${MAX_PAGE_SIZE} codes; got ${productCodes.length}.`,
          'productCodes',
        );
      }
      if (productCodes.some((code) => !presentKey(code))) {
        throw new BadUserInputError('"productCodes" must not contain empty codes.', 'productCodes');
      }
      const { loaders } = await context.commerce();
      const results = await loaders.inventory.loadMany(
        [...new Set(productCodes)].map((productCode) => ({ productCode, locationCodes: locationCodes ?? undefined })),
      );
      const failure = results.find((result) => result instanceof Error);
      if (failure) throw failure;
      return results.flat() as Exclude<(typeof results)[number], Error>;
    },
  },
  InventoryLevel: {
    productCode: (row, _args, context) => row[context.config.kibo.inventoryItemKey] ?? '',
    locationCode: (row) => row.locationCode ?? '',
  },
};
