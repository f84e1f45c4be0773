/**
 * Maps TypeScript types to JSON Schema with typescript-json-schema (interfaces, aliases, arrays,
 * nested objects, unions, `Date`), driven on our one `ts.Program`'s checker, and corrects it where
 * it is wrong for a form:
 * - turtle-shell's `Integer`/`Text`/`Secret` are intersections with a brand (`number & {…}`); the
 *   library would emit an `allOf` with the brand object, so we map the plain primitive and mark it;
 * - enums and literal unions get `x-turtle-enum-labels` and keep declaration order (it sorts values
 *   and knows no labels), also when they admit `null`;
 * - `T | null` is T's schema with `"null"` last in `type` (see manifest/nullable.ts), not an `anyOf`;
 * - types no form can be made of (functions, symbols, type parameters, `any`, `bigint`, unions of
 *   unlike primitives such as `boolean | string`) are refused instead of becoming `{}`, `{ type: "object" }`
 *   or a JSON box; `Record<string, unknown>` is an object of any JSON values;
 * - our JSDoc tags (`@min`, `@max`, `@asType`, `@widget`) are applied on nested properties too;
 * - in parameters, a type's own JSDoc is not a field's description (only the property's is).
 */
import ts from 'typescript';
import { JsonSchemaGenerator, getDefaultArgs, type Definition } from 'typescript-json-schema';
import { SchemaKeyword, type Schema } from '../manifest/manifest.js';
import { withNull } from '../manifest/nullable.js';
import { labelOf } from './enum-labels.js';
import { fieldKindOf, fieldKindOfSymbol } from './field-type-symbols.js';
import { normaliseCopiedTags } from './schema-tags.js';
import { isPendingType } from './pending-type.js';

/** `params`: a form must be made of it; `returns`: only rendered, so `unknown`/`any` are fine. */
export type MappingMode = 'params' | 'returns';

/** A type (or a JSDoc tag on it) that cannot be mapped; `path` is where, below the parameter. */
export class TypeProblem extends Error {
  constructor(
    readonly kind: 'UnsupportedType' | 'InvalidTag',
    message: string,
    /** Property names from the parameter down to the problem. */
    readonly path: readonly string[],
    /** The offending type as TypeScript prints it. */
    readonly typeText: string,
  ) {
    super(message);
  }
}

/**
 * The private method of JsonSchemaGenerator we wrap; its signature in typescript-json-schema 0.68
 * (package.json's `^0.68.0` admits no other minor; check this when upgrading).
 */
type GetTypeDefinition = (
  typ: ts.Type,
  asRef?: boolean,
  unionModifier?: string,
  prop?: ts.Symbol,
  reffedType?: ts.Symbol,
  pairedSymbol?: ts.Symbol,
  forceNotRef?: boolean,
  ignoreUndefined?: boolean,
) => Definition;

interface GeneratorInternals {
  getTypeDefinition: GetTypeDefinition;
  resetSchemaSpecificProperties(includeAllOverrides?: boolean): void;
  recursiveTypeRef: Map<string, Definition>;
}

/** Maps one type at a time; build one per program (it caches nothing across programs). */
export class TypeSchemaMapper {
  private readonly generator: GeneratorInternals;
  private readonly original: GetTypeDefinition;
  private mode: MappingMode = 'params';
  private readonly path: string[] = [];

  constructor(private readonly checker: ts.TypeChecker) {
    const args = {
      ...getDefaultArgs(),
      ref: false, // inline everything: the manifest has no `definitions`
      required: true,
      // Copied verbatim into the schema; normaliseCopiedTags turns them into keywords.
      validationKeywords: ['min', 'max', 'asType', 'widget', 'filterable'],
    };
    // Built directly rather than with buildGenerator(), which walks every declaration of every file
    // (the DOM lib included) to index symbols by name — we map types, never look names up.
    const generator = new JsonSchemaGenerator([], {}, {}, {}, checker, args) as unknown as GeneratorInternals;
    this.generator = generator;
    this.original = generator.getTypeDefinition.bind(generator);
    // The library calls this.getTypeDefinition for every nested type, so this one hook sees them all.
    generator.getTypeDefinition = (typ, ...rest) => this.definitionOf(typ, ...rest);
  }

  /**
   * The schema of `type`. `symbol` is the type's alias or interface as written. In `params` mode a
   * description comes only from a property's own JSDoc, never from a type's. Throws {@link TypeProblem}.
   */
  map(type: ts.Type, mode: MappingMode, symbol?: ts.Symbol): Schema {
    this.mode = mode;
    this.path.length = 0;
    // A previous failed mapping may have left half-visited types behind, which would later look recursive.
    this.generator.resetSchemaSpecificProperties();
    this.generator.recursiveTypeRef = new Map();
    const schema = this.generator.getTypeDefinition(type, false, 'anyOf', undefined, symbol) as Schema;
    const ref = findRef(schema);
    if (ref)
      throw new TypeProblem(
        'UnsupportedType',
        'recursive types cannot be made into a form',
        [],
        this.text(type),
      );
    return schema;
  }

