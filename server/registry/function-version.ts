/**
 * The version of a function: a content hash of its manifest entry, so the same entry gives the same
 * version in every process, on every machine, whatever order its keys were written in.
 */
import crypto from 'node:crypto';
import { canonicalJson } from '../../manifest/canonical-json.js';
import type { ManifestFunction } from '../../manifest/manifest.js';

/** A function's manifest entry as a version records it: all of it but `source`. */
export type VersionedEntry = Omit<ManifestFunction, 'source'>;

/**
 * The entry a version is the hash of: the bound entry (with the `title` and `widgets` options
 * applied) without `source`, which says where the function is written, not what it takes or
 * returns (moving it in its file makes no new version).
 */
export function versionedEntry(entry: ManifestFunction): VersionedEntry {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => key !== 'source')) as VersionedEntry;
}

/**
 * The version of `entry`: the SHA-256 (hex, 64 characters) of its {@link versionedEntry} as
 * canonical JSON (`manifest/canonical-json.ts`: keys sorted, no whitespace).
 * @example functionVersion(manifest.functions.resend) // → 'a3f1…' (64 hex digits)
 */
export function functionVersion(entry: ManifestFunction): string {
  let version = computed.get(entry);
  if (version === undefined) {
    version = crypto
      .createHash('sha256')
      .update(canonicalJson(versionedEntry(entry)))
      .digest('hex');
    computed.set(entry, version);
  }
  return version;
}

/** Entries are not changed once bound: each is hashed once. */
const computed = new WeakMap<ManifestFunction, string>();
