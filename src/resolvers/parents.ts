import type { KiboCartItem, KiboOrderItem } from '../kibo/models.js';

/**
 * Parent of a LineItem: an order line or a cart line (Kibo gives both the same core fields) with the currency
 * of the order or cart it belongs to, because Kibo puts the currency only on the order or cart.
 */
export interface LineItemParent {
  item: KiboOrderItem | KiboCartItem;
  currencyCode: string | null | undefined;
}
