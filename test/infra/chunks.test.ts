// Format detection and the chunks each format source yields: places, line numbers, decoded spans, skipped references.
import { describe, expect, it } from 'vitest';
import { chunksForFile } from '../../src/sources/file-chunks.js';
import { detectFormat } from '../../src/sources/infra/detect-format.js';

const lines = (chunk: { text: string; startLine?: number; lineMap?: number[] }): number[] =>
  chunk.text.split('\n').map((_, i) => chunk.lineMap?.[i] ?? (chunk.startLine ?? 1) + i);

describe('detectFormat', () => {
  it.each([
    ['Dockerfile', '', 'dockerfile'],
    ['build/Dockerfile.prod', '', 'dockerfile'],
    ['api.dockerfile', '', 'dockerfile'],
    ['Containerfile', '', 'dockerfile'],
    ['docker-compose.yml', '', 'compose'],
    ['deploy/compose.prod.yaml', '', 'compose'],
    ['overlays/prod/kustomization.yaml', '', 'kustomize'],
    ['k8s/app.yaml', 'apiVersion: v1\nkind: ConfigMap\n', 'kubernetes'],
    ['charts/app/values.yaml', 'replicaCount: 1\n', 'helm-values'],
    ['values-prod.yml', 'a: 1\n', 'helm-values'],
    ['config.yaml', 'a: 1\n', 'plain'],
    ['build.log', '2024-01-01T00:00:00.0000000Z hello\n2024-01-01T00:00:01.0000000Z world\n', 'ci-log'],
    ['notes.md', '##[group] in a doc\n', 'plain'],
    ['src/app.ts', 'const a = 1;\n', 'plain'],
  ])('%s is %s', (path, text, format) => {
    expect(detectFormat(path, text)).toBe(format);
  });
});

describe('plain files', () => {
  it('stay one whole-file chunk without a place', () => {
    expect(chunksForFile('src/app.ts', 'const a = 1;\n')).toEqual({ chunks: [{ text: 'const a = 1;\n', provenance: { kind: 'file', path: 'src/app.ts' } }], notes: [] });
  });
});

describe('Dockerfile chunks', () => {
  const text = [
    '# escape=`', // 1
    'FROM mcr.microsoft.com/windows/servercore', // 2
    'ENV A=1 `', // 3
    '    # a comment inside the continuation', // 4
    '    B=2', // 5
    'RUN <<-EOT cat > /x', // 6
    '\techo hi', // 7
    '\tEOT', // 8
    'LABEL a=b', // 9
    '', // 10
  ].join('\n');

  it('keep continuations (with the escape directive), heredocs and comments in one chunk per instruction', () => {
    const { chunks } = chunksForFile('Dockerfile', text);
    expect(chunks.map((c) => [c.place, lines(c)])).toEqual([
      ['dockerfile.from', [2]],
      ['dockerfile.env', [3, 4, 5]],
      ['dockerfile.run', [6, 7, 8]],
      ['dockerfile.label', [9]],
      ['dockerfile.comment', [1, 10]],
    ]);
  });

  it('cover every line exactly once', () => {
    const { chunks } = chunksForFile('Dockerfile', text);
    expect(chunks.flatMap(lines).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('Kubernetes chunks', () => {
  it('yield each Secret data value decoded, pointing at the encoded span', () => {
    const encoded = Buffer.from('s3cr3t-value').toString('base64');
    const { chunks } = chunksForFile('secret.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  password: '${encoded}'\n  empty: ""\n`);
    const decoded = chunks.filter((c) => c.decodedFrom);
    expect(decoded).toEqual([
      expect.objectContaining({
        text: 'password: s3cr3t-value',
        place: 'k8s.secret.data',
        startLine: 4,
        decodedFrom: { encoding: 'base64', line: 4, column: 14, endColumn: 14 + encoded.length },
      }),
    ]);
    expect(chunks.some((c) => c.text.includes(encoded))).toBe(false);
  });

  it('keep multi-line decoded values as they are', () => {
    const encoded = Buffer.from('A=1\nB=2\n').toString('base64');
    const { chunks } = chunksForFile('secret.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  app.env: ${encoded}\n`);
    expect(chunks.find((c) => c.decodedFrom)!.text).toBe('A=1\nB=2\n');
  });

  it('note binary values without scanning them', () => {
    const encoded = Buffer.from([0, 1, 2, 255, 254]).toString('base64');
    const { chunks, notes } = chunksForFile('secret.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  keystore: ${encoded}\n`);
    expect(chunks.filter((c) => c.place === 'k8s.secret.data')).toEqual([]);
    expect(notes).toEqual([{ level: 'info', input: 'secret.yaml', message: 'line 4: k8s.secret.data value of "keystore" decodes to binary data: not scanned' }]);
  });

  it('skip ExternalSecret and SecretStore documents and valueFrom/envFrom entirely', () => {
    const text = [
      'apiVersion: external-secrets.io/v1beta1',
      'kind: ExternalSecret',
      'spec:',
      '  data:',
      '    - secretKey: API_KEY',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  containers:',
      '    - name: app',
      '      env:',
      '        - name: A',
      '          valueFrom:',
      '            secretKeyRef: { name: s, key: A }',
      '        - name: B',
      '          value: b',
    ].join('\n');
    const { chunks } = chunksForFile('all.yaml', text);
    const covered = chunks.flatMap(lines);
    for (const line of [2, 3, 4, 5, 13, 14, 15]) expect(covered).not.toContain(line);
    expect(chunks.find((c) => c.place === 'k8s.pod.env')).toMatchObject({ startLine: 16, text: '        - name: B\n          value: b' });
  });

  it('scan the items of a List (kubectl get -o yaml) one by one', () => {
    const encoded = Buffer.from('l1st-value').toString('base64');
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    data:\n      token: ${encoded}\n`;
    const { chunks } = chunksForFile('dump.yaml', text);
    expect(chunks.find((c) => c.decodedFrom)).toMatchObject({ text: 'token: l1st-value', place: 'k8s.secret.data', decodedFrom: { line: 7, column: 14 } });
  });

  it('do not expand aliases (a billion-laughs document is cheap and yields no note)', () => {
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 12; i++) bomb.push(`x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    bomb.push('data:', '  k: *a11');
    const started = performance.now();
    const { notes } = chunksForFile('bomb.yaml', bomb.join('\n'));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(notes).toEqual([]);
  });
});

describe('templated YAML', () => {
  it('is scanned as plain text without a malformed-YAML warning', () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include "x" . | nindent 4 }}\n';
    const { chunks, notes } = chunksForFile('charts/app/templates/secret.yaml', text);
    expect(notes).toEqual([]);
    expect(chunks).toEqual([{ text, provenance: { kind: 'file', path: 'charts/app/templates/secret.yaml' } }]);
  });
});

describe('compose chunks', () => {
  it('place environment, build args, env_file and x- blocks', () => {
    const text = 'x-env: &env\n  A: 1\nservices:\n  app:\n    build:\n      args:\n        T: 1\n    environment: *env\n    env_file: [a.env, { path: b.env }]\n';
    const { chunks } = chunksForFile('docker-compose.yml', text);
    expect(chunks.map((c) => [c.place, c.startLine ?? c.lineMap?.[0]])).toEqual([
      ['compose.x-extension', 1],
      ['compose.environment', 8],
      ['compose.build.args', 6],
      ['compose.env_file', 9],
      ['compose.env_file', 9],
      ['compose', 3],
    ]);
  });
});
