/** Post-processing of the generated OpenAPI document (see `tidyDocument`). */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const REF = '#/components/schemas/';

/**
 * The generator writes every named schema twice (`X` for answers, `XInput` for requests) and
 * marks every request body required. Keep the components the paths use, name request schemas
 * without the suffix when no answer schema has that name, and mark a body that may be null
 * (e.g. a promotion's) optional.
 */
export function tidyDocument<T>(document: T): T {
  const doc = structuredClone(document) as unknown as JsonObject;
  const components = (doc.components ?? {}) as JsonObject;
  const schemas = (components.schemas ?? {}) as JsonObject;
  const used = new Set<string>();
  const visit = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(REF)) {
          const name = value.slice(REF.length);
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name] ?? null);
          }
        } else {
          visit(value);
        }
      }
    }
  };
  visit(doc.paths ?? null);
  const renames = new Map<string, string>();
  for (const name of used) {
    const bare = name.replace(/Input$/, '');
    if (bare !== name && !used.has(bare)) {
      renames.set(name, bare);
    }
  }
  components.schemas = Object.fromEntries(
    [...used].sort().map((name) => [renames.get(name) ?? name, schemas[name] ?? null]),
  );
  const renamed = JSON.parse(
    JSON.stringify(doc).replace(
      /"#\/components\/schemas\/([A-Za-z0-9_]+)"/g,
      (whole, name: string) => (renames.has(name) ? `"${REF}${renames.get(name)}"` : whole),
    ),
  ) as JsonObject;
  markNullableBodiesOptional(renamed);
  return renamed as unknown as T;
}

function markNullableBodiesOptional(doc: JsonObject): void {
  const schemas = ((doc.components as JsonObject | undefined)?.schemas ?? {}) as JsonObject;
  for (const methods of Object.values((doc.paths ?? {}) as JsonObject)) {
    for (const operation of Object.values((methods ?? {}) as JsonObject)) {
      const body = (operation as JsonObject | null)?.requestBody as JsonObject | undefined;
      const content = (body?.content as JsonObject | undefined)?.['application/json'] as
        JsonObject | undefined;
      let schema = content?.schema as JsonObject | undefined;
      const ref = schema?.$ref;
      if (typeof ref === 'string' && ref.startsWith(REF)) {
        schema = schemas[ref.slice(REF.length)] as JsonObject | undefined;
      }
      const anyOf = schema?.anyOf;
      if (
        body !== undefined &&
        Array.isArray(anyOf) &&
        anyOf.some((s) => (s as JsonObject)?.type === 'null')
      ) {
        body.required = false;
      }
    }
  }
}