  /** Our hook around the library's getTypeDefinition. */
  private definitionOf(
    typ: ts.Type,
    ...rest: Parameters<GetTypeDefinition> extends [unknown, ...infer R] ? R : never
  ): Definition {
    // A waiting function returns `Result | Pending<State>`, and only the result is ever stored: the
    // union leaves the `Pending` member out, answered with the library's own marker for the
    // `undefined` members it leaves out (not in its typings).
    if (this.mode === 'returns' && rest[6] === true && isPendingType(typ))
      return { type: 'undefined' } as unknown as Definition;
    // The library takes the JSDoc of the referenced alias as the field's description; field-types.ts's
    // JSDoc documents Integer/Text/Secret for authors, it does not describe the user's field.
    if (rest[3] && fieldKindOfSymbol(rest[3])) rest[3] = undefined;
    if (rest[4] && fieldKindOfSymbol(rest[4])) rest[4] = undefined;
    // The library also passes a union member's alias symbol as `prop`; only real properties name a path step.
    const prop = rest[2] && rest[2].flags & ts.SymbolFlags.Property ? rest[2] : undefined;
    if (prop) this.path.push(prop.getName());
    try {
      const unsupported = this.unsupportedReason(typ, rest[6] === true);
      if (unsupported === 'empty') return {};
      if (unsupported) throw new TypeProblem('UnsupportedType', unsupported, [...this.path], this.text(typ));

      let definition: Definition;
      const kind = fieldKindOf(typ);
      const literals = kind ? undefined : enumLiterals(typ);
      if (kind) {
        const primitive = kind === 'integer' ? this.checker.getNumberType() : this.checker.getStringType();
        // Without the alias symbol: its JSDoc (field-types.ts's) is not the field's description.
        const [asRef, unionModifier, , reffed, , forceNotRef, ignoreUndefined] = rest;
        definition = this.original(
          primitive,
          asRef,
          unionModifier,
          prop,
          reffed,
          undefined,
          forceNotRef,
          ignoreUndefined,
        );
        if (kind === 'integer') definition.type = 'integer';
        else {
          (definition as Schema)[SchemaKeyword.widget] = kind === 'text' ? 'textarea' : 'password';
          if (kind === 'secret') definition.writeOnly = true;
        }
      } else if (literals) {
        definition = this.original(typ, ...rest);
        this.toEnum(definition, literals);
      } else {
        definition = this.original(typ, ...rest);
        mergeNull(definition);
        // The library leaves a mapped `Record<string, T>` as a bare `{ type: "object" }`: say what values it holds.
        const index =
          definition.type === 'object' &&
          !definition.properties &&
          definition.additionalProperties === undefined
            ? this.checker.getIndexInfoOfType(typ, ts.IndexKind.String)
            : undefined;
        if (index)
          definition.additionalProperties =
            index.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)
              ? {} // `Record<string, unknown>`: any JSON value (a JSON editor in the form)
              : this.generator.getTypeDefinition(index.type, false);
      }
      // A field's help is its own doc (the `@param` text is added by the caller); the JSDoc of its type
      // (`/** A colour. */ enum Colour`) documents the type, not what this field is for.
      if (this.mode === 'params' && !(prop && ownDoc(prop, this.checker))) delete definition.description;
      const problem = normaliseCopiedTags(definition as Record<string, unknown>);
      if (problem) throw new TypeProblem('InvalidTag', problem, [...this.path], this.text(typ));
      return definition;
    } finally {
      if (prop) this.path.pop();
    }
  }

  /** Why `typ` cannot be mapped, `'empty'` when it maps to `{}` (anything, in a return), or undefined. */
  private unsupportedReason(typ: ts.Type, insideUnion: boolean): string | undefined {
    const f = typ.flags;
    const returns = this.mode === 'returns';
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))
      return returns
        ? 'empty'
        : 'a form cannot be made for `any`/`unknown`; give the parameter a concrete type';
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) {
      // The library skips `undefined` members of unions itself (optional properties).
      if (insideUnion) return undefined;
      return returns ? 'empty' : 'a form field cannot be `undefined`/`void`';
    }
    if (f & ts.TypeFlags.Never) return returns ? 'empty' : 'a form field cannot be `never`';
    if (f & ts.TypeFlags.ESSymbolLike) return 'symbols cannot be sent as JSON';
    if (f & ts.TypeFlags.BigIntLike) return 'bigint cannot be sent as JSON';
    if (f & ts.TypeFlags.TypeParameter)
      return 'an unresolved generic type cannot be made into a form; use a concrete type';
    if (!returns && typ.isUnion() && !enumLiterals(typ)) {
      const kinds = primitiveKinds(typ);
      if (kinds.length > 1)
        return `a form field cannot be either ${kinds.map((k) => `a ${k}`).join(' or ')}: it needs one type. Use one (a string the function parses, or a string enum of the allowed values), or split it into two parameters`;
    }
    if (f & ts.TypeFlags.Object) {
      if (
        this.checker.getSignaturesOfType(typ, ts.SignatureKind.Call).length ||
        this.checker.getSignaturesOfType(typ, ts.SignatureKind.Construct).length
      ) {
        return 'functions cannot be sent as JSON';
      }
    }
    return undefined;
  }

  /** Rewrites the library's sorted `enum`/`const` (or its `anyOf` with `null`) into declaration order with labels. */
  private toEnum(definition: Definition, { members, nullable }: EnumLiterals): void {
    const values: (string | number)[] = [];
    const labels: string[] = [];
    for (const literal of members) {
      const value = literal.value as string | number;
      if (values.includes(value)) continue;
      values.push(value);
      labels.push(labelOf(literal, this.checker));
    }
    delete definition.const;
    delete definition.anyOf;
    const types = [...new Set(values.map((v) => typeof v))];
    definition.type = types.length === 1 ? (types[0] as 'string' | 'number') : ['string', 'number'];
    definition.enum = values;
    // `Colour | null`: null is a value too, after the labelled ones (see manifest/nullable.ts).
    if (nullable) {
      definition.type = withNull(definition.type);
      definition.enum = [...values, null];
    }
    (definition as Schema)[SchemaKeyword.enumLabels] = labels;
  }

  private text(typ: ts.Type): string {
    return this.checker.typeToString(typ, undefined, ts.TypeFormatFlags.NoTruncation);
  }
}

