/**
 * Functions on the wire: what `GET /api/functions` (as `{ items }`), `GET /api/functions/:name` and
 * `GET /api/functions/:name/versions/:version` answer. Part of the versioned JSON API contract.
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

/**
 * One recorded version of a function (`GET /api/functions/:name/versions/:version`): the function as
 * it was when runs recorded this `version` (their `functionVersion`), to show them with the labels
 * and types they ran with.
 */
export interface FunctionVersionInfo extends FunctionInfo {
  /** The SHA-256 (hex) of the manifest entry (without `source`) as canonical JSON. */
  version: string;
  /** When a server first bound this version. */
  firstSeenAt: string;
  /** Whether it is the version the server runs now. */
  current: boolean;
}
