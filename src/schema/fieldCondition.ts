/**
 * A condition on one field of the records to generate (--where, a --seed-file cell, the API's
 * `where`). `field` is the table's 0-based field index. Conditioned fields are written first, so
 * every other field follows the model's distribution given them (see generate/conditionalStart.ts).
 */
export type FieldCondition =
  /** One of these exact values (one value: the field is fixed). */
  | { field: number; kind: 'values'; values: string[] }
  /**
   * A number or date within [min, max], both inclusive; an absent end is open. Dates are strings
   * in the field's own format (schema.ts `format`).
   */
  | { field: number; kind: 'range'; min?: number | string; max?: number | string };
