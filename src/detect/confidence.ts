// How sure a finding is: a valid checksum is high, a weak candidate low (or none below the learned floor), a generic one
// what the learned filter says.
import type { Confidence, Finding } from '../types.js';
import type { CompiledRule } from './compile.js';
import { candidateFeatures, type CandidateText } from './learned/features.js';
import { probability, tierOf, type LearnedModel } from './learned/model.js';
import type { ValidatorResult } from './validators/index.js';

export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

/** The tag of rules whose candidates failed the usual gates (short or dictionary values): always `low`. */
export const WEAK_TAG = 'weak';

/**
 * The confidence of a candidate of `rule`: `high` when its validator vouches for it; `low` for a weak rule, or
 * `undefined` (drop it: no finding) when the weak floor model puts it below its floor; for a generic rule the learned
 * model's tier when there is a model; otherwise the rule's own confidence.
 */
export function findingConfidence(rule: CompiledRule, verdict: ValidatorResult, candidate: CandidateText, model?: LearnedModel): Confidence | undefined {
  if (verdict === 'valid') return 'high';
  if (rule.spec.tags.includes(WEAK_TAG)) {
    const floor = model?.weak;
    return floor && probability(floor, candidateFeatures(floorCandidate(candidate))) < floor.floor ? undefined : 'low';
  }
  if (rule.generic && model) return tierOf(model, probability(model, candidateFeatures(candidate)));
  return rule.spec.confidence;
}

/**
 * What the weak floor sees of a candidate: everything but its place. NOTE: the floor decides whether there is a
 * finding at all, and a place can come from where the content was read (an image layer's files carry one a tree's
 * do not): the same content must give the same findings from every entry point. train.mjs trains it on the same.
 */
export function floorCandidate({ place: _place, ...content }: CandidateText): CandidateText {
  return content;
}

/** The findings at or above `min` (`--min-confidence`). */
export function atLeast(findings: Finding[], min: Confidence): Finding[] {
  const floor = CONFIDENCES.indexOf(min);
  return findings.filter((f) => CONFIDENCES.indexOf(f.confidence) >= floor);
}
