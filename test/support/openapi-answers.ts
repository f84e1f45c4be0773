/**
 * Checks recorded HTTP answers against an OpenAPI 3.1 document (its `$ref`s resolved, as
 * `@seriousme/openapi-schema-validator`'s `resolveRefs()` gives it): each answer must belong to a
 * documented operation (path templates matched, a literal path before a templated one), its status
 * must be documented for that operation (not only `default`), its media type too, and its body must
 * validate and hold no field the document does not declare. An event stream's events are checked
 * one by one against `ExecutionEvent`. Pure: no I/O, so it is unit-tested with made-up documents.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { createParser } from 'eventsource-parser';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin | undefined }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

type Json = Record<string, any>;

/** One answer as a recording proxy saw it. */
export interface RecordedAnswer {
  method: string;
  /** Path and query, as requested. */
  url: string;
  status: number;
  /** `content-type`, with its parameters; empty when there is none. */
  contentType: string;
  /** The body, decoded (so far, for a stream that has not ended). */
  body: string;
}

/** What {@link checkAnswers} found. */
export interface AnswersCheck {
  /** Each `METHOD /template status` answered at least once, sorted. */
  covered: string[];
  /** What does not match the document, one line each; empty when every answer does. */
  problems: string[];
}

/** Checks `answers` against `document` (resolved); `OPTIONS` (CORS preflights) are not API answers. */
export function checkAnswers(document: Json, answers: readonly RecordedAnswer[]): AnswersCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const covered = new Set<string>();
  const problems: string[] = [];
  const templates = Object.keys(document.paths ?? {}).sort(
    (a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0),
  );
  for (const answer of answers) {
    if (answer.method === 'OPTIONS') continue;
    const where = `${answer.method} ${answer.url} ${answer.status}`;
    const path = answer.url.split('?')[0]!;
    const template = templates.find((t) => templateMatches(t, path));
    const operation = template && document.paths[template][answer.method.toLowerCase()];
    if (!operation) {
      problems.push(`${where}: no documented operation`);
      continue;
    }
    const response = operation.responses?.[String(answer.status)];
    if (!response) {
      problems.push(`${where}: status not documented for ${answer.method} ${template}`);
      continue;
    }
    covered.add(`${answer.method} ${template} ${answer.status}`);
    const type = answer.contentType.split(';')[0]!.trim();
    if (!response.content) {
      if (answer.body !== '') problems.push(`${where}: a body where the document declares none`);
      continue;
    }
    const schema = response.content[type]?.schema;
    if (!schema) {
      problems.push(`${where}: ${type || 'no content type'} not documented`);
      continue;
    }
    const bodies = type === 'text/event-stream' ? streamData(answer.body) : [answer.body];
    const bodySchema = type === 'text/event-stream' ? document.components?.schemas?.ExecutionEvent : schema;
    for (const text of bodies) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`${where}: not JSON: ${text.slice(0, 80)}`);
        continue;
      }
      if (!ajv.validate(bodySchema, body))
        problems.push(`${where}: ${ajv.errorsText(ajv.errors)} in ${JSON.stringify(body).slice(0, 300)}`);
      const extra = undeclared(body, bodySchema);
      if (extra.length > 0)
        problems.push(`${where}: fields the document does not declare: ${extra.join(', ')}`);
    }
  }
  return { covered: [...covered].sort(), problems };
}

/** Whether `path` (as requested) is an instance of the path template `template`. */
export function templateMatches(template: string, path: string): boolean {
  const parts = template.split('/');
  const segments = path.split('/');
  return (
    parts.length === segments.length &&
    parts.every((part, i) => (/^\{[^}]+\}$/.test(part) ? segments[i] !== '' : part === segments[i]))
  );
}

/** The `data` of every complete event in an event stream's text. */
function streamData(text: string): string[] {
  const data: string[] = [];
  const parser = createParser({ onEvent: (event) => data.push(event.data) });
  parser.feed(text);
  return data;
}

/** Paths in `value` that `schema` (resolved) does not declare, following `properties`, `allOf`, `anyOf` and `items`. */
export function undeclared(value: unknown, schema: Json | undefined, at = ''): string[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value))
    return schema.items ? value.flatMap((item, i) => undeclared(item, schema.items, `${at}/${i}`)) : [];
  // A value declared by any one of the alternatives is declared.
  // (A `null` or scalar alternative cannot declare an object's fields, so it does not count.)
  const alternatives = ((schema.anyOf ?? schema.oneOf) as Json[] | undefined)?.filter(
    (part) => !['null', 'string', 'number', 'integer', 'boolean'].includes(part.type),
  );
  if (alternatives && alternatives.length > 0)
    return alternatives
      .map((part) => undeclared(value, part, at))
      .reduce((a, b) => (b.length < a.length ? b : a));
  const properties: Json = Object.assign(
    {},
    schema.properties,
    ...((schema.allOf ?? []) as Json[]).map((part) => part.properties ?? {}),
  );
  if (Object.keys(properties).length === 0) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key in properties ? undeclared(v, properties[key], `${at}/${key}`) : [`${at}/${key}`],
  );
}
