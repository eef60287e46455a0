// Action inputs (validation names the input) and $GITHUB_OUTPUT heredoc outputs.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/action/inputs.js';
import { formatOutput, writeOutputs } from '../../src/action/outputs.js';
import { tempDir } from '../helpers/temp-git.js';

describe('readInputs', () => {
  it('applies defaults', () => {
    expect(readInputs({})).toEqual({ mode: 'auto', failOn: 'any', minConfidence: 'medium', uploadSarif: false });
  });

  it('reads names as GitHub passes them, and with _ for -', () => {
    const inputs = readInputs({ INPUT_MODE: 'history', 'INPUT_FAIL-ON': 'high', INPUT_SARIF_FILE: 'out.sarif', INPUT_UPLOAD_SARIF: 'true', INPUT_CONFIG: ' .gitleaks.toml ', INPUT_MIN_CONFIDENCE: 'low' });
    expect(inputs).toEqual({ mode: 'history', failOn: 'high', minConfidence: 'low', sarifFile: 'out.sarif', uploadSarif: true, config: '.gitleaks.toml' });
  });

  it('throws a TypeError naming the bad input', () => {
    expect(() => readInputs({ INPUT_MODE: 'everything' })).toThrow(new TypeError('Input `mode` must be one of auto, diff, history, files; got "everything"'));
    expect(() => readInputs({ INPUT_FAIL_ON: 'low' })).toThrow(/`fail-on`/);
    expect(() => readInputs({ INPUT_UPLOAD_SARIF: 'yes' })).toThrow(/`upload-sarif`/);
    expect(() => readInputs({ INPUT_MIN_CONFIDENCE: 'certain' })).toThrow(/`min-confidence`/);
  });
});

describe('outputs', () => {
  const dir = tempDir('outputs');
  afterAll(dir.cleanup);

  it('uses the heredoc delimiter form, safe for any value', async () => {
    expect(formatOutput('findings', '3', 'EOF_X')).toBe('findings<<EOF_X\n3\nEOF_X\n');
    expect(() => formatOutput('x', 'a\nEOF_X\nb', 'EOF_X')).toThrow(/delimiter/);
    const file = `${dir.path}/output`;
    await writeOutputs(file, { findings: '2', 'sarif-file': '/tmp/a b.sarif' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^findings<<(ghadelimiter_[0-9a-f-]+)\n2\n\1\nsarif-file<<(ghadelimiter_[0-9a-f-]+)\n\/tmp\/a b\.sarif\n\2\n$/);
  });
});
