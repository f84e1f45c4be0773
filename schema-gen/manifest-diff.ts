/**
 * A readable summary of how a manifest on disk differs from a freshly generated one, for
 * `turtle schema --check`: functions added/removed, and per function what changed (mode, params
 * added/removed/changed, required, returns…), then changed source files.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Manifest, ManifestFunction } from '../manifest/manifest.js';

/** One line per difference, empty when `onDisk` equals `fresh`. */
export function diffManifests(onDisk: unknown, fresh: Manifest): string[] {
  if (!isRecord(onDisk) || !isRecord(onDisk.functions)) return ['the file is not a turtle-shell manifest'];
  const lines: string[] = [];
  if (onDisk.version !== fresh.version)
    lines.push(`version: ${JSON.stringify(onDisk.version)} → ${fresh.version}`);
  const old = onDisk.functions;
  for (const name of Object.keys(fresh.functions))
    if (!(name in old)) lines.push(`+ function ${name} (added)`);
  for (const name of Object.keys(old))
    if (!(name in fresh.functions)) lines.push(`- function ${name} (removed)`);
  for (const [name, fn] of Object.entries(fresh.functions)) {
    if (!(name in old) || isDeepStrictEqual(old[name], fn)) continue;
    lines.push(`~ function ${name}:`);
    lines.push(...diffFunction(old[name], fn).map((line) => `    ${line}`));
  }
  const oldSources = isRecord(onDisk.sources) ? onDisk.sources : {};
  for (const file of Object.keys(fresh.sources)) {
    if (!(file in oldSources)) lines.push(`+ source ${file}`);
    else if (oldSources[file] !== fresh.sources[file]) lines.push(`~ source ${file} (content changed)`);
  }
  for (const file of Object.keys(oldSources)) if (!(file in fresh.sources)) lines.push(`- source ${file}`);
  if (!lines.length && !isDeepStrictEqual(onDisk, fresh)) lines.push('formatting or key order differs');
  return lines;
}

function diffFunction(oldValue: unknown, fresh: ManifestFunction): string[] {
  if (!isRecord(oldValue)) return ['not a function entry on disk'];
  const lines: string[] = [];
  for (const key of ['functionName', 'mode', 'title', 'description', 'call', 'source'] as const) {
    if (!isDeepStrictEqual(oldValue[key], fresh[key]))
      lines.push(`${key}: ${show(oldValue[key])} → ${show(fresh[key])}`);
  }
  const oldParams = isRecord(oldValue.params) ? oldValue.params : {};
  const oldProps = isRecord(oldParams.properties) ? oldParams.properties : {};
  const freshProps = fresh.params.properties;
  for (const name of Object.keys(freshProps))
    if (!(name in oldProps)) lines.push(`+ param ${name}: ${show(freshProps[name])}`);
  for (const name of Object.keys(oldProps)) if (!(name in freshProps)) lines.push(`- param ${name}`);
  for (const [name, schema] of Object.entries(freshProps)) {
    if (name in oldProps && !isDeepStrictEqual(oldProps[name], schema))
      lines.push(`~ param ${name}: ${changedKeys(oldProps[name], schema)}`);
  }
  if (
    !isDeepStrictEqual(Object.keys(oldProps), Object.keys(freshProps)) &&
    lines.every((l) => !/^[+-] param/.test(l))
  ) {
    lines.push(`param order: ${Object.keys(oldProps).join(', ')} → ${Object.keys(freshProps).join(', ')}`);
  }
  if (!isDeepStrictEqual(oldParams.required, fresh.params.required))
    lines.push(`required: ${show(oldParams.required ?? [])} → ${show(fresh.params.required ?? [])}`);
  const { properties: _p, required: _r, ...freshRest } = fresh.params;
  const { properties: _op, required: _or, ...oldRest } = oldParams;
  if (!isDeepStrictEqual(oldRest, freshRest)) lines.push(`params: ${show(oldRest)} → ${show(freshRest)}`);
  if (!isDeepStrictEqual(oldValue.returns, fresh.returns))
    lines.push(`returns: ${changedKeys(oldValue.returns, fresh.returns)}`);
  return lines;
}

/** `key: old → new` for each top-level keyword that differs between two schemas. */
function changedKeys(oldValue: unknown, fresh: unknown): string {
  if (!isRecord(oldValue) || !isRecord(fresh)) return `${show(oldValue)} → ${show(fresh)}`;
  const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(fresh)])];
  return (
    keys
      .filter((k) => !isDeepStrictEqual(oldValue[k], fresh[k]))
      .map((k) => `${k}: ${show(oldValue[k])} → ${show(fresh[k])}`)
      .join('; ') || 'key order differs'
  );
}

function show(value: unknown): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
