// Every rendering of every case against its golden file; UPDATE_GOLDEN=1 rewrites them on purpose.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileUri } from '../../src/report/uri.js';
import { ROOT, reportCases } from './cases.js';
import { RENDERINGS } from './renderings.js';
import { jsonReportErrors, sarifErrors } from './schemas.js';

const GOLDEN = fileURLToPath(new URL('../../fixtures/report/golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

/** Absolute paths of this checkout become /ROOT, so goldens are the same on every machine. */
function normalise(text: string): string {
  return text.replaceAll(fileUri(ROOT, true), 'file:///ROOT/').replaceAll(ROOT, '/ROOT');
}

describe('golden reports', () => {
  for (const rendering of RENDERINGS) {
    for (const c of reportCases()) {
      it(`${rendering.name} / ${c.name}`, () => {
        const file = `${GOLDEN}${rendering.name}/${c.name}.${rendering.ext}`;
        const actual = normalise(rendering.render(c.findings, c.ctx));
        if (update) {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, actual);
        }
        expect(actual).toBe(readFileSync(file, 'utf8'));
        if (rendering.name === 'sarif') expect(sarifErrors(JSON.parse(actual))).toEqual([]);
        if (rendering.name === 'json') expect(jsonReportErrors(JSON.parse(actual))).toEqual([]);
      });
    }
  }
});
