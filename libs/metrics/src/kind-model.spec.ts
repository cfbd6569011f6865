// metrics-1.19.0: the learned kind correction (kind-model.ts) — its features, the shipped model file, the hot path's
// agreement with the trainer's, and cases the rules get wrong and the model right (sentences written for the test).
import { CLAIM_KINDS } from '@paperwire/contracts';
import { EXTRACTOR_VERSION, extractClaims, extractClaimsByRules } from './extract-claims';
import {
  KindContext,
  claimKindProbabilities,
  compileKindModel,
  correctKinds,
  crossesCategory,
  decideKind,
  kindFeatures,
  kindProbabilities,
  shippedKindModel,
  stem,
  type KindModelFile,
} from './kind-model';

const byText = (t: string, span: string) => {
  const claims = extractClaimsByRules(t);
  const i = claims.findIndex((c) => c.text === span);
  if (i < 0) throw new Error(`no claim "${span}"`);
  return { claims, i };
};

describe('kind features', () => {
  const t = 'We propose X. Our method improves accuracy by 5.2 points on GLUE, reducing cost by 40%.';

  it("read the rules' own fields, the words around the value (position-tagged), cue classes, verbs and list place", () => {
    const { claims, i } = byText(t, '5.2 points');
    const f = kindFeatures(t, claims, i);
    expect(f).toEqual(
      expect.arrayContaining([
        'bias',
        'k=relative_improvement',
        'u=pp',
        'c=result',
        'ku=relative_improvement|pp',
        'm=accuracy',
        'mdir=higher',
        'sh=pct<10',
        'L1:by',
        'L2:accuracy',
        'L3:improves',
        'LB:improv',
        'R1:on',
        'R2:glue',
        'L21:accuracy_by',
        'cue=before-improve',
        'SV:improv',
        'SV:reduc',
        'pos=first',
        'nk=reduction',
      ]),
    );
    // the first stage reads the claim's own fields only
    const fields = kindFeatures(t, claims, i, new KindContext(t), true);
    expect(fields.every((x) => f.includes(x))).toBe(true);
    expect(fields.some((x) => x.startsWith('L1:') || x.startsWith('SV:'))).toBe(false);
  });

  it('are the same whatever other claims of the text were read first (the context caches sentences)', () => {
    const text = `${t} It runs on 8 GPUs. ${'Filler words follow here and there. '.repeat(6)}The gain is 3.1% on MNLI.`;
    const claims = extractClaimsByRules(text);
    const shared = new KindContext(text);
    const inOrder = claims.map((_, i) => kindFeatures(text, claims, i, shared));
    claims.forEach((_, i) => expect(kindFeatures(text, claims, i)).toEqual(inOrder[i]));
  });

  it('stem plural and verb endings', () => {
    expect(['improves', 'improved', 'improving', 'reduces', 'tasks', 'class'].map(stem)).toEqual([
      'improv',
      'improv',
      'improv',
      'reduc',
      'task',
      'class',
    ]);
  });
});

