/**
 * The version of the JSON API contract (`api/`). Bump it when a change to these shapes could break
 * a client that was written against the previous one; adding an optional field does not.
 */

/** The JSON API's version; the OpenAPI document's `info.version` by default. */
export const API_VERSION = '1';
