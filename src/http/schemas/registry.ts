import { z } from 'zod';

/**
 * Helpers for the API's schemas. Names and descriptions live in zod's global registry (where
 * `.describe()` and `.meta()` put them): the OpenAPI document is generated from it, and a
 * schema with an `id` becomes a named component (`components.schemas`).
 */

/** A schema that appears by name in the OpenAPI document. */
export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  return schema.meta({ id, ...(description === undefined ? {} : { description }) });
}

/** A list as the API returns it (readonly, like the views it describes). */
export function list<T extends z.ZodType>(item: T): z.ZodReadonly<z.ZodArray<T>> {
  return z.array(item).readonly();
}

export const Instant = z
  .string()
  .meta({ format: 'date-time', description: 'ISO-8601 instant, UTC' });
