// The yaml library, loaded the first time a YAML file is read: most scans (a pre-commit hook on source files) never
// need it, and loading it costs about a tenth of a small scan's CPU. Same instance as `import 'yaml'` (its CommonJS
// build is what Node's ESM loader resolves too).
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { LineCounter, ParseOptions, Scalar, YAMLMap, YAMLSeq } from 'yaml';

const require = createRequire(import.meta.url);
let loaded: typeof Yaml | undefined;

function yaml(): typeof Yaml {
  return (loaded ??= require('yaml') as typeof Yaml);
}

/** Whether the library has been loaded (for the test that a scan without YAML files never loads it). */
export const yamlLoaded = (): boolean => loaded !== undefined;

export function isMap<K = unknown, V = unknown>(node: unknown): node is YAMLMap<K, V> {
  return yaml().isMap(node);
}

export function isSeq<T = unknown>(node: unknown): node is YAMLSeq<T> {
  return yaml().isSeq(node);
}

export function isScalar<T = unknown>(node: unknown): node is Scalar<T> {
  return yaml().isScalar(node);
}

export function newLineCounter(): LineCounter {
  return new (yaml().LineCounter)();
}

export const parseAllDocuments = ((text: string, options?: ParseOptions) => yaml().parseAllDocuments(text, options)) as typeof Yaml.parseAllDocuments;
