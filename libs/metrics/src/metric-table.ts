// The metric vocabulary: canonical name, the surface forms that name it, and whether higher is better
// (AxCell's idea: a claim is only an "improvement" once the metric's direction is known).
// Order matters for matching: longer / more specific names come before their prefixes.

export type MetricDirection = 'higher' | 'lower';

export interface MetricEntry {
  name: string;
  direction: MetricDirection | null;
  /** surface forms matched on word boundaries: all-lowercase forms match in any case, forms with a capital
   * match only as written (acronyms such as "EM" or "mAP" that are also English words) */
  forms: string[];
}

export const METRIC_TABLE: readonly MetricEntry[] = [
  {
    name: 'gpu memory',
    direction: 'lower',
    forms: [
      'gpu memory',
      'vram',
      'peak memory',
      'memory footprint',
      'memory usage',
      'memory consumption',
      'memory cost',
      'memory overhead',
      'kv cache memory',
      'kv cache size',
      'kv cache',
    ],
  },
  { name: 'memory', direction: 'lower', forms: ['memory'] },
  // (metrics-1.21.0: plurals of the rates, "72.4% win rates", "character error rates of 2.26%")
  { name: 'win rate', direction: 'higher', forms: ['win rate', 'win rates', 'win-rate', 'winrate'] },
  // (metrics-1.25.0: a jailbreak's success is an attack's, "a jailbreak success rate of 98.21%")
  {
    name: 'attack success rate',
    direction: null,
    forms: ['attack success rate', 'attack success', 'jailbreak success rate', 'jailbreak success', 'ASR'],
  },
  {
    name: 'success rate',
    direction: 'higher',
    forms: [
      'success rate',
      'success rates',
      'task success',
      'solve rate',
      'resolve rate',
      'resolution rate',
      'SR',
    ],
  },
  // (metrics-1.18.0: the plural "pass rates")
  {
    name: 'pass@k',
    direction: 'higher',
    forms: ['pass@1', 'pass@k', 'pass@10', 'pass@5', 'pass rate', 'pass rates'],
  },
  {
    name: 'hallucination rate',
    direction: 'lower',
    forms: ['hallucination rate', 'hallucination', 'hallucinations'],
  },
  {
    name: 'error rate',
    direction: 'lower',
    forms: [
      'error rate',
      'error rates',
      'error',
      'errors',
      'misclassification rate',
      'equal error rate',
      'EER',
      'top-1 error',
      'top-5 error',
    ],
  },
  { name: 'wer', direction: 'lower', forms: ['word error rate', 'word error rates', 'wer'] },
  { name: 'cer', direction: 'lower', forms: ['character error rate', 'character error rates', 'CER'] },
  {
    name: 'false positive rate',
    direction: 'lower',
    // (metrics-1.25.0: the hyphenated spelling, "a 2.26 percentage point reduction in false-positive rate")
    forms: [
      'false positive rate',
      'false positive rates',
      'false-positive rate',
      'false-positive rates',
      'false positives',
      'fpr',
    ],
  },
  // (metrics-1.25.0: the plural, "balanced accuracies exceeding 80%")
  { name: 'balanced accuracy', direction: 'higher', forms: ['balanced accuracy', 'balanced accuracies'] },
  {
    name: 'accuracy',
    direction: 'higher',
    forms: [
      'accuracy',
      'accuracies',
      'Acc',
      // metrics-1.21.0: the acronym in capitals ("mean ACC"), and the comparative of accurate ("more accurate on A than
      // on B (84.9% vs. 50.7%)")
      'ACC',
      'more accurate',
      'less accurate',
      'top-1 accuracy',
      'top-1',
      'exact-match accuracy',
      'overall accuracy',
      'OA',
    ],
  },
  {
    name: 'f1',
    direction: 'higher',
    forms: [
      'f1 score',
      'f1-score',
      'f1',
      'macro-f1',
      'micro-f1',
      'macro f1',
      'micro f1',
      'f-score',
      'f-measure',
      'f score',
      'f measure',
      'f1 scores',
      // metrics-1.18.0: the LaTeX subscript "$F_1$ score"
      'f_1 score',
      'f_1',
      'f1score',
      // metrics-1.21.0: the identity F1 of tracking ("+4.5 IDF1"), the LaTeX "macro-$F_1$"
      'IDF1',
      'macro-f_1',
      'micro-f_1',
      // metrics-1.23.0: the averaging written after the name ("an average F1-macro score of 56.58")
      'f1-macro',
      'f1-micro',
    ],
  },
  { name: 'em', direction: 'higher', forms: ['exact match', 'EM'] },
  { name: 'bleu', direction: 'higher', forms: ['bleu score', 'bleu', 'sacrebleu'] },
  // metrics-1.21.0: "ROUGE-1 F1 = 0.67" is the F-measure of ROUGE-1, a ROUGE score
  {
    name: 'rouge',
    direction: 'higher',
    forms: ['rouge-l f1', 'rouge-1 f1', 'rouge-2 f1', 'rouge-l', 'rouge-1', 'rouge-2', 'rouge'],
  },
  { name: 'meteor', direction: 'higher', forms: ['meteor'] },
  { name: 'cider', direction: 'higher', forms: ['cider'] },
  // metrics-1.23.0: precision and recall at a cut-off written with their initials ("P@1", "R@5"); recall averaged
  // over thresholds only in full, "average recall" ("AR" is also augmented reality)
  {
    name: 'precision',
    direction: 'higher',
    forms: ['precision', 'precisions', 'MPrecision', 'P@1', 'P@3', 'P@5', 'P@10', 'P@20'],
  },
  {
    name: 'recall',
    direction: 'higher',
    // metrics-1.21.0: sensitivity and the true positive rate are recall (GUIDE: "sensitivity is recall")
    forms: [
      'recall',
      'recalls',
      'recall@1',
      'recall@10',
      'hit rate',
      'hits@1',
      'hits@10',
      'sensitivity',
      'true positive rate',
      'TPR',
      'average recall',
      'R@1',
      'R@3',
      'R@5',
      'R@10',
      'R@20',
      'R@50',
      'R@100',
    ],
  },
  {
    name: 'auc',
    direction: 'higher',
    // metrics-1.21.0: an AUROC averaged or taken per image / pixel ("Macro-AUROC", "I-AUROC", "P-AUROC")
    forms: [
      'auroc',
      'auc-roc',
      'roc-auc',
      'auc',
      'auprc',
      'area under the curve',
      // metrics-1.23.0: without the article ("an area under curve of 76%"), and the ROC curve named
      'area under curve',
      'area under the roc curve',
      'macro-auroc',
      'macro-auc',
      'micro-auroc',
      'i-auroc',
      'p-auroc',
      // metrics-1.28.0: the plurals ("achieved AUCs of 0.96 (IDH), 0.89 …", "AUROCs of 0.91 and 0.87")
      'aucs',
      'aurocs',
      'image-auroc',
      'pixel-auroc',
      'aupr',
    ],
  },
  // metrics-1.26.0: "average precision" written out is AP (GUIDE: "AP" is `map`), not precision
  {
    name: 'map',
    direction: 'higher',
    forms: ['mean average precision', 'average precision', 'mAP', 'mAPs', 'MAP', 'AP50', 'AP'],
  },
  // metrics-1.21.0: the Dice similarity coefficient's acronym ("mean DSC of 0.65"; GUIDE: Dice is miou)
  {
    name: 'miou',
    direction: 'higher',
    forms: ['miou', 'mean iou', 'iou', 'dice score', 'dice scores', 'dice coefficient', 'dice', 'DSC'],
  },
  { name: 'ndcg', direction: 'higher', forms: ['ndcg@10', 'ndcg'] },
  { name: 'mrr', direction: 'higher', forms: ['mean reciprocal rank', 'mrr'] },
  { name: 'psnr', direction: 'higher', forms: ['psnr'] },
  { name: 'ssim', direction: 'higher', forms: ['ssim'] },
  { name: 'fid', direction: 'lower', forms: ['FID', 'rFID', 'gFID'] },
  { name: 'perplexity', direction: 'lower', forms: ['perplexity', 'ppl'] },
  { name: 'loss', direction: 'lower', forms: ['loss'] },
  { name: 'mae', direction: 'lower', forms: ['mean absolute error', 'mae'] },
  {
    name: 'rmse',
    direction: 'lower',
    // (metrics-1.18.0: the plurals "root mean square errors (RMSEs)" and "root mean squared error")
    forms: [
      'root mean square error',
      'root mean square errors',
      'root mean squared error',
      'root mean squared errors',
      'rmse',
      'rmses',
      'mse',
      'mean squared error',
    ],
  },
  {
    name: 'latency',
    direction: 'lower',
    forms: ['latency', 'latencies', 'response time', 'time-to-first-token', 'ttft'],
  },
  {
    name: 'inference time',
    direction: 'lower',
    forms: [
      'inference time',
      // (metrics-1.18.0: the plurals "inference times", "running times", "runtimes")
      'inference times',
      'running times',
      'runtimes',
      'runtime',
      'running time',
      'wall-clock time',
      'decoding time',
    ],
  },
  {
    name: 'training time',
    direction: 'lower',
    // (metrics-1.23.0: "a negligible training overhead of ~0.5s")
    forms: ['training time', 'training cost', 'training costs', 'gpu hours', 'training overhead'],
  },
  {
    name: 'compute',
    direction: 'lower',
    forms: [
      'flops',
      // metrics-1.35.0: FLOPs with a scale prefix written as one word ("GFLOPs by 97.6%", "TFLOPs")
      'gflops',
      'tflops',
      'compute',
      'computational cost',
      'computational costs',
      'computation',
      'computational overhead',
      'computational requirements',
      'compute requirements',
    ],
  },
  {
    name: 'cost',
    direction: 'lower',
    // (metrics-1.37.0: "5x lower inference cost" is a cost, as "fine-tuning & inference cost of $81"; it was an inference time)
    forms: ['inference cost', 'inference costs', 'cost', 'costs', 'api cost', 'price'],
  },
  {
    name: 'energy',
    direction: 'lower',
    forms: [
      'energy consumption',
      'energy',
      'electricity usage',
      'electricity consumption',
      'power consumption',
    ],
  },
  {
    name: 'model size',
    direction: 'lower',
    forms: [
      'model size',
      'model sizes',
      'storage',
      'disk space',
      'model parameters',
      'parameter count',
      // metrics-1.34.0: the count of a model's weights written out (GUIDE: "reducing parameters" is model size)
      'number of parameters',
    ],
  },
  {
    name: 'token usage',
    direction: 'lower',
    forms: [
      'token usage',
      'token consumption',
      'token count',
      'tokens used',
      'token length',
      'generated tokens',
      // metrics-1.32.0: the cost of a system counted in tokens (GUIDE, dev-26: "total token cost" is token usage)
      'token cost',
      'token costs',
      // metrics-1.33.0: the plural of the table's "token count" ("reducing token counts by more than 24x")
      'token counts',
      // metrics-1.34.0: the tokens a system spends beyond its task's own (GUIDE: run-time token overheads are token usage)
      'token overhead',
      'token overheads',
    ],
  },
  {
    name: 'throughput',
    direction: 'higher',
    forms: ['throughput', 'tokens per second', 'tokens/s', 'fps', 'frames per second', 'img/s', 'images/s'],
  },
  {
    name: 'speed',
    direction: 'higher',
    forms: [
      'speed',
      'speeds',
      'inference speed',
      'inference speeds',
      'training speed',
      'speedup',
      'speed-up',
      'speedups',
      'speed-ups',
    ],
  },
  { name: 'sample efficiency', direction: 'higher', forms: ['sample efficiency', 'data efficiency'] },
  {
    name: 'reward',
    direction: 'higher',
    // metrics-1.24.0: the return an RL agent averages (GUIDE: "return" in RL is reward), "improving mean return by 76%"
    forms: [
      'reward',
      'rewards',
      'cumulative return',
      'mean return',
      'average return',
      'episodic return',
      'episode return',
    ],
  },
  { name: 'performance', direction: 'higher', forms: ['performance'] },
];

