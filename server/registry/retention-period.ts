/** Retention periods as written in options and settings: `90d`, `12h`, `30m`, or `forever`. */

/** How long finished executions are kept, in ms; `null`: for ever. */
export type RetentionMs = number | null;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The period `text` names, or undefined when it names none. */
export function retentionMs(text: string): RetentionMs | undefined {
  if (text.trim() === 'forever') return null;
  const match = /^\s*(\d+)\s*([mhd])\s*$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : 0;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
