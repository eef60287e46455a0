// Test harness for remediation in AWS Secrets Manager: the local Secrets Manager, Kubernetes and GitHub servers, seeded
// as fixtures/remediate/aws/ describes (the `.env` value of scan/ is the JSON key API_KEY of prod/shop/api).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, GITHUB_TOKEN, KUBE_TOKEN, REPO, leakedValue } from './harness.js';
import { startAwsSm, type FakeAwsSm } from './servers/aws-sm-server.js';
import { startGitHub, type FakeGitHub } from './servers/github-server.js';
import { startKube, type FakeKube } from './servers/k8s-server.js';

/** A fake key pair made at run time (no key-looking string in a file). */
export const AWS_KEY = { accessKeyId: ['spillway', 'test', 'key'].join('-'), secretAccessKey: 's'.repeat(40) };
export const AWS_REGION = 'eu-west-1';
export const SECRET_ID = 'prod/shop/api';
export const DB_PASSWORD = `db-${'q'.repeat(17)}`;

export interface AwsWorld {
  aws: FakeAwsSm;
  kube: FakeKube;
  github: FakeGitHub;
  dir: string;
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

/** Starts the three servers, seeds them, and copies scan/ and aws/infra/ to a scratch dir (the CLI's cwd). */
export async function startAwsWorld(): Promise<AwsWorld> {
  const aws = await startAwsSm(AWS_REGION, [AWS_KEY]);
  const kube = await startKube(KUBE_TOKEN);
  const github = await startGitHub(GITHUB_TOKEN, REPO);
  aws.put(SECRET_ID, JSON.stringify({ API_KEY: leakedValue(), DB_PASSWORD, PORT: 5432 }));
  kube.add({ apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'app-api', namespace: 'shop' }, spec: { target: { name: 'app-api' } } });
  kube.add({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-api', namespace: 'shop' } });
  kube.add({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop-backend', namespace: 'shop' }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'backend', image: 'x', env: [{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'app-api', key: 'API_KEY' } } }] }] } } } });
  const dir = mkdtempSync(join(tmpdir(), 'spillway-remediate-aws-'));
  cpSync(join(FIXTURES, 'scan'), join(dir, 'scan'), { recursive: true });
  cpSync(join(FIXTURES, 'aws', 'infra'), join(dir, 'infra'), { recursive: true });
  writeFileSync(join(dir, 'kubeconfig'), kube.kubeconfig());
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: AWS_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_KEY.secretAccessKey,
    AWS_REGION,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    KUBECONFIG: join(dir, 'kubeconfig'),
    GITHUB_TOKEN,
    GITHUB_API_URL: github.url,
  };
  return {
    aws,
    kube,
    github,
    dir,
    env,
    async close() {
      await Promise.all([aws.close(), kube.close(), github.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The AWSCURRENT JSON of the secret. */
export function currentJson(world: AwsWorld): Record<string, unknown> {
  return JSON.parse(world.aws.current(SECRET_ID)!) as Record<string, unknown>;
}
