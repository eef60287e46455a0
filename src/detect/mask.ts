// Replaces spans of a text by their redacted form, keeping one span (the finding's own secret) as it is.
import { redact } from '../secret.js';

/**
 * `text` with each of `spans` ([start, end) offsets, overlapping allowed) replaced by its redacted form,
 * except the part inside `keep`, which is left for the reporter to show or redact.
 */
export function maskSpans(text: string, spans: [number, number][], keep: [number, number]): string {
  const cut: [number, number][] = [];
  for (const [s, e] of spans) {
    const start = Math.max(0, s);
    const end = Math.min(text.length, e);
    if (end <= start) continue;
    if (start < keep[0]) cut.push([start, Math.min(end, keep[0])]);
    if (end > keep[1]) cut.push([Math.max(start, keep[1]), end]);
  }
  if (cut.length === 0) return text;
  cut.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of cut) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  let out = '';
  let at = 0;
  for (const [s, e] of merged) {
    out += text.slice(at, s) + redact(text.slice(s, e));
    at = e;
  }
  return out + text.slice(at);
}
