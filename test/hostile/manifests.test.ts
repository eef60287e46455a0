// Hostile manifests: YAML alias bombs and 10,000-level nesting are handled in bounded time; a Secret with bad base64 is still scanned.
import { afterAll, describe, expect, it } from 'vitest';
import { goodLine, group, notes, removeGroups, scanJson, where } from './harness.js';

afterAll(removeGroups);

/** Billion laughs: nine levels of nine aliases each, 9^9 strings if anything expanded them. */
function aliasBomb(): string {
  const lines = ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefghi';
  for (let i = 1; i < names.length; i++) lines.push(`  ${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${lines.join('\n')}\n  token: ${goodLine('bomb').slice(5, -2)}\n`;
}

describe('hostile manifests', () => {
  it('a billion-laughs alias bomb is never expanded: scanned quickly, its secret found', async () => {
    const dir = group('bomb', { 'bomb.yaml': aliasBomb() });
    const r = await scanJson(dir);
    expect(where(r.report)).toEqual(['bomb.yaml:15:10 fake-token', 'good.ts:1:6 fake-token']);
    expect(r.report.notes).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('10,000 levels of nesting (flow and block): named, scanned as plain text, the secret still found', async () => {
    const flow = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n  t: "${goodLine('flow').slice(5, -2)}"\n`;
    const block = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x:\n    ${'- '.repeat(10_000)}"${goodLine('block').slice(5, -2)}"\n`;
    const dir = group('deep', { 'flow.yaml': flow, 'block.yaml': block });
    const r = await scanJson(dir);
    expect(where(r.report)).toEqual(['block.yaml:6:20006 fake-token', 'flow.yaml:6:7 fake-token', 'good.ts:1:6 fake-token']);
    // Where the parser's stack runs out depends on the engine: the column is not asserted.
    expect(r.report.notes.map((n) => n.input)).toEqual(['block.yaml', 'flow.yaml']);
    for (const n of notes(r.report)) expect(n).toMatch(/^warning \w+\.yaml: malformed YAML \(line [56], column \d+: nested too deeply to parse\): scanned as plain text$/);
    expect(r.code).toBe(1);
  });

  it('a Kubernetes Secret with invalid base64: a note names the key and line; every value is still scanned', async () => {
    const encoded = Buffer.from(goodLine('k8s').slice(5, -2)).toString('base64');
    const dir = group('secret', { 'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  broken: "!!!not base64@@@"\n  token: ${encoded}\n` });
    const r = await scanJson(dir);
    expect(where(r.report)).toEqual(['good.ts:1:6 fake-token', 'secret.yaml:7:10 fake-token']);
    expect(notes(r.report)).toEqual(['warning secret.yaml: line 6: k8s.secret.data value of "broken" is not valid base64: scanned as plain text']);
    expect(r.code).toBe(1);
  });
});
