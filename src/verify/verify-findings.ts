// --verify: ask each secret's own provider whether it still works, once per distinct secret, then mark the findings.
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { Finding, Provenance, ScanNote } from '../types.js';
import type { ResolveAll } from './address-guard.js';
import { send } from './http.js';
import { PROVIDER_HOSTS, type ProviderName } from './providers.js';
import { vaultBase } from './vault-address.js';
import { VERIFIERS, type Credential, type Verdict, type Verifier } from './verifiers.js';

export interface VerifyOptions {
  /** Send secrets to private, loopback and link-local addresses too (--allow-internal). */
  allowInternal?: boolean;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Per request (default 10 000 ms). */
  timeoutMs?: number;
  /** Where VAULT_ADDR is looked up (the only address a Vault token is sent to). */
  env?: Record<string, string | undefined>;
  /**
   * For tests only: provider -> base URL replacing the fixed host. The CLI never sets it; the SSRF guard still
   * applies, so a loopback test server also needs `allowInternal`.
   */
  baseUrls?: Partial<Record<ProviderName, string>>;
  /** For tests only: the resolver the SSRF guard uses (default: the system's getaddrinfo). */
  resolveAll?: ResolveAll;
  /** Signing time for AWS (default now). */
  now?: () => Date;
}

export interface VerifyResult {
  /** Every finding, with `validation` set on those that were checked. */
  findings: Finding[];
  notes: ScanNote[];
  /** Distinct requests made or refused. */
  checked: number;
}

interface Outcome {
  verdict: Verdict;
  reason?: string;
}

interface Plan {
  verifier: Verifier;
  cred: Credential;
  base: URL | string;
  /** The aws-access-key-id finding this secret was paired with. */
  partner?: number;
}

const AWS_KEY_ID = /\b(?:AKIA|ABIA|ACCA)[A-Z0-9]{16}\b/;

