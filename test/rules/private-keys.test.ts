// Private keys that are not usable as they stand give no finding from any rule: passphrase-encrypted keys (ciphertext;
// the passphrase is the secret) and keys elided in documentation. Their plaintext, whole twins are found.
import { describe, expect, test } from 'vitest';
import { builtinDetector } from '../helpers/detector.js';

const PEM_BODY = `IVo55F6Ntd4E0kh3M56JIs8GT/2AWseaN0+6f3D+Jm8fPLzLZ0x2PMudWCE1Gqd5
yS1liS3aaS17s6ZCXsx+C1eZx+/H1IxaLixX60ywQEhI0GZmQevtt3yjZVxG5ALE
jKZsbQgOG8Hu+5Y3YnMX1SDF/4Bb7zaAPDSG1fZjmsiKUWgyaMyb2leYgi4E74jr`;
const PKCS8_BODY = `MIK+7yYpXqFzrbOvog17iK03o/RMbYCylZTggiv903HC2XfcXvGTIGfNSaDp11vd
FVHOLcu/5mMBXkaOQuDpt9/AKsClLA+ivXMalOLBvNnUfpM1dcs9YQcPJeXf/8s0
ys8q4PIQ7+tndAmVv9sGiV6HUixMU66UhkWOOFdQ9QoQlC1bv5clQIYN5n94Yxsq`;
const OPENSSH_CHACHA = `b3BlbnNzaC1rZXktdjEAAAAAHWNoYWNoYTIwLXBvbHkxMzA1QG9wZW5zc2guY29tD7qFMY
GIU1YGotw3ylSjDeIgq6Z6SYvVfLAqhHqvP4ltgeKmwGH8zNVVsK3rwwql2LCw1OyYFnkt
rMGM/zjTRgqz3gKMgmAbKpiNotDQ9Se/E1uk27CRwM/XNwNoij5+ZDY6FA3lMsoAjuRsIi`;
const OPENSSH_NONE = `b3BlbnNzaC1rZXktdjEAAAAABG5vbmVjkEP0Sj4279Axx8+sX8+Li2yomTCNvji4MoLzPC
ncd8aRLBxYZjTjUT+sgRDVaoo/kB6wCG4AEQ6E4cK1sv9FLsRi5F+5GYDCj+YY0i1heecI
Ov1HniaxvENoi3zV0XSFLVXfvWYDbi5cXL5kNfIhTZrgsM2vbU4+fCneS7c4fQZRF5buoG`;
const RSA_LINES = [
  'MIIEowIBAAKCAQEA5EJn7y5Jr3Vf9Um9XiZ9HkIeQDno09PlIp39s4LUrhF19iS0',
  'EzaUAN7xh3nYzpAeIpnEwSQT88oxyAN04ga3VvKyb6OU2cPG5ScRn43dGvo2P2+P',
  '7RcQV0vRvIjkTc80oGGvYXprLFwB3szT94S50w0K364VNk7vgCVhY2dJo+Wj6wnJ',
  '0HPDWwbLVsagurP+IbZd67MVX4l1gbWgIVd50zSZ6DkchJpo1ekLPyZ5+oLX7tBC',
];

const block = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;

async function ruleIds(path: string, text: string): Promise<string[]> {
  const detector = await builtinDetector();
  return detector.detect({ text, provenance: { kind: 'file', path } }).map((f) => f.ruleId);
}

describe('encrypted private keys', () => {
  test.each([
    ['PEM Proc-Type: 4,ENCRYPTED', 'certs/server.key', block('RSA PRIVATE KEY', `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,99BC03BC5F81BCFDBB0E65F4196CA462\n\n${PEM_BODY}`)],
    ['PKCS#8 ENCRYPTED PRIVATE KEY', 'certs/client.pem', block('ENCRYPTED PRIVATE KEY', PKCS8_BODY)],
    ['OpenSSH with a cipher', '.ssh/id_ed25519', block('OPENSSH PRIVATE KEY', OPENSSH_CHACHA)],
    ['the same in an escaped JSON string', 'keys.json', `{"key": "${block('OPENSSH PRIVATE KEY', OPENSSH_CHACHA).replaceAll('\n', '\\n')}"}\n`],
  ])('%s: no finding', async (_name, path, text) => {
    expect(await ruleIds(path, text)).toEqual([]);
  });

  test('an unencrypted OpenSSH key (cipher none) is still found', async () => {
    expect(await ruleIds('.ssh/id_ed25519', block('OPENSSH PRIVATE KEY', OPENSSH_NONE))).toEqual(['private-key-openssh']);
  });
});

describe('private keys elided in documentation', () => {
  test('a PEM block with a `...` line gives no finding; the whole block is found', async () => {
    const elided = ['```', block('RSA PRIVATE KEY', [...RSA_LINES.slice(0, 2), '...', ...RSA_LINES.slice(2)].join('\n')), '```'].join('\n');
    expect(await ruleIds('docs/setup.md', elided)).toEqual([]);
    expect(await ruleIds('docs/setup.md', block('RSA PRIVATE KEY', RSA_LINES.join('\n')))).toEqual(['private-key-rsa']);
  });
});
