// The built-in filter for values that only look like secrets: placeholders, templates and references.

const PLACEHOLDER_MARKERS = [
  'example', 'changeme', 'change_me', 'placeholder', 'your_', 'your-', '<your', 'redacted', 'dummy',
  'xxxx', '****', '${', '{{', '$(', '%(', 'process.env', 'os.environ', 'os.getenv', 'secretkeyref',
];

/** True when `secret` is a placeholder, a template or variable reference, or too uniform to be a key. */
export function isPlaceholder(secret: string): boolean {
  const lower = secret.toLowerCase();
  if (PLACEHOLDER_MARKERS.some((m) => lower.includes(m))) return true;
  if (secret.length > 2 && secret.startsWith('<') && secret.endsWith('>')) return true;
  return new Set(lower).size < 4;
}
