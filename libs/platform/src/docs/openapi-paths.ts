type Operation = { parameters?: { name: string; in: string }[] } & Record<string, unknown>;
type PathItem = { parameters?: { name: string; in: string }[] } & Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * Declares every `{name}` of a path template as a required path parameter where the document
 * does not already (OpenAPI requires it; Swagger UI's "try it out" needs it to fill the URL).
 * Names ending in `Id` are UUIDs in Carebridge, except external identifiers kept as strings.
 */
export function withPathParameters<D extends { paths: Record<string, PathItem> }>(document: D, external: readonly string[] = ['ncpdpId']): D {
  const paths: Record<string, PathItem> = {};
  for (const [template, item] of Object.entries(document.paths)) {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const declared = new Set([
      ...(item.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      ...METHODS.flatMap((m) => ((item[m] as Operation | undefined)?.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)),
    ]);
    const missing = names.filter((name) => !declared.has(name));
    paths[template] =
      missing.length === 0
        ? item
        : {
            ...item,
            parameters: [
              ...(item.parameters ?? []),
              ...missing.map((name) => ({
                name,
                in: 'path',
                required: true,
                schema: name.endsWith('Id') && !external.includes(name) ? { type: 'string', format: 'uuid' } : { type: 'string' },
              })),
            ],
          };
  }
  return { ...document, paths };
}
