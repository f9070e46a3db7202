// The field names a zod schema allows at a path, so an unknown field can be answered with the nearest known one.

/** The part of a zod schema's definition this reads: wrappers, pipes, unions, arrays and objects. */
interface Node {
  _zod: { def: { type: string; innerType?: Node; in?: Node; out?: Node; options?: Node[]; element?: Node; shape?: Record<string, Node> } };
}

/** Field names of the object(s) at `path` (list indexes included) in `schema`; [] where it is not an object. */
export function knownFields(schema: unknown, path: readonly PropertyKey[]): string[] {
  const def = (schema as Node)._zod.def;
  const [key, ...rest] = path;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return knownFields(def.innerType, path);
    case 'pipe':
      return [...knownFields(def.in, path), ...knownFields(def.out, path)];
    case 'union':
      return [...new Set((def.options ?? []).flatMap((option) => knownFields(option, path)))];
    case 'array':
      return typeof key === 'number' ? knownFields(def.element, rest) : [];
    case 'object': {
      if (key === undefined) return Object.keys(def.shape ?? {});
      const next = def.shape?.[String(key)];
      return next ? knownFields(next, rest) : [];
    }
    default:
      return [];
  }
}
