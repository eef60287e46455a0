// gitleaks' `[[allowlists]] targetRules`: a global allowlist aimed at some rules leaves every other rule's findings alone.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createDetector } from '../../src/detect/detector.js';

// Two invented token formats; the allowlist silences test fixtures for one of them only.
const GITLEAKS = `title = "team config"

[[rules]]
id = "alpha-token"
regex = '''alpha_[a-z0-9]{16}'''
keywords = ["alpha_"]

[[rules]]
id = "beta-token"
regex = '''beta_[a-z0-9]{16}'''
keywords = ["beta_"]

[[allowlists]]
description = "alpha tokens in fixtures are fakes"
targetRules = ["alpha-token"]
paths = ['''^fixtures/''']
`;
const TEXT = 'a = alpha_0123456789abcdef\nb = beta_0123456789abcdef\n';

async function load(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'spillway-targets-'));
  await writeFile(join(dir, '.gitleaks.toml'), text);
  return loadConfig({ root: dir });
}

async function ruleIdsFound(text: string, path: string): Promise<string[]> {
  const config = await load(text);
  const { detector } = createDetector(config, { fingerprintKey: Buffer.alloc(32, 1) });
  return detector.detect({ text: TEXT, provenance: { kind: 'file', path } }).map((f) => f.ruleId);
}

describe('[[allowlists]] targetRules', () => {
  test('applies only to the rules it names', async () => {
    expect(await ruleIdsFound(GITLEAKS, 'fixtures/a.env')).toEqual(['beta-token']);
    expect(await ruleIdsFound(GITLEAKS, 'src/a.env')).toEqual(['alpha-token', 'beta-token']);
  });

  test('without targetRules the allowlist is global', async () => {
    expect(await ruleIdsFound(GITLEAKS.replace('targetRules = ["alpha-token"]\n', ''), 'fixtures/a.env')).toEqual([]);
  });

  test('loads without problems; a target that is not a loaded rule is a warning naming it', async () => {
    expect((await load(GITLEAKS)).problems).toEqual([]);
    const typo = await load(GITLEAKS.replace('["alpha-token"]', '["alpha-tokn"]'));
    expect(typo.problems.map((p) => [p.level, p.subject])).toEqual([['warning', 'alpha-tokn']]);
  });

  test("on a rule's own allowlist it is refused aloud (gitleaks reads it only on global allowlists)", async () => {
    const config = await load(GITLEAKS.replace('[[allowlists]]', '[[rules.allowlists]]'));
    expect(config.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^beta-token: 'targetRules' is read only on global/)]);
  });

  test("gitleaks' minVersion is refused aloud: spillway does not check it", async () => {
    const config = await load(`minVersion = "v8.25.0"\n${GITLEAKS}`);
    expect(config.problems.map((p) => p.message)).toEqual([expect.stringMatching(/'minVersion' \(a gitleaks version\) is not checked/)]);
  });

  test('an unknown [extend] field is refused aloud', async () => {
    const config = await load(`${GITLEAKS}\n[extend]\nuseDefault = true\ndisabledRule = ["x"]\n`);
    expect(config.problems.map((p) => p.message)).toEqual([expect.stringMatching(/unknown \[extend\] field 'disabledRule' is ignored/)]);
  });
});