const BY_NAME = new Map<string, MetricEntry>();
const BY_FORM = new Map<string, MetricEntry>();
for (const entry of METRIC_TABLE) {
  BY_NAME.set(entry.name, entry);
  for (const form of entry.forms) {
    const key = form.toLowerCase();
    if (!BY_FORM.has(key)) BY_FORM.set(key, entry);
  }
}

const SPACE_RE = /\s/;
// metrics-1.21.0: pass@k at any k, and its strict form pass^k ("pass@25", "pass^3")
const PASS_AT_RE = /^pass(?:@|\^)(?:\d{1,4}|k)$/;

/** Canonical metric name for a surface form or synonym ("F1-score" -> "f1"), or null when unknown. */
export function canonicalMetric(text: string): string | null {
  const lower = text.trim().toLowerCase();
  // (white space folded only where there is any: most names asked about are one word)
  const key = SPACE_RE.test(lower) ? lower.replace(/\s+/g, ' ') : lower;
  return (
    BY_NAME.get(key)?.name ??
    BY_FORM.get(key)?.name ??
    (key.startsWith('pass') && PASS_AT_RE.test(key) ? 'pass@k' : null)
  );
}

/** metrics-1.23.0: the metric a label names, a cut-off "@k" after a table name included ("precision@15", "Recall@20"). */
export function labelMetric(label: string): string | null {
  const named = canonicalMetric(label);
  if (named !== null) return named;
  const at = label.indexOf('@');
  return at > 0 && /^@\d{1,3}$/.test(label.slice(at)) ? canonicalMetric(label.slice(0, at)) : null;
}