describe('the shipped model', () => {
  const model = shippedKindModel();

  it('loads from data/metrics/kind-model.json.gz, once', () => {
    expect(model).not.toBeNull();
    expect(shippedKindModel()).toBe(model);
    expect(model?.classes).toEqual([...CLAIM_KINDS]);
    expect(model?.version).toBe(`kind-model for ${EXTRACTOR_VERSION}`); // rebuilt by `npm run train:metrics` with this release
    expect(model?.margin).toBeGreaterThanOrEqual(0);
    expect(model?.gate).toBeGreaterThan(0.5);
    expect(Object.keys(model?.first.weights ?? {}).length).toBeGreaterThan(0);
  });

  it("hashes its features on the hot path to the same probabilities as the trainer's feature names", () => {
    if (!model) throw new Error('no model');
    const texts = [
      'We enrolled 1,204 patients across 12 hospitals; the model reaches 0.91 AUROC, a 7.5% gain over the baseline.',
      'Inference is 3.2x faster and uses 40% less memory (12 GB vs 20 GB) than LLaMA-2 7B on two A100s.',
    ];
    for (const t of texts) {
      const claims = extractClaimsByRules(t);
      const ctx = new KindContext(t);
      claims.forEach((_, i) => {
        const names = kindProbabilities(model, kindFeatures(t, claims, i, ctx));
        const hashed = claimKindProbabilities(model, t, claims, i);
        hashed.forEach((p, k) => expect(p).toBeCloseTo(names[k], 12));
        const first = kindProbabilities(model.first, kindFeatures(t, claims, i, ctx, true));
        claimKindProbabilities(model, t, claims, i, ctx, undefined, true).forEach((p, k) =>
          expect(p).toBeCloseTo(first[k], 12),
        );
      });
    }
  });

  it.each([
    // counted traditions a benchmark spans are its breadth (scope), not the size of its data
    [
      'Our corpus contains 3,200 annotated poems spanning nine literary traditions, with bilingual coverage.',
      'nine literary traditions',
      'size',
      'scope',
      'setup',
    ],
    // an area of training data sizes the setup
    [
      'The model was trained on approximately 52,000 km2 of satellite imagery from public archives.',
      '52,000 km2',
      'other',
      'size',
      'setup',
    ],
  ])('%s: the rules read "%s" as %s, the correction as %s', (t, span, rulesKind, kind, category) => {
    expect(byText(t, span).claims[byText(t, span).i].kind).toBe(rulesKind);
    const c = extractClaims(t).find((x) => x.text === span);
    expect([c?.kind, c?.category]).toEqual([kind, category]);
  });

  it('keeps the rules where the model is not confident', () => {
    const t = 'Our method improves accuracy by 5.2 points on GLUE.';
    expect(extractClaims(t).map((c) => c.kind)).toEqual(extractClaimsByRules(t).map((c) => c.kind));
  });
});

describe('correctKinds', () => {
  it("changes a kind with its category and improvement flag, deciding every claim on the rules' output", () => {
    // a toy model: "rn=scope" (a scope noun after the value) makes a claim a scope count, past any gate
    const file: KindModelFile = {
      version: 'toy',
      classes: [...CLAIM_KINDS],
      margin: 0.5,
      gate: 0.99,
      bias: CLAIM_KINDS.map(() => 0),
      weights: { 'rn=scope': CLAIM_KINDS.map((k) => (k === 'scope' ? 20 : 0)) },
      first: { bias: CLAIM_KINDS.map(() => 0), weights: {} },
    };
    const t = 'The gain is 4% across 12 tasks.';
    const claims = extractClaimsByRules(t);
    const before = claims.map((c) => ({ ...c }));
    correctKinds(t, claims, compileKindModel(file));
    const tasks = claims.find((c) => c.text.startsWith('12'));
    expect([tasks?.kind, tasks?.category, tasks?.improvement ?? null]).toEqual(['scope', 'setup', null]);
    expect(claims.find((c) => c.text === '4%')).toEqual(before.find((c) => c.text === '4%'));
  });

  it('a change between setup and result needs crossMargin, a change within a category the margin', () => {
    const file = { classes: [...CLAIM_KINDS], margin: 0.5 } as unknown as KindModelFile;
    const p = (kind: string) => CLAIM_KINDS.map((k) => (k === kind ? 0.8 : k === 'size' ? 0.1 : 0.1 / 6));
    expect(decideKind(file, 'size', p('scope'), 0.5, 2)).toBe('scope');
    expect(decideKind(file, 'size', p('absolute_score'), 0.5, 2)).toBe('size');
    expect(decideKind(file, 'size', p('absolute_score'), 0.5)).toBe('absolute_score');
    expect(crossesCategory('size', 'scope')).toBe(false);
    expect(crossesCategory('other', 'scope')).toBe(true);
    expect(crossesCategory('reduction', 'retention')).toBe(false);
  });

  it('does nothing without a model', () => {
    const t = 'The gain is 4% across 12 tasks.';
    const claims = extractClaimsByRules(t);
    const before = JSON.stringify(claims);
    correctKinds(t, claims, null);
    expect(JSON.stringify(claims)).toBe(before);
  });
});
