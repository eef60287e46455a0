// The package as published and the docs that say how to install it: what `npm pack` ships, the licence, the
// Node version, and one version-tag scheme everywhere.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/run.js';

const pkg = JSON.parse(readFileSync(`${REPO}package.json`, 'utf8')) as {
  version: string;
  license: string;
  engines: { node: string };
  scripts: Record<string, string>;
  repository: { url: string };
};
const major = pkg.version.split('.')[0];
const docs = ['README.md', ...readdirSync(`${REPO}docs`).filter((n) => n.endsWith('.md')).map((n) => `docs/${n}`)];
const text = (file: string): string => readFileSync(`${REPO}${file}`, 'utf8');

describe('npm package', () => {
  it('packs the built code, the rules, README and LICENSE: no tests, fixtures, sources or maps', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/cli/bin.js', 'dist/index.js', 'dist/index.d.ts', 'dist/rules-catalogue.json', 'rules/github.toml', 'rules/learned/generic.json']));
    const unexpected = files.filter((f) => !/^(?:LICENSE|README\.md|package\.json|dist\/.+\.(?:js|d\.ts)|dist\/rules-catalogue\.json|rules\/.+\.(?:toml|json))$/.test(f));
    expect(unexpected).toEqual([]);
  });

  it('has no install-time script: pre-commit before 4.6.1 takes `npm pack`\'s stdout for the tarball name', () => {
    for (const name of ['prepare', 'prepack', 'postpack', 'preinstall', 'install', 'postinstall']) expect(pkg.scripts[name], name).toBeUndefined();
    expect(pkg.scripts['prepublishOnly']).toMatch(/npm run build/);
  });

  it('ships the Apache-2.0 licence it declares, and the repository it names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    expect(text('LICENSE')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(pkg.repository.url).toBe('git+https://github.com/spillway/spillway.git');
  });

  it('asks for Node 22+, and the README says so', () => {
    expect(pkg.engines.node).toBe('>=22');
    expect(text('README.md')).toMatch(/Node 22\+/);
    expect(text('README.md')).not.toMatch(/Node 20\+/);
  });

  it('docs use one tag scheme: rev vX.Y.Z of this version, uses @vX, no OWNER placeholder', () => {
    for (const file of docs) {
      const doc = text(file);
      expect(doc, file).not.toMatch(/\bOWNER\/spillway|<owner>\/spillway/);
      for (const m of doc.matchAll(/^\s*rev: (\S+)/gm)) expect(m[1], file).toBe(`v${pkg.version}`);
      for (const m of doc.matchAll(/uses: spillway\/spillway[^@\s]*@([\w.-]+)/g)) expect([`v${major}`, `v${pkg.version}`], file).toContain(m[1]);
    }
  });

  it('docs and workflows use the node24 majors of GitHub\'s actions (node20 ones warn and are forced onto node24)', () => {
    const node24: Record<string, number> = { checkout: 5, 'setup-node': 5, cache: 5, 'upload-artifact': 5, 'download-artifact': 6 };
    const workflows = readdirSync(`${REPO}.github/workflows`).map((n) => `.github/workflows/${n}`);
    for (const file of [...docs, ...workflows]) {
      for (const m of text(file).matchAll(/uses: actions\/([\w-]+)@v(\d+)/g)) expect(Number(m[2]), `${file}: ${m[0]}`).toBeGreaterThanOrEqual(node24[m[1]!] ?? 99);
      expect(text(file), file).not.toMatch(/codeql-action\/[\w-]+@v[123]\b/);
    }
  });
});
