/**
 * Reads a registered function's JSDoc: its summary (the function's `description`), `@param` texts
 * (each property's `description`, `@param p.field` for fields of an object parameter), `@returns`,
 * and the schema tags (`@min count 1`) that name a parameter.
 */
import ts from 'typescript';
import { isSchemaTag, type SchemaTag } from './schema-tags.js';

/** A schema tag found in JSDoc, with the node to blame when its value is unusable. */
export interface FoundTag {
  tag: SchemaTag;
  value: string;
  node: ts.Node;
}

/** What the function's JSDoc says. */
export interface FunctionDocs {
  /** The summary, trimmed; undefined when there is none. */
  description?: string;
  /** `@returns` text. */
  returns?: string;
  /** `@param` texts by name (`p.field` kept dotted). */
  params: Map<string, string>;
  /** Function-level schema tags by parameter name (`p.field` kept dotted). */
  tags: Map<string, FoundTag[]>;
}

/** Reads the JSDoc of `fn` (for an arrow function, the JSDoc of its `const` statement). */
export function readFunctionDocs(
  fn: ts.SignatureDeclaration,
  declaration: ts.Node,
  checker: ts.TypeChecker,
): FunctionDocs {
  const docs: FunctionDocs = { params: new Map(), tags: new Map() };
  const name =
    ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration)
      ? declaration.name
      : undefined;
  const symbol = name && checker.getSymbolAtLocation(name);
  const summary = symbol && ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  if (summary) docs.description = summary;
  for (const tag of ts.getJSDocTags(fn)) {
    const text = commentText(tag.comment);
    if (ts.isJSDocParameterTag(tag)) {
      if (text) docs.params.set(entityName(tag.name), text);
    } else if (ts.isJSDocReturnTag(tag)) {
      if (text) docs.returns = text;
    } else if (isSchemaTag(tag.tagName.text)) {
      // `@filterable reportId` names a parameter and nothing else; the other tags also take a value.
      const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text);
      if (!match || (match[2] === undefined && tag.tagName.text !== 'filterable')) continue; // belongs to no field here
      const list = docs.tags.get(match[1]!) ?? [];
      list.push({ tag: tag.tagName.text, value: (match[2] ?? '').trim(), node: tag });
      docs.tags.set(match[1]!, list);
    }
  }
  return docs;
}

/** Schema tags written in a JSDoc comment on the parameter itself: `(/** @min 1 *\/ count: number)`. */
export function readOwnTags(param: ts.ParameterDeclaration): FoundTag[] {
  const found: FoundTag[] = [];
  for (const doc of ts.getJSDocCommentsAndTags(param)) {
    // getJSDocCommentsAndTags also yields the function's @param tags; own comments are JSDoc nodes.
    if (!ts.isJSDoc(doc) || doc.parent !== param) continue;
    for (const tag of doc.tags ?? []) {
      if (isSchemaTag(tag.tagName.text))
        found.push({ tag: tag.tagName.text, value: commentText(tag.comment), node: tag });
    }
  }
  return found;
}

/** The summary of a JSDoc comment attached to the parameter itself. */
export function readOwnDescription(param: ts.ParameterDeclaration): string | undefined {
  for (const doc of ts.getJSDocCommentsAndTags(param)) {
    if (ts.isJSDoc(doc) && doc.parent === param) {
      const text = commentText(doc.comment);
      if (text) return text;
    }
  }
  return undefined;
}

function commentText(comment: string | ts.NodeArray<ts.JSDocComment> | undefined): string {
  // `@param x - text` is a common style; the dash is punctuation, not content.
  return (ts.getTextOfJSDocComment(comment) ?? '').trim().replace(/^-\s+/, '');
}

function entityName(name: ts.EntityName): string {
  return ts.isIdentifier(name) ? name.text : `${entityName(name.left)}.${name.right.text}`;
}