/** The different JSON primitives (`string`, `number`, `boolean`) among a union's members, in that order. */
function primitiveKinds(union: ts.UnionType): string[] {
  const found = new Set<string>();
  for (const member of union.types) {
    const field = fieldKindOf(member);
    const f = member.flags;
    if (field === 'integer' || f & ts.TypeFlags.NumberLike) found.add('number');
    else if (field || f & ts.TypeFlags.StringLike) found.add('string');
    else if (f & ts.TypeFlags.BooleanLike) found.add('boolean');
  }
  return ['string', 'number', 'boolean'].filter((k) => found.has(k));
}

/** The literal members of an enum-like type, and whether it also admits `null`. */
interface EnumLiterals {
  members: ts.LiteralType[];
  nullable: boolean;
}

/**
 * The string/number literal members of an enum or a literal union (ignoring `undefined`, which only
 * says the field is optional, and noting `null`), or undefined when `typ` is not one. Booleans
 * (`true | false`) are not.
 */
function enumLiterals(typ: ts.Type): EnumLiterals | undefined {
  const all = typ.isUnion() ? typ.types : [typ];
  const nullable = all.some((t) => t.flags & ts.TypeFlags.Null);
  const members = all.filter(
    (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Null)),
  );
  if (!members.length) return undefined;
  if (!members.every((t) => t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral)))
    return undefined;
  // A single literal that is not an enum member is a constant (`kind: 'circle'`): the library's `const` is right.
  if (members.length === 1 && !(members[0]!.flags & ts.TypeFlags.EnumLiteral)) return undefined;
  return { members: members as ts.LiteralType[], nullable };
}

/**
 * `T | null` reads as T's own schema with `"null"` last in its `type` (manifest/nullable.ts), not as
 * the library's `anyOf` or `["null", …]`, so that a form sees a T that may be left empty.
 */
function mergeNull(definition: Definition): void {
  const alternatives = definition.anyOf;
  if (alternatives?.length === 2) {
    const nullAt = alternatives.findIndex(
      (a) => typeof a === 'object' && a.type === 'null' && Object.keys(a).length === 1,
    );
    const other = alternatives[1 - nullAt];
    // Only a typed schema takes the null into its `type`; an `enum`/`const` would still refuse it.
    if (
      nullAt >= 0 &&
      typeof other === 'object' &&
      other.type !== undefined &&
      other.enum === undefined &&
      other.const === undefined
    ) {
      delete definition.anyOf;
      Object.assign(definition, { ...other, ...definition, type: withNull(other.type) });
    }
  }
  if (Array.isArray(definition.type) && definition.type.includes('null'))
    definition.type = withNull(definition.type);
}

/** The text of a property's own JSDoc comment, `''` when it has none. */
function ownDoc(prop: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(prop.getDocumentationComment(checker)).trim();
}

/** The first `$ref` anywhere in a schema (left only by recursive types, since we inline everything). */
function findRef(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const ref = findRef(item);
      if (ref) return ref;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') return item;
    const ref = findRef(item);
    if (ref) return ref;
  }
  return undefined;
}
