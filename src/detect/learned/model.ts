// The learned filter's model: logistic regression over candidate features, its weights loaded as data.
import type { Confidence } from '../../types.js';
import { FEATURE_NAMES } from './features.js';

/** A trained model as committed in rules/learned/*.json (bench/learned/train.mjs writes it). */
export interface LearnedModel {
  /** Feature names, in order: must equal FEATURE_NAMES, or the weights were trained for other features. */
  features: string[];
  weights: number[];
  bias: number;
  /** Probability from which a candidate is `medium`, and from which it is `high`. */
  thresholds: { medium: number; high: number };
  /** The floor for weak candidates (rules/learned/weak.json), when the catalogue has one. */
  weak?: FloorModel;
}

/** A model that only keeps or drops: a weak candidate whose probability is below `floor` is no finding. */
export interface FloorModel {
  features: string[];
  weights: number[];
  bias: number;
  floor: number;
}

/** Probability that a candidate with these features is a real secret. */
export function probability(model: Pick<LearnedModel, 'weights' | 'bias'>, features: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < features.length; i++) z += model.weights[i]! * features[i]!;
  return 1 / (1 + Math.exp(-z));
}

/** The confidence tier of a probability. */
export function tierOf(model: LearnedModel, p: number): Confidence {
  return p >= model.thresholds.high ? 'high' : p >= model.thresholds.medium ? 'medium' : 'low';
}

/** Checks a parsed model file; returns the model, or the reason it cannot be used. */
export function parseLearnedModel(raw: unknown): LearnedModel | string {
  const m = raw as Partial<LearnedModel> | null;
  const problem = weightsProblem(m);
  if (problem !== undefined || !m) return problem ?? 'not a model';
  const t = m.thresholds;
  if (!t || typeof t.medium !== 'number' || typeof t.high !== 'number' || !(t.medium <= t.high)) return 'needs thresholds { medium <= high }';
  return { features: m.features!, weights: m.weights!, bias: m.bias!, thresholds: { medium: t.medium, high: t.high } };
}

/** Checks a parsed floor model file (rules/learned/weak.json); returns the model, or the reason it cannot be used. */
export function parseFloorModel(raw: unknown): FloorModel | string {
  const m = raw as Partial<FloorModel> | null;
  const problem = weightsProblem(m);
  if (problem !== undefined || !m) return problem ?? 'not a model';
  if (typeof m.floor !== 'number' || !(m.floor >= 0 && m.floor <= 1)) return 'needs a floor between 0 and 1';
  return { features: m.features!, weights: m.weights!, bias: m.bias!, floor: m.floor };
}

function weightsProblem(m: Partial<FloorModel> | null): string | undefined {
  const numbers = (xs: unknown): xs is number[] => Array.isArray(xs) && xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (typeof m !== 'object' || m === null || !Array.isArray(m.features) || !numbers(m.weights) || typeof m.bias !== 'number') {
    return 'not a model (needs features, weights and bias)';
  }
  if (m.features.join(',') !== FEATURE_NAMES.join(',') || m.weights.length !== FEATURE_NAMES.length) {
    return 'trained for other features than this version computes: retrain it (npm run train:learned)';
  }
  return undefined;
}
