/**
 * Maps TypeScript types to JSON Schema with typescript-json-schema (interfaces, aliases, arrays,
 * nested objects, unions, `Date`), driven on our one `ts.Program`'s checker, and corrects it where
 * it is wrong for a form:
 * - turtle-shell's `Integer`/`Text`/`Secret` are intersections with a brand (`number & {…}`); the
 *   library would emit an `allOf` with the brand object, so we map the plain primitive and mark it;
 * - enums and literal unions get `x-turtle-enum-labels` and keep declaration order (it sorts values
 *   and knows no labels);
 * - types no form can be made of (functions, symbols, type parameters, `any`, `bigint`) are
 *   refused instead of becoming `{}` or `{ type: "object" }`;
 * - our JSDoc tags (`@min`, `@max`, `@asType`, `@widget`) are applied on nested properties too.
 */
import ts from 'typescript';
import { JsonSchemaGenerator, getDefaultArgs, type Definition } from 'typescript-json-schema';
import { SchemaKeyword, type Schema } from '../manifest/manifest.js';
import { labelOf } from './enum-labels.js';
import { fieldKindOf, fieldKindOfSymbol } from './field-type-symbols.js';
import { normaliseCopiedTags } from './schema-tags.js';

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
  typ: ts.Type, asRef?: boolean, unionModifier?: string, prop?: ts.Symbol, reffedType?: ts.Symbol,
  pairedSymbol?: ts.Symbol, forceNotRef?: boolean, ignoreUndefined?: boolean,
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
      validationKeywords: ['min', 'max', 'asType', 'widget'],
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
   * The schema of `type`. `symbol` (the type's alias or interface, as written) lends its JSDoc as
   * description. Throws {@link TypeProblem}.
   */
  map(type: ts.Type, mode: MappingMode, symbol?: ts.Symbol): Schema {
    this.mode = mode;
    this.path.length = 0;
    // A previous failed mapping may have left half-visited types behind, which would later look recursive.
    this.generator.resetSchemaSpecificProperties();
    this.generator.recursiveTypeRef = new Map();
    const schema = this.generator.getTypeDefinition(type, false, 'anyOf', undefined, symbol) as Schema;
    const ref = findRef(schema);
    if (ref) throw new TypeProblem('UnsupportedType', 'recursive types cannot be made into a form', [], this.text(type));
    return schema;
  }

  /** Our hook around the library's getTypeDefinition. */
  private definitionOf(typ: ts.Type, ...rest: Parameters<GetTypeDefinition> extends [unknown, ...infer R] ? R : never): Definition {
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
        definition = this.original(primitive, asRef, unionModifier, prop, reffed, undefined, forceNotRef, ignoreUndefined);
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
        // The library leaves a mapped `Record<string, T>` as a bare `{ type: "object" }`: say what values it holds.
        const index = definition.type === 'object' && !definition.properties && definition.additionalProperties === undefined
          ? this.checker.getIndexInfoOfType(typ, ts.IndexKind.String) : undefined;
        if (index) definition.additionalProperties = this.generator.getTypeDefinition(index.type, false);
      }
      const problem = normaliseCopiedTags(definition as Record<string, unknown>);
      if (problem) throw new TypeProblem('InvalidTag', problem, [...this.path], this.text(typ));
      return definition;
    } finally {
      if (prop) this.path.pop();
    }
  }

  /** Why `typ` cannot be mapped, `'empty'` when it maps to `{}` (anything, in a return), or undefined. */
  private unsupportedReason(typ: ts.Type, insideUnion: boolean): string | 'empty' | undefined {
    const f = typ.flags;
    const returns = this.mode === 'returns';
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return returns ? 'empty' : 'a form cannot be made for `any`/`unknown`; give the parameter a concrete type';
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) {
      // The library skips `undefined` members of unions itself (optional properties).
      if (insideUnion) return undefined;
      return returns ? 'empty' : 'a form field cannot be `undefined`/`void`';
    }
    if (f & ts.TypeFlags.Never) return returns ? 'empty' : 'a form field cannot be `never`';
    if (f & ts.TypeFlags.ESSymbolLike) return 'symbols cannot be sent as JSON';
    if (f & ts.TypeFlags.BigIntLike) return 'bigint cannot be sent as JSON';
    if (f & ts.TypeFlags.TypeParameter) return 'an unresolved generic type cannot be made into a form; use a concrete type';
    if (f & ts.TypeFlags.Object) {
      if (this.checker.getSignaturesOfType(typ, ts.SignatureKind.Call).length || this.checker.getSignaturesOfType(typ, ts.SignatureKind.Construct).length) {
        return 'functions cannot be sent as JSON';
      }
    }
    return undefined;
  }

  /** Rewrites the library's sorted `enum`/`const` into declaration order with labels. */
  private toEnum(definition: Definition, literals: ts.LiteralType[]): void {
    const values: (string | number)[] = [];
    const labels: string[] = [];
    for (const literal of literals) {
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
    (definition as Schema)[SchemaKeyword.enumLabels] = labels;
  }

  private text(typ: ts.Type): string {
    return this.checker.typeToString(typ, undefined, ts.TypeFormatFlags.NoTruncation);
  }
}

/**
 * The string/number literal members of an enum or a literal union (ignoring `undefined`, which only
 * says the field is optional), or undefined when `typ` is not one. Booleans (`true | false`) are not.
 */
function enumLiterals(typ: ts.Type): ts.LiteralType[] | undefined {
  const members = (typ.isUnion() ? typ.types : [typ]).filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
  if (!members.length) return undefined;
  if (!members.every((t) => t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral))) return undefined;
  // A single literal that is not an enum member is a constant (`kind: 'circle'`): the library's `const` is right.
  if (members.length === 1 && !(members[0]!.flags & ts.TypeFlags.EnumLiteral)) return undefined;
  return members as ts.LiteralType[];
}

/** The first `$ref` anywhere in a schema (left only by recursive types, since we inline everything). */
function findRef(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) { const ref = findRef(item); if (ref) return ref; }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') return item;
    const ref = findRef(item);
    if (ref) return ref;
  }
  return undefined;
}