export function metricDirection(metric: string): MetricDirection | null {
  const name = canonicalMetric(metric);
  return name ? (BY_NAME.get(name)?.direction ?? null) : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Alternations of literals, longest first so "f1 score" wins over "f1"; literal alternatives cannot
// backtrack beyond the length of one form, so a scan is linear in the window it runs on.
// metrics-1.16.0: "mAP50-95", "mAP50:95", "mAP50", "BLEU4": a threshold or order written right after a name that ends in a letter
// is part of the name (group 1 of a match is the table form)
// metrics-1.23.0: "$IoU_{3D}$", "$mAP_{0.5}$", "$AP_{50}$": a LaTeX subscript after the name qualifies it (inside math)
const THRESHOLD_SUFFIX = '(?:(?<=[A-Za-z])\\d{1,3}(?:[-–:]\\d{1,3})?|_\\{[\\w.:-]{1,8}\\}(?=\\$))?';
function formsRe(forms: string[], flags: string): RegExp {
  const sorted = [...new Set(forms)].sort((a, b) => b.length - a.length);
  // "J&F" is no F-score, "runtime-enforced" / "memory-efficient" / "accuracy-efficiency" are modifiers, not metrics;
  // "compute efficiency", "energy efficiency" measure how well a resource is used, not the resource;
  // a cut-off after "@" keeps the metric ("AP@25", "NDCG@10", "Recall@5")
  return new RegExp(
    `(?<![\\w@&-])(${sorted.map(escapeRe).join('|')})${THRESHOLD_SUFFIX}(?!\\w)(?!@(?![\\d.]))(?!-(?!scores?\\b)[a-z])(?!\\s+efficiency\\b)`,
    flags,
  );
}
const allForms = METRIC_TABLE.flatMap((e) => e.forms);
export const METRIC_RE_ANY_CASE = formsRe(
  allForms.filter((f) => f === f.toLowerCase()),
  'gi',
);
// "Item-F1 92.8", "Row-F1", "EtF1": an F1 named by a capitalised word before it is an F1 ("UF1", "BERTScore-F1" are
// other metrics' names)
// (the prefix is matched, not looked behind at: a lookbehind would be tried at every position of every window)
export const METRIC_RE_PREFIXED_F1 = /\b[A-Z](?:[a-z]{1,10}-?|-)F1(?![\w@-])/g;
// metrics-1.32.0: "F1-NoAH", "F1-Macro": an F1 taken on a class or an averaging written after it with a capital is an F1
// (GUIDE: a subscripted form of the same measure is that measure)
export const METRIC_RE_SUFFIXED_F1 = /\bF1-[A-Z][A-Za-z]{1,8}(?![\w@-])/g;
// metrics-1.21.0: pass@k at any k and the strict pass^k ("pass@25", "Pass@3", "strict pass^3")
export const METRIC_RE_PASS_AT = /\b[Pp]ass[@^](?:\d{1,4}|k)(?![\w.]\w)/g;
export const METRIC_RE_EXACT_CASE = formsRe(
  allForms.filter((f) => f !== f.toLowerCase()),
  'g',
);
