// The learned filter: committed weights are what bench/learned/fit.mjs makes of the committed table; it sets generic tiers.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { fit, fitFloor, parseTable } from '../../bench/learned/fit.mjs';
import { runCli } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';
import { createDetector } from '../../src/detect/detector.js';
import { checkRules } from '../../src/scan/rule-check.js';
import { FEATURE_NAMES } from '../../src/detect/learned/features.js';
import { parseFloorModel, parseLearnedModel, probability } from '../../src/detect/learned/model.js';
import { builtinDetector, REPO_ROOT, TEST_FINGERPRINT_KEY } from '../helpers/detector.js';

const table = parseTable(readFileSync(join(REPO_ROOT, 'bench/learned/generic-features.csv'), 'utf8'));
const committed = JSON.parse(readFileSync(join(REPO_ROOT, 'rules/learned/generic.json'), 'utf8'));
const weakTable = parseTable(readFileSync(join(REPO_ROOT, 'bench/learned/weak-features.csv'), 'utf8'));
const weakCommitted = JSON.parse(readFileSync(join(REPO_ROOT, 'rules/learned/weak.json'), 'utf8'));

describe('the committed model', () => {
  test('is exactly what the training script fits on the committed table (npm run train:learned rewrites both)', () => {
    expect(fit(table)).toEqual(committed);
  }, 60_000);

  test('was trained for the features this version computes, and numbers only', () => {
    expect(table.features).toEqual([...FEATURE_NAMES]);
    expect(committed.features).toEqual([...FEATURE_NAMES]);
    expect(table.rows.every((r: { x: number[] }) => r.x.every((v) => v >= 0 && v <= 1))).toBe(true);
  });

  test('is loaded with the catalogue; a model for other features is refused with a reason', async () => {
    const config = await loadConfig({ root: '/nonexistent-spillway-root' });
    expect(config.learned?.weights).toEqual(committed.weights);
    expect(config.problems).toEqual([]);
    expect(parseLearnedModel({ ...committed, features: committed.features.slice(1) })).toMatch(/retrain/);
    expect(parseLearnedModel({ ...committed, thresholds: { medium: 0.9, high: 0.1 } })).toMatch(/thresholds/);
  });

  test('scores in TypeScript as the script does', () => {
    const row = table.rows[0] as { x: number[] };
    const z = row.x.reduce((s, v, i) => s + committed.weights[i] * v, committed.bias);
    expect(probability(committed, row.x)).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
  });
});

describe('the committed weak floor', () => {
  test('is exactly what the training script fits on the committed weak table, held out by repository fold', () => {
    expect(fitFloor(weakTable)).toEqual(weakCommitted);
    expect(weakCommitted.evaluation.folds).toBe(5);
    expect(new Set(weakTable.rows.map((r: { fold: number }) => r.fold))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(weakTable.features).toEqual([...FEATURE_NAMES]);
  }, 60_000);

  test('is loaded with the catalogue; a floor outside [0, 1] is refused with a reason', async () => {
    const config = await loadConfig({ root: '/nonexistent-spillway-root' });
    expect(config.learned?.weak?.weights).toEqual(weakCommitted.weights);
    expect(parseFloorModel({ ...weakCommitted, floor: 2 })).toMatch(/floor/);
    expect(parseFloorModel({ ...weakCommitted, features: [] })).toMatch(/retrain/);
  });

  test('drops a weak candidate below the floor (a dictionary password in docs or a test), keeps one in a config file', async () => {
    const config = await loadConfig({ root: '/nonexistent-spillway-root' });
    const detect = (learned: typeof config.learned, path: string, text: string) =>
      createDetector({ ...config, ...(learned ? { learned } : {}) }, { fingerprintKey: TEST_FINGERPRINT_KEY }).detector
        .detect({ text, provenance: { kind: 'file', path } })
        .map((f) => f.ruleId);
    const noFloor = { ...config.learned!, weak: undefined };
    for (const [path, text] of [['docs/setup.md', 'password: letmein'], ['tests/test_login.py', '    self.login(password="tiger7")']] as const) {
      expect(detect(noFloor, path, text)).toEqual(['weak-password-assignment']);
      expect(detect(config.learned, path, text)).toEqual([]);
    }
    expect(detect(config.learned, 'config/db.yml', 'password: letmein')).toEqual(['weak-password-assignment']);
  });

  test('rules check proves patterns without it: a weak example in a test file passes though a scan drops it', async () => {
    const config = await loadConfig({ root: '/nonexistent-spillway-root' });
    const rule = config.rules.find((r) => r.id === 'weak-password-assignment')!;
    const example = { text: '    self.login(password="tiger7")', path: 'tests/test_login.py' };
    expect(checkRules({ ...config, rules: config.rules.map((r) => (r === rule ? { ...rule, examples: [example] } : r)) }, { only: new Set([rule.id]) })).toEqual([]);
  });
});

describe('confidence of generic findings', () => {
  const tiers = async (path: string, text: string) =>
    (await builtinDetector()).detect({ text, provenance: { kind: 'file', path } }).map((f) => [f.ruleId, f.confidence]);

  test('a random-looking token in a config file is sure; a commented keyboard sequence in docs is low', async () => {
    expect(await tiers('.env', 'API_TOKEN=e8iSTHEb0c5wkp13XacjFjP')).toEqual([['generic-secret-assignment', 'high']]);
    expect(await tiers('docs/setup.md', '# password = "abcd-1234-efgh"')).toEqual([['generic-secret-assignment', 'low']]);
  });

  test('a hash behind a secret name and a translation string are not candidates at all (the rule allowlists them)', async () => {
    expect(await tiers('src/sha.go', 'secretHash := "d41d8cd98f00b204e9800998ecf8427e"')).toEqual([]);
    expect(await tiers('src/i18n/en.json', '"password_hint": "Use8OrMoreChars"')).toEqual([]);
  });

  test('a short or dictionary password in a password field is kept, at low', async () => {
    expect(await tiers('config/db.yml', 'password: Summer19')).toEqual([['weak-password-assignment', 'low']]);
    expect(await tiers('config/db.yml', 'password: letmein')).toEqual([['weak-password-assignment', 'low']]);
  });
});

describe('--min-confidence', () => {
  async function scan(argv: string[]): Promise<string[]> {
    const cwd = await mkdtemp(join(tmpdir(), 'spillway-confidence-'));
    await mkdir(join(cwd, 'config'));
    await writeFile(join(cwd, '.env'), 'API_TOKEN=e8iSTHEb0c5wkp13XacjFjP\n');
    await writeFile(join(cwd, 'config/db.yml'), 'password: Summer19\n');
    let out = '';
    const io = { stdout: (t: string) => (out += t), stderr: () => {}, isTTY: false, env: { SPILLWAY_FINGERPRINT_KEY: 'test' }, cwd };
    await runCli(['scan', '.', '--no-git', '--threads', '1', '--format', 'json', ...argv], io);
    return (JSON.parse(out).findings as { ruleId: string; confidence: string }[]).map((f) => `${f.ruleId}:${f.confidence}`);
  }

  test('scan reports medium and above by default; low shows the weak password too; high only the sure', async () => {
    expect(await scan([])).toEqual(['generic-secret-assignment:high']);
    expect((await scan(['--min-confidence', 'low'])).sort()).toEqual(['generic-secret-assignment:high', 'weak-password-assignment:low']);
    expect(await scan(['--min-confidence', 'high'])).toEqual(['generic-secret-assignment:high']);
  }, 60_000);
});
