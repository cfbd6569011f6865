// Quality gates: the shipped classifier (learned model + keyword model) must keep its figures on the dev set and
// on the held-out sets heldout-3, heldout-4 (the random stream's held-out draw) and heldout-5 (Daily Papers) at or above the floors in data/classification/quality-floors.json, which
// were set from the figures measured when the learned model was introduced, and give at most the ceiling's share of
// the shipped 2007 snapshot's 350 held-out non-ML papers a topic. Same computation as `npm run eval:classifier`
// (which fails on the same floors and ceiling).
import { readFileSync } from 'node:fs';
import { createClassifier } from './classifier';
import { nonMlSplit } from './corpus';
import {
  dataPath,
  findRepoRoot,
  loadDefaultModel,
  loadDefaultTaxonomy,
  loadShippedCorpora,
} from './data-files';
import {
  countWithTopic,
  evaluateSet,
  floorFailures,
  nonMlFailures,
  type LabelledRow,
  type QualityFloors,
} from './evaluate';

const floors = JSON.parse(
  readFileSync(dataPath('classification', 'quality-floors.json'), 'utf8'),
) as QualityFloors;
const readSet = (name: string): LabelledRow[] =>
  readFileSync(dataPath('classification', 'labels', `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledRow);

describe('classifier quality gates', () => {
  const classifier = createClassifier(loadDefaultTaxonomy(), loadDefaultModel());

  it('has floors for the dev set and the held-out sets', () => {
    expect(Object.keys(floors.sets).sort()).toEqual(['dev', 'heldout-3', 'heldout-4', 'heldout-5']);
    for (const f of Object.values(floors.sets)) expect(f.microF1).toBeGreaterThan(0.5);
  });

  it.each(Object.keys(floors.sets))('%s is at or above its floors', (set) => {
    const figures = evaluateSet(readSet(set), (r) =>
      classifier.classify({ title: r.title, abstract: r.abstract, categories: [] }),
    );
    expect(floorFailures(set, figures, floors)).toEqual([]);
  });

  it('reports a figure below its floor', () => {
    const figures = evaluateSet(readSet('heldout-3').slice(0, 20), () => ({
      topics: [],
      primaryTopic: null,
      contribution: 'survey',
      version: 'none',
    }));
    expect(floorFailures('heldout-3', figures, floors).length).toBeGreaterThan(0);
  });

  describe('non-ML papers (held-out split of the shipped 2007 arXiv snapshot)', () => {
    const { heldOut } = nonMlSplit(loadShippedCorpora(findRepoRoot(__dirname)).gechhai);

    it('has a ceiling under a tenth of the 27.1% before the certain negatives, with its reason', () => {
      expect(floors.nonMl.maxShareWithTopic).toBeGreaterThan(0);
      expect(floors.nonMl.maxShareWithTopic).toBeLessThanOrEqual(0.027);
      expect(floors.nonMl.reason).toMatch(/350 held-out non-ML papers/);
    });

    it('gives at most the ceiling share of them a topic', () => {
      const f = countWithTopic(heldOut, (p) =>
        classifier.classify({ title: p.title, abstract: p.abstract, categories: [] }),
      );
      expect(f.papers).toBe(350);
      expect(nonMlFailures(f, floors)).toEqual([]);
    });

    it('reports a share above the ceiling, and a missing ceiling', () => {
      const anyTopic = countWithTopic(heldOut.slice(0, 50), () => ({
        topics: [{ slug: 'domain-science', score: 0.9, evidence: [] }],
        primaryTopic: 'domain-science',
        contribution: 'method',
        version: 'none',
      }));
      expect(anyTopic).toEqual({ papers: 50, withTopic: 50 });
      expect(nonMlFailures(anyTopic, floors)).toEqual([
        'nonMl: 100.0% (50/50) of non-ML papers given a topic > ceiling 2.0%',
      ]);
      expect(nonMlFailures({ papers: 350, withTopic: 7 }, floors)).toEqual([]);
      expect(nonMlFailures({ papers: 350, withTopic: 8 }, floors)).toHaveLength(1);
      expect(
        nonMlFailures({ papers: 350, withTopic: 0 }, { sets: floors.sets } as QualityFloors),
      ).toHaveLength(1);
    });
  });
});
