// Same content, same findings: every fixture folder through scan, scan --staged, history, image and the Action's diff mode.
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/action/run.js';
import { runScan, type RunScanResult, type ScanTarget } from '../../src/scan/run-scan.js';
import { ImageSource } from '../../src/sources/image.js';
import type { Finding } from '../../src/types.js';
import { dockerSave } from '../infra/image-archives.js';
import { commit, git, initRepo, tempDir } from '../helpers/temp-git.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const AREAS = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const ENV = { SPILLWAY_FINGERPRINT_KEY: 'parity-test-key' };
const MODES = ['scan', 'staged', 'history', 'image', 'action'] as const;
type Mode = (typeof MODES)[number];

/** What must not depend on the entry point: rule, place and fingerprint. */
type Key = string;
const key = (ruleId: string, path: string, line: number, fingerprint: string): Key => `${path}:${line} ${ruleId} ${fingerprint}`;
const keysOf = (findings: readonly Finding[]): Key[] => findings.map((f) => key(f.ruleId, f.location.path, f.location.startLine, f.fingerprint));

const dir = tempDir('parity');
const repo = initRepo(join(dir.path, 'repo'));
const found = {} as Record<Mode, Key[]>;

async function scanWith(target: ScanTarget): Promise<RunScanResult> {
  return runScan({ target, root: repo, env: ENV, minConfidence: 'low' });
}

async function imageKeys(files: string[]): Promise<Key[]> {
  const { archive } = await dockerSave({ layers: [files.map((name) => ({ name, data: readFileSync(join(repo, name)) }))] });
  const file = join(dir.path, 'fixtures.tar');
  writeFileSync(file, archive);
  const source = new ImageSource(file, { display: 'fixtures.tar' });
  const result = await scanWith({ kind: 'items', mode: 'image', root: repo, sources: [{ display: 'fixtures.tar', items: () => source.items(), notes: source.notes }] });
  return keysOf(result.findings.filter((f) => f.provenance.kind === 'image' && f.provenance.layer !== undefined));
}

/** The Action on a pull request adding every fixture, read back from the SARIF it uploads. */
async function actionKeys(base: string, head: string): Promise<Key[]> {
  const event = join(dir.path, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'fixtures' } } }));
  const sarif = join(dir.path, 'action.sarif');
  let out = '';
  const code = await runAction({
    env: { ...ENV, GITHUB_WORKSPACE: repo, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, RUNNER_TEMP: dir.path, INPUT_MODE: 'diff', 'INPUT_MIN-CONFIDENCE': 'low', 'INPUT_SARIF-FILE': sarif },
    stdout: (text) => (out += text),
  });
  expect(code, out).toBe(1);
  const log = JSON.parse(readFileSync(sarif, 'utf8')) as Log;
  return (log.runs[0]!.results ?? []).map((r) => {
    const at = r.locations![0]!.physicalLocation!;
    return key(r.ruleId!, at.artifactLocation!.uri!, at.region!.startLine!, r.partialFingerprints!['spillway/v1']!);
  });
}

beforeAll(async () => {
  const base = commit(repo, 'empty start', {});
  for (const area of AREAS) cpSync(join(FIXTURES, area), join(repo, area), { recursive: true });
  git(repo, 'add', '-A');
  found.staged = keysOf((await scanWith({ kind: 'staged', repo })).findings);
  const head = commit(repo, 'add the fixtures', {});
  const files = git(repo, 'ls-files', '-z').split('\0').filter(Boolean);
  found.scan = keysOf((await scanWith({ kind: 'files', root: repo, threads: 1 })).findings);
  found.history = keysOf((await scanWith({ kind: 'history', repo, revs: [], cache: false })).findings.filter((f) => f.provenance.kind === 'git'));
  found.image = await imageKeys(files);
  found.action = await actionKeys(base, head);
}, 240_000);
afterAll(() => dir.cleanup());

describe('every entry point finds what scan finds', () => {
  it('the fixtures hold findings to compare', () => {
    expect(found.scan.length).toBeGreaterThan(100);
  });

  describe.each(AREAS)('fixtures/%s', (area) => {
    const inArea = (keys: Key[]): Key[] => keys.filter((k) => k.startsWith(`${area}/`)).sort();
    it.each(MODES.filter((m) => m !== 'scan'))('%s', (mode) => {
      expect(inArea(found[mode])).toEqual(inArea(found.scan));
    });
  });
});
