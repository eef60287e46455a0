// The GitHub Action's log (annotations), job summary, outputs and SARIF file hold no secret it found.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cliHas, DIST } from '../helpers/cli.js';
import { commit, fakeAwsKeyId, initRepo, tempDir } from '../helpers/temp-git.js';
import { drawSecret, KINDS, LINE_SHAPES, piecesIn } from './fake-secrets.js';
import { leaksIn, listTree, modeOf } from './leak-check.js';

const AWS = fakeAwsKeyId(91);
const STRIPE = `${'sk_' + 'live_'}${'Zq7Rx2Lm9Tb4Wc8Yd3Vf6Kp1'}`;
const SLACK = `${'xox' + 'b-'}${'482915736042'}-${'5938201746385'}-${'Ha7Jk2Lq9Wx4Ez8Rt3Yu6Io1'}`;
const SECRETS = [AWS, STRIPE, SLACK];
/** Four more on one line, drawn at random per run. */
const SAME_LINE = KINDS.slice(0, 4).map(drawSecret);

const dir = tempDir('secrecy-action');
const repo = initRepo(`${dir.path}/workspace`);
commit(repo, 'configure billing', { 'billing.py': `stripe.api_key = "${STRIPE}"\n`, '.env': `AWS_ACCESS_KEY_ID=${AWS}\n` });
commit(repo, 'notify', { 'notify.env': `SLACK_BOT_TOKEN=${SLACK}\n`, 'creds.txt': LINE_SHAPES[0]!.line(SAME_LINE.map((d) => d.kind.assign(d.value))) });
afterAll(dir.cleanup);

function runAction(inputs: Record<string, string>): { code: number | null; log: string; summary: string; outputs: string; sarifFile: string } {
  const tag = Math.random().toString(36).slice(2);
  const summary = `${dir.path}/summary-${tag}.md`;
  const output = `${dir.path}/output-${tag}`;
  const event = `${dir.path}/event-${tag}.json`;
  writeFileSync(summary, '');
  writeFileSync(output, '');
  writeFileSync(event, readFileSync(new URL('../../fixtures/action/events/schedule.json', import.meta.url)));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: dir.path,
    SPILLWAY_FINGERPRINT_KEY: 'secrecy-action-key',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo,
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_EVENT_PATH: event,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: dir.path,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  const r = spawnSync(process.execPath, [`${DIST}action/main.js`], { cwd: repo, env, encoding: 'utf8' });
  const outputs = readFileSync(output, 'utf8');
  const sarifFile = /^sarif-file<<(\S+)\n(.*)\n\1$/m.exec(outputs)?.[2] ?? '';
  return { code: r.status, log: r.stdout + r.stderr, summary: readFileSync(summary, 'utf8'), outputs, sarifFile };
}

describe.skipIf(!cliHas('history'))('the action', () => {
  it.each([['history'], ['files']])('in %s mode: annotations, summary, outputs and the 0600 SARIF file hold no secret; the work tree is unchanged', (mode) => {
    const before = listTree(repo).filter((l) => !l.startsWith('.git'));
    const run = runAction({ mode, 'fail-on': 'none' });
    expect(run.code, run.log).toBe(0);
    expect(run.log).toMatch(/^::(error|warning|notice) file=/m);
    expect(run.summary).toContain('billing.py');
    expect(Number(/^findings<<(\S+)\n(\d+)\n\1$/m.exec(run.outputs)?.[2])).toBeGreaterThanOrEqual(SECRETS.length);
    expect(modeOf(run.sarifFile)).toBe(0o600);
    const sarif = readFileSync(run.sarifFile, 'utf8');
    for (const [name, text] of Object.entries({ log: run.log, summary: run.summary, outputs: run.outputs, sarif })) {
      expect(leaksIn(text, SECRETS), name).toEqual([]);
      expect(piecesIn(text, SAME_LINE.flatMap((d) => d.random)), name).toEqual([]);
    }
    expect(listTree(repo).filter((l) => !l.startsWith('.git'))).toEqual(before);
  });
});
