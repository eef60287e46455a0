// Finds the name a secret is assigned to at the leak site: `API_KEY=`, `"token": `, `password:` and the like.
import RE2 from 're2';

// Name, optional closing quote or bracket, an assignment operator, then an optional opening quote, at the end.
const ASSIGNMENT = new RE2(String.raw`([A-Za-z_][A-Za-z0-9_.\-]*)["'\]]?\s*(?::=|=>|=|:|\s)\s*["'\x60]?$`);
const MAX_PREFIX = 160;
// Words that precede a value without naming it (`ENV NAME value` names NAME; `Bearer <token>` names nothing).
const NOT_NAMES = new Set(['env', 'arg', 'export', 'set', 'const', 'let', 'var', 'label', 'bearer', 'basic', 'token']);

/** The identifier just before `offset` on its line, if the text there reads like an assignment. */
export function identifierBefore(linePrefix: string): string | undefined {
  const prefix = linePrefix.length > MAX_PREFIX ? linePrefix.slice(-MAX_PREFIX) : linePrefix;
  const m = ASSIGNMENT.exec(prefix);
  const name = m?.[1];
  if (!name || NOT_NAMES.has(name.toLowerCase())) return undefined;
  return name;
}
