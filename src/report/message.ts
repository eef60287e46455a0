// The one-sentence account of a finding that SARIF results and CI annotations carry.
import type { Finding } from '../types.js';
import { provenanceLabel } from './provenance-label.js';
import { redactText } from './redaction.js';

/** `GitHub personal access token (classic): ghp_…(40 chars) in commit 1a2b3c4d5e6f. <advice>` */
export function findingMessage(finding: Finding, showSecrets: boolean): string {
  const label = provenanceLabel(finding.provenance);
  const where = label ? ` in ${label}` : '';
  const decoded = finding.decodedFrom ? ` (decoded from ${finding.decodedFrom})` : '';
  const advice = finding.message ? ` ${redactText(finding.message, finding, showSecrets)}` : '';
  return `${finding.description}: ${finding.secret.display(showSecrets)}${decoded}${where}.${advice}`;
}
