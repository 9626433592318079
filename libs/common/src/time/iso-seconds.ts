/** ISO-8601 UTC to the second, as the guide prints dates: `2026-04-23T17:15:00Z`. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
