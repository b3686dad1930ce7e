// Small text helpers shared by the payload formats: receivers refuse over-long fields.

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** An ISO 8601 time for a payload. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
