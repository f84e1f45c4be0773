/**
 * Functions on the wire: what `GET /api/functions` (as `{ items }`) and `GET /api/functions/:name`
 * answer. Part of the versioned JSON API contract.
 */
import type { ManifestFunction } from '../manifest/manifest.js';

/** A registered function as the API describes it: its manifest entry without source paths. */
export interface FunctionInfo {
  name: string;
  mode: ManifestFunction['mode'];
  title?: string;
  description?: string;
  /** An object schema: one property per input field. */
  params: ManifestFunction['params'];
  /** The schema of the result; `{}` when the function says nothing about it. */
  returns: ManifestFunction['returns'];
}