/** Checks every finding of a kind with a verifier; returns them with `validation` set and notes for what went wrong. */
export async function verifyFindings(findings: readonly Finding[], options: VerifyOptions = {}): Promise<VerifyResult> {
  const allowInternal = options.allowInternal ?? false;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`concurrency must be a positive integer, got ${concurrency}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) throw new TypeError(`timeoutMs must be positive, got ${timeoutMs}`);
  const limit = pLimit(concurrency);
  const cache = new Map<string, Promise<Outcome>>();
  const now = options.now ?? (() => new Date());

  const check = (plan: Plan): Promise<Outcome> => {
    const { verifier, cred, base } = plan;
    const key = createHash('sha256')
      .update([verifier.provider, typeof base === 'string' ? `!${base}` : base.href, cred.keyId ?? '', cred.secret].join('\0'))
      .digest('hex');
    let outcome = cache.get(key);
    if (!outcome) {
      outcome =
        typeof base === 'string'
          ? Promise.resolve({ verdict: 'unknown' as const, reason: base })
          : limit(() => request(verifier, cred, base, { timeoutMs, allowInternal, now: now(), ...(options.resolveAll ? { resolveAll: options.resolveAll } : {}) }));
      cache.set(key, outcome);
    }
    return outcome;
  };

  const plans = planAll(findings, options, allowInternal);
  const outcomes = await Promise.all(plans.map((plan) => (plan ? check(plan) : undefined)));
  const verdicts = new Map<number, Verdict>();
  outcomes.forEach((outcome, i) => {
    if (!outcome) return;
    verdicts.set(i, best(verdicts.get(i), outcome.verdict));
    const partner = plans[i]!.partner;
    if (partner !== undefined) verdicts.set(partner, best(verdicts.get(partner), outcome.verdict));
  });
  const out = findings.map((f, i) => {
    const verdict = verdicts.get(i);
    return verdict ? { ...f, validation: verdict } : f;
  });
  return { findings: out, notes: notesOf(plans, outcomes), checked: cache.size };
}

/** What to check for each finding (undefined: nothing to check). */
function planAll(findings: readonly Finding[], options: VerifyOptions, allowInternal: boolean): (Plan | undefined)[] {
  const keyIds = awsKeyIdsBySite(findings);
  return findings.map((f): Plan | undefined => {
    const verifier = VERIFIERS[f.ruleId];
    if (!verifier) return undefined;
    const secret = f.secret.reveal();
    if (verifier.accepts && !verifier.accepts(secret)) return undefined;
    let cred: Credential = { secret };
    let partner: number | undefined;
    if (verifier.needsKeyId) {
      const inMatch = f.ruleId === 'aws-secret-access-key-pair' ? AWS_KEY_ID.exec(f.match.reveal())?.[0] : undefined;
      const paired = inMatch === undefined ? nearest(keyIds.get(siteKey(f.provenance)) ?? [], f.location.startLine) : undefined;
      const keyId = inMatch ?? paired?.keyId;
      if (keyId === undefined) return undefined;
      cred = { secret, keyId };
      partner = paired?.index;
    }
    const base =
      verifier.provider === 'vault'
        ? options.baseUrls?.vault !== undefined
          ? new URL(options.baseUrls.vault)
          : vaultBase(options.env ?? {}, allowInternal)
        : new URL(options.baseUrls?.[verifier.provider] ?? PROVIDER_HOSTS[verifier.provider]);
    return { verifier, cred, base, ...(partner !== undefined ? { partner } : {}) };
  });
}

async function request(verifier: Verifier, cred: Credential, base: URL, opts: { timeoutMs: number; allowInternal: boolean; now: Date; resolveAll?: ResolveAll }): Promise<Outcome> {
  try {
    const res = await send(verifier.request(cred, base, opts.now), { ...opts, readBody: verifier.readBody ?? false });
    const verdict = verifier.verdict(res);
    return verdict === 'unknown' ? { verdict, reason: `${base.host} answered HTTP ${res.status}` } : { verdict };
  } catch (err) {
    return { verdict: 'unknown', reason: (err as Error).message };
  }
}

/** Where two findings count as "in the same file": same path and the same commit, image layer or CI job. */
function siteKey(p: Provenance): string {
  const extra = p.kind === 'git' ? p.commit : p.kind === 'image' ? `${p.image}\0${p.layer ?? ''}` : p.kind === 'ci-log' ? `${p.run ?? ''}\0${p.job ?? ''}` : '';
  return `${p.kind}\0${extra}\0${p.path}`;
}

interface KeyIdAt {
  keyId: string;
  line: number;
  index: number;
}

function awsKeyIdsBySite(findings: readonly Finding[]): Map<string, KeyIdAt[]> {
  const bySite = new Map<string, KeyIdAt[]>();
  findings.forEach((f, index) => {
    if (f.ruleId !== 'aws-access-key-id') return;
    const site = siteKey(f.provenance);
    bySite.set(site, [...(bySite.get(site) ?? []), { keyId: f.secret.reveal(), line: f.location.startLine, index }]);
  });
  return bySite;
}

/** The key id written closest to the secret (ties: the one above it). */
function nearest(candidates: KeyIdAt[], line: number): KeyIdAt | undefined {
  let best: KeyIdAt | undefined;
  for (const c of candidates) {
    if (!best || Math.abs(c.line - line) < Math.abs(best.line - line)) best = c;
  }
  return best;
}

const RANK: Record<Verdict, number> = { unknown: 0, 'verified-inactive': 1, 'verified-active': 2 };

function best(a: Verdict | undefined, b: Verdict): Verdict {
  return a === undefined || RANK[b] > RANK[a] ? b : a;
}

/** A summary, and one warning per distinct reason a check came back unknown (hosts and causes only). */
function notesOf(plans: (Plan | undefined)[], outcomes: (Outcome | undefined)[]): ScanNote[] {
  const counts = { 'verified-active': 0, 'verified-inactive': 0, unknown: 0 };
  const reasons = new Map<string, number>();
  outcomes.forEach((o, i) => {
    if (!o) return;
    counts[o.verdict]++;
    if (o.reason !== undefined) {
      const message = `${plans[i]!.verifier.provider}: ${o.reason}`;
      reasons.set(message, (reasons.get(message) ?? 0) + 1);
    }
  });
  const total = counts['verified-active'] + counts['verified-inactive'] + counts.unknown;
  if (total === 0) return [];
  return [
    { level: 'info', input: 'verify', message: `${total} checked: ${counts['verified-active']} active, ${counts['verified-inactive']} inactive, ${counts.unknown} unknown` },
    ...[...reasons].map(([message, n]): ScanNote => ({ level: 'warning', input: 'verify', message: `${message}${n > 1 ? ` (${n} findings)` : ''}` })),
  ];
}
