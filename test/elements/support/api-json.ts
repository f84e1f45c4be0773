/**
 * JSON the API accepts as an input: a number written as an integer literal must be a safe integer
 * (the server refuses `-9007199254740992` rather than store a value that JSON readers round; see the
 * README's "numbers in request bodies"). Generated inputs are kept within it.
 */
export function acceptedByTheApi(value: unknown): boolean {
  if (typeof value === 'number') return !/^-?\d+$/.test(JSON.stringify(value)) || Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.every(acceptedByTheApi);
  if (value !== null && typeof value === 'object') return Object.values(value).every(acceptedByTheApi);
  return true;
}
