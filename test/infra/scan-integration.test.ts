// `spillway scan` (the built CLI) picks the infrastructure formats up by itself: places and decoded values in reports.
import { describe, expect, it } from 'vitest';
import { spillway, tree } from '../cli/run.js';

const value = (name: string): string => `${name}-f4ke-` + 'pass';

describe('spillway scan on infrastructure files', () => {
  it('reports place and base64 decoding in JSON and SARIF, and warns about malformed YAML', async () => {
    const encoded = Buffer.from(value('Decoded')).toString('base64');
    const dir = await tree({
      'Dockerfile': `FROM alpine\nARG APP=1\nENV APP_PORT=8080 \\\n    DB_PASSWORD=${value('Env')}\nCOPY .env /app/\n`,
      'k8s/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${encoded}\n`,
      'k8s/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [unclosed\n  b: c\n',
    });
    const json = await spillway(['scan', '.', '-f', 'json', '--no-git', '--threads', '1'], { cwd: dir });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.findings.map((f: any) => [f.path, f.startLine, f.startColumn, f.ruleId, f.place, f.decodedFrom])).toEqual([
      ['Dockerfile', 4, 17, 'dockerfile-env-secret', 'dockerfile.env', undefined],
      ['Dockerfile', 5, 6, 'dockerfile-copy-secret-file', 'dockerfile.copy', undefined],
      ['k8s/secret.yaml', 6, 13, 'k8s-secret-manifest-value', 'k8s.secret.data', 'base64'],
    ]);
    expect(report.notes).toEqual([expect.objectContaining({ level: 'warning', input: 'k8s/broken.yaml' })]);
    expect(json.stdout).not.toContain(value('Decoded'));
    const sarif = JSON.parse((await spillway(['scan', '.', '-f', 'sarif', '--no-git', '--threads', '1'], { cwd: dir })).stdout);
    const props = sarif.runs[0].results.map((r: any) => r.properties.place);
    expect(props).toEqual(['dockerfile.env', 'dockerfile.copy', 'k8s.secret.data']);
  });
});
