// Fits the learned filter: logistic regression by full-batch gradient descent, zero start, fixed iterations (deterministic).
// Pure: a feature table in, a model and its held-out figures out. train.mjs writes the table; the test re-runs this.

export const SETTINGS = { iterations: 4000, rate: 1.0, l2: 0.0005, heldOutFold: 0, precision: { medium: 0.96, high: 0.985 } };

/** Parses the committed table: a header `fold,label,<feature>...`, then one candidate a row (numbers only). */
export function parseTable(csv) {
  const [header, ...lines] = csv.trim().split('\n');
  const columns = header.split(',');
  if (columns[0] !== 'fold' || columns[1] !== 'label') throw new Error('feature table: the header must start with fold,label');
  const rows = lines.map((line, i) => {
    const cells = line.split(',').map(Number);
    if (cells.length !== columns.length || cells.some((x) => !Number.isFinite(x))) throw new Error(`feature table: row ${i + 2} is not ${columns.length} numbers`);
    return { fold: cells[0], label: cells[1], x: cells.slice(2) };
  });
  return { features: columns.slice(2), rows };
}

/** Writes a table in the form parseTable reads. */
export function formatTable(features, rows) {
  return `${['fold', 'label', ...features].join(',')}\n${rows.map((r) => [r.fold, r.label, ...r.x].join(',')).join('\n')}\n`;
}

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
const predict = (m, x) => sigmoid(x.reduce((z, v, i) => z + m.weights[i] * v, m.bias));
const round6 = (x) => Math.round(x * 1e6) / 1e6;

/** Logistic regression with L2 on the weights (not the bias), classes weighted to balance. */
function gradientDescent(rows, dims, { iterations, rate, l2 }) {
  const weights = new Array(dims).fill(0);
  let bias = 0;
  const positives = rows.filter((r) => r.label === 1).length;
  const wPos = rows.length / (2 * Math.max(1, positives));
  const wNeg = rows.length / (2 * Math.max(1, rows.length - positives));
  for (let it = 0; it < iterations; it++) {
    const grad = new Array(dims).fill(0);
    let gBias = 0;
    for (const r of rows) {
      const err = (predict({ weights, bias }, r.x) - r.label) * (r.label === 1 ? wPos : wNeg);
      for (let i = 0; i < dims; i++) grad[i] += err * r.x[i];
      gBias += err;
    }
    for (let i = 0; i < dims; i++) weights[i] -= rate * (grad[i] / rows.length + l2 * weights[i]);
    bias -= (rate * gBias) / rows.length;
  }
  return { weights: weights.map(round6), bias: round6(bias) };
}

/** The lowest probability from which the candidates at or above it reach `target` precision (1 if none does). */
function thresholdFor(scored, target) {
  const sorted = [...scored].sort((a, b) => b.p - a.p);
  let tp = 0;
  let best = 1;
  sorted.forEach((s, i) => {
    tp += s.label;
    const next = sorted[i + 1];
    if (tp / (i + 1) >= target && (!next || next.p < s.p)) best = s.p;
  });
  return Math.round(best * 1000) / 1000;
}

function metrics(model, rows, thresholds) {
  const scored = rows.map((r) => ({ p: predict(model, r.x), label: r.label }));
  const at = (t) => {
    const tp = scored.filter((s) => s.p >= t && s.label === 1).length;
    const fp = scored.filter((s) => s.p >= t && s.label === 0).length;
    const pos = scored.filter((s) => s.label === 1).length;
    return { precision: round3(tp / Math.max(1, tp + fp)), recall: round3(tp / Math.max(1, pos)) };
  };
  const correct = scored.filter((s) => (s.p >= 0.5 ? 1 : 0) === s.label).length;
  return { rows: rows.length, positives: scored.filter((s) => s.label === 1).length, accuracy: round3(correct / Math.max(1, rows.length)), medium: at(thresholds.medium), high: at(thresholds.high) };
}
const round3 = (x) => Math.round(x * 1000) / 1000;

/**
 * Fits on every fold but the held-out one to measure, then on all rows for the committed model; thresholds are
 * chosen on the training rows for the settings' precision targets.
 */
export function fit(table, settings = SETTINGS) {
  const dims = table.features.length;
  const train = table.rows.filter((r) => r.fold !== settings.heldOutFold);
  const heldOut = table.rows.filter((r) => r.fold === settings.heldOutFold);
  const split = gradientDescent(train, dims, settings);
  const splitScored = train.map((r) => ({ p: predict(split, r.x), label: r.label }));
  const splitThresholds = { medium: thresholdFor(splitScored, settings.precision.medium), high: thresholdFor(splitScored, settings.precision.high) };
  const model = gradientDescent(table.rows, dims, settings);
  const scored = table.rows.map((r) => ({ p: predict(model, r.x), label: r.label }));
  const thresholds = { medium: thresholdFor(scored, settings.precision.medium), high: thresholdFor(scored, settings.precision.high) };
  return {
    features: table.features,
    weights: model.weights,
    bias: model.bias,
    thresholds: { medium: thresholds.medium, high: Math.max(thresholds.medium, thresholds.high) },
    evaluation: { heldOutFold: settings.heldOutFold, heldOut: metrics(split, heldOut, splitThresholds), training: metrics(model, table.rows, thresholds) },
  };
}

/** Settings of the weak floor: a weak candidate below `floor` is dropped; `folds` repository folds for held-out figures. */
export const FLOOR_SETTINGS = { iterations: 4000, rate: 1.0, l2: 0.0005, folds: 5, floor: 0.4, curve: [0.2, 0.3, 0.4, 0.5, 0.6] };

/** Precision and recall of keeping the candidates at or above `floor`, and how many are kept. */
function kept(scored, floor) {
  const tp = scored.filter((s) => s.p >= floor && s.label === 1).length;
  const fp = scored.filter((s) => s.p >= floor && s.label === 0).length;
  const pos = scored.filter((s) => s.label === 1).length;
  return { floor, kept: tp + fp, precision: round3(tp / Math.max(1, tp + fp)), recall: round3(tp / Math.max(1, pos)) };
}

/**
 * Fits the floor model for weak candidates. Held-out figures: k-fold by repository (a row's fold comes from its
 * repository, so no repository is ever scored by a model trained on it), each fold scored by the model fitted on
 * the others, pooled. The committed model is then fitted on all rows; the floor is a setting, not tuned on them.
 */
export function fitFloor(table, settings = FLOOR_SETTINGS) {
  const dims = table.features.length;
  const heldOut = [];
  for (let k = 0; k < settings.folds; k++) {
    const model = gradientDescent(table.rows.filter((r) => r.fold % settings.folds !== k), dims, settings);
    for (const r of table.rows.filter((r) => r.fold % settings.folds === k)) heldOut.push({ p: predict(model, r.x), label: r.label });
  }
  const model = gradientDescent(table.rows, dims, settings);
  const all = { rows: heldOut.length, positives: heldOut.filter((s) => s.label === 1).length };
  return {
    features: table.features,
    weights: model.weights,
    bias: model.bias,
    floor: settings.floor,
    evaluation: { folds: settings.folds, ...all, heldOut: kept(heldOut, settings.floor), heldOutCurve: settings.curve.map((f) => kept(heldOut, f)) },
  };
}
