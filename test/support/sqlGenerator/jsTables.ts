/** The migration fixture's tables (test/fixtures/migrate/*.sql) as the JavaScript statement generator types them. */
export type SqlType = 'int' | 'num' | 'text' | 'bool' | 'date';

export interface Column {
  name: string;
  type: SqlType;
  nullable?: boolean;
}

export const TABLES: Record<string, { columns: Column[]; key: string[] }> = {
  customers: {
    key: ['id'],
    columns: [
      { name: 'id', type: 'int' },
      { name: 'name', type: 'text' },
      { name: 'email', type: 'text', nullable: true },
      { name: 'country', type: 'text', nullable: true },
      { name: 'vip', type: 'bool' },
      { name: 'created_at', type: 'date' },
    ],
  },
  products: {
    key: ['id'],
    columns: [
      { name: 'id', type: 'int' },
      { name: 'sku', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'price', type: 'num' },
      { name: 'stock', type: 'int' },
      { name: 'discontinued', type: 'bool' },
    ],
  },
  orders: {
    key: ['id'],
    columns: [
      { name: 'id', type: 'int' },
      { name: 'customer_id', type: 'int', nullable: true },
      { name: 'status', type: 'text' },
      { name: 'total', type: 'num' },
      { name: 'note', type: 'text', nullable: true },
      { name: 'placed_on', type: 'date' },
    ],
  },
  order_items: {
    key: ['order_id', 'product_id'],
    columns: [
      { name: 'order_id', type: 'int' },
      { name: 'product_id', type: 'int' },
      { name: 'quantity', type: 'int' },
      { name: 'unit_price', type: 'num' },
    ],
  },
  audit_log: {
    key: ['id'],
    columns: [
      { name: 'id', type: 'int' },
      { name: 'entity', type: 'text' },
      { name: 'message', type: 'text', nullable: true },
      { name: 'level', type: 'int' },
    ],
  },
};
