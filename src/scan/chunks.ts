// Runs a source's chunks through the detector; identical text in the same context is matched only once.
import { createHash } from 'node:crypto';
import type { Detector } from '../detect/detector.js';
import type { Chunk, Finding, ScanNote } from '../types.js';

/** All findings of all chunks, in source order; the detector's notes (findings cut at a limit) go to `notes`. */
export async function scanChunks(chunks: AsyncIterable<Chunk> | Iterable<Chunk>, detector: Detector, notes?: ScanNote[]): Promise<Finding[]> {
  const seen = new Map<string, { chunk: Chunk; findings: Finding[] }>();
  const out: Finding[] = [];
  for await (const chunk of chunks) {
    const key = chunkKey(chunk, detector);
    const prior = seen.get(key);
    if (prior) {
      out.push(...prior.findings.map((f) => rebase(f, prior.chunk, chunk, detector)));
      continue;
    }
    const findings = detector.detect(chunk, notes);
    seen.set(key, { chunk, findings });
    out.push(...findings);
  }
  return out;
}

/** Everything the detector's result depends on: the text, where it sits in the input, and the bound rules. */
function chunkKey(chunk: Chunk, detector: Detector): string {
  return createHash('sha256')
    .update(chunk.text)
    .update(`\0${chunk.place ?? ''}\0${chunk.startLine ?? 1}\0${chunk.startColumn ?? 1}\0${JSON.stringify(chunk.lineMap ?? null)}\0`)
    .update(`${JSON.stringify(chunk.decodedFrom ?? null)}\0${chunk.note ?? ''}\0${chunk.joinedAt ?? ''}\0${detector.contextKey(chunk)}`)
    .digest('hex');
}

/** A finding of `from` moved to the identical chunk `to`: new provenance, path and fingerprint. */
export function rebase(finding: Finding, from: Chunk, to: Chunk, detector: Detector): Finding {
  if (from === to) return finding;
  const path = to.provenance.path;
  return {
    ...finding,
    provenance: to.provenance,
    location: { ...finding.location, path },
    fingerprint: detector.fingerprintOf(finding.ruleId, path, finding.secret.reveal()),
  };
}
