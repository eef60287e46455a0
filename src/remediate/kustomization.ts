// Adds a file to a kustomization.yaml's `resources:`, touching only the lines it must (comments stay).
import { isSeq, isScalar, parseDocument } from 'yaml';
import { columnOf, lineEndAfter } from './gitops.js';

/**
 * `text` with `file` appended to `resources:` (a new `resources:` block when there is none); unchanged when it is
 * listed already. Block sequences get one new line in the style of the last item; flow ones re-serialise the document.
 */
export function addResource(text: string, file: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const resources = doc.get('resources', true);
  if (resources === undefined || resources === null) {
    return `${text}${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}resources:\n  - ${file}\n`;
  }
  if (!isSeq(resources)) throw new Error('resources: is not a list');
  if (resources.items.some((i) => isScalar(i) && i.value === file)) return text;
  const last = resources.items.at(-1);
  if (!resources.flow && isScalar(last) && last.range) {
    const start = last.range[0];
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const prefix = text.slice(lineStart, lineStart + columnOf(text, start));
    const at = lineEndAfter(text, last.range[1]);
    return `${text.slice(0, at)}${at > 0 && !text.slice(0, at).endsWith('\n') ? '\n' : ''}${prefix}${file}\n${text.slice(at)}`;
  }
  resources.add(doc.createNode(file));
  return doc.toString();
}
