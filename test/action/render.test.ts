// The action renders with report/github.ts (covered by test/report/github.test.ts); here: what fails the step.
import { describe, expect, it } from 'vitest';
import { failsOn } from '../../src/scan/fail-on.js';
import { finding, SECRETS } from '../report/cases.js';

describe('failsOn', () => {
  const high = finding({ ruleId: 'aws-access-key-id', severity: 'high', secret: SECRETS.awsKeyId, line: `KEY=${SECRETS.awsKeyId}`, provenance: { kind: 'file', path: 'a.env' } });
  const medium = { ...high, severity: 'medium' as const };

  it('fails per fail-on', () => {
    expect(failsOn('any', [high, medium])).toBe(true);
    expect(failsOn('none', [high])).toBe(false);
    expect(failsOn('high', [high, medium])).toBe(true);
    expect(failsOn('high', [medium])).toBe(false);
    expect(failsOn('any', [])).toBe(false);
  });
});
