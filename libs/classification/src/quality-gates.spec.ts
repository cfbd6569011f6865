// Quality gates: the shipped classifier (learned model + keyword model) must keep its figures on the dev set and
// on the held-out sets heldout-3, heldout-4 (the random stream's held-out draw) and heldout-5 (Daily Papers) at or above the floors in data/classification/quality-floors.json, which
// were set from the figures measured when the learned model was introduced. Same computation as
// `npm run eval:classifier` (which fails on the same floors).
import { readFileSync } from 'node:fs';
import { createClassifier } from './classifier';
import { dataPath, loadDefaultModel, loadDefaultTaxonomy } from './data-files';
import { evaluateSet, floorFailures, type LabelledRow, type QualityFloors } from './evaluate';

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
});
