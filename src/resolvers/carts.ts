import { BadUserInputError } from '../errors.js';
import type { Resolvers } from '../generated/graphql.js';
import type { KiboCart } from '../kibo/models.js';
import { presentKey, requireFound, totalsResolvers } from './common.js';

export const cartResolvers: Resolvers = {
  Query: {
    cart: async (_root, { id }, context) => {
      const cartId = presentKey(id);
      if (!cartId) throw new BadUserInputError('"id" must not be empty.', 'id');
      const { api } = await context.commerce();
      return requireFound(await api.carts.get(cartId), `No cart has the id "${cartId}".`);
    },
    userCart: async (_root, { userId }, context) => {
      const user = presentKey(userId);
      if (!user) throw new BadUserInputError('"userId" must not be empty.', 'userId');
      const { loaders } = await context.commerce();
      return requireFound(await loaders.userCarts.load(user), `The user "${user}" has no cart.`);
    },
  },
  Cart: {
    id: (cart) => cart.id ?? '',
    items: (cart) => (cart.items ?? []).map((item) => ({ item, currencyCode: cart.currencyCode })),
    ...totalsResolvers<KiboCart>(),
    expiresAt: (cart) => cart.expirationDate ?? null,
    createdAt: (cart) => cart.auditInfo?.createDate ?? null,
    updatedAt: (cart) => cart.auditInfo?.updateDate ?? null,
  },
};
