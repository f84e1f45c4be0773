/**
 * Types a function author uses in parameter declarations to ask for a particular form field.
 * They cost nothing at run time (each is a plain `number` or `string`); schema-gen recognises them by
 * name where they are declared in this package.
 *
 * @example
 * import type { Integer, Text, Secret } from 'turtle-shell';
 * export function send(count: Integer, body: Text, apiKey: Secret) { … }
 */

/** A whole number: `{ "type": "integer" }`. Same as JSDoc `@asType integer`. */
export type Integer = number & { readonly __turtleField?: 'integer' };

/** Long text, rendered as a textarea. Same as JSDoc `@widget textarea`. */
export type Text = string & { readonly __turtleField?: 'text' };

/** A secret, rendered as a password input and marked `writeOnly`. Same as JSDoc `@widget password`. */
export type Secret = string & { readonly __turtleField?: 'secret' };
