// Every rendering the report area offers, by golden-folder name and file extension.
import { renderAnnotations, renderJobSummary } from '../../src/report/github.js';
import { reporters } from '../../src/report/index.js';
import type { Reporter } from '../../src/types.js';

export interface Rendering {
  name: string;
  ext: string;
  render: Reporter;
}

export const RENDERINGS: Rendering[] = [
  { name: 'sarif', ext: 'sarif', render: reporters.sarif },
  { name: 'json', ext: 'json', render: reporters.json },
  { name: 'text', ext: 'txt', render: reporters.text },
  { name: 'github-summary', ext: 'md', render: renderJobSummary },
  { name: 'github-annotations', ext: 'txt', render: renderAnnotations },
];
