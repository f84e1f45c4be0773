/**
 * GraphQL names from manifest names. GraphQL allows only `[_A-Za-z][_0-9A-Za-z]*` and reserves a
 * leading `__`, while function, parameter and property names may hold any character. Each name is
 * made safe the same way every time (so the SDL is deterministic); two manifest names that become
 * the same GraphQL name are a start-up error naming both, never a silent overwrite.
 */
import { TurtleError } from '../errors.js';

/** Two manifest names map to one GraphQL name: `details` names the functions (and what clashed). */
export class GraphQLNameCollision extends TurtleError {
  override readonly type = 'GraphQLNameCollision';
  constructor(name: string, owners: readonly string[]) {
    super(
      `Two things would be named ${JSON.stringify(name)} in the GraphQL schema: ${owners.join(' and ')}. Rename one of the functions or parameters`,
      { name, owners: [...owners] },
    );
  }
}

/** `raw` as a GraphQL name: other characters become `_`, a leading digit or `__` gets a prefix. */
export function graphqlName(raw: string): string {
  let name = raw.replace(/[^_0-9A-Za-z]/g, '_');
  if (name === '' || /^[0-9]/.test(name)) name = `_${name}`;
  if (name.startsWith('__')) name = `x${name}`;
  return name;
}

/** `raw` as the start of a type name: `flowcell_type` → `FlowcellType`, `deidentify` → `Deidentify`. */
export function typeNamePart(raw: string): string {
  const words = graphqlName(raw).split('_').filter(Boolean);
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `T${joined}`;
}

/** Hands out names once: a second claim of a name by another owner throws {@link GraphQLNameCollision}. */
export class NameRegistry {
  readonly #owners = new Map<string, string>();

  /** Claims `name` for `owner` (a readable description, e.g. `function "deidentify"`); returns `name`. */
  claim(name: string, owner: string): string {
    const previous = this.#owners.get(name);
    if (previous !== undefined) throw new GraphQLNameCollision(name, [previous, owner]);
    this.#owners.set(name, owner);
    return name;
  }
}
