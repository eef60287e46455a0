// One name everywhere: every field of the JSON report schema is documented in docs/json-report.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  items?: SchemaNode;
}

function fieldNames(node: SchemaNode, out = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    out.add(name);
    fieldNames(child, out);
  }
  for (const child of [...Object.values(node.definitions ?? {}), ...(node.oneOf ?? []), ...(node.items ? [node.items] : [])]) {
    fieldNames(child, out);
  }
  return out;
}

describe('docs/json-report.md', () => {
  it('documents every field of docs/json-report.schema.json', () => {
    const schema = JSON.parse(readFileSync(new URL('../../docs/json-report.schema.json', import.meta.url), 'utf8')) as SchemaNode;
    const doc = readFileSync(new URL('../../docs/json-report.md', import.meta.url), 'utf8');
    const names = [...fieldNames(schema)];
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
