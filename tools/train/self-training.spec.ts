// Self-training in the topic trainer (linear-trainer.ts, options.selfTrain; docs/classifier-self-training.md): the
// pool pseudo-labelled in a CV fold never carries that fold's labels, the teachers are the recipe without pseudo
// rows, and pseudo rows are never scored.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DEFAULT_FEATURES, loadDefaultModel, loadDefaultTaxonomy, rng } from '@paperwire/classification';
import {
  DEFAULT_LINEAR_TRAIN,
  type LabelledPaper,
  type LinearTrainOptions,
  trainLinearModel,
} from './linear-trainer';

const WORDS = {
  'vision-language': ['image', 'visual', 'pixel', 'video', 'camera', 'segmentation', 'photo'],
  'speech-audio': ['speech', 'audio', 'acoustic', 'speaker', 'phoneme', 'spoken', 'waveform'],
  none: ['protein', 'market', 'theorem', 'lattice', 'solver', 'planet', 'fluid'],
} as const;
type Kind = keyof typeof WORDS;

function paper(id: string, kind: Kind, next: () => number): LabelledPaper {
  const pick = (k: Kind): string => WORDS[k][Math.floor(next() * WORDS[k].length)];
  const words = (n: number): string =>
    Array.from({ length: n }, () => pick(next() < 0.6 ? kind : 'none')).join(' ');
  return {
    id,
    source: 'spec',
    title: `${words(4)} ${id}`,
    abstract: `We study ${words(12)}. Results on ${words(8)} improve.`,
    topics: kind === 'none' ? [] : [kind],
    primary: kind === 'none' ? null : kind,
    contribution: 'method',
    picked: 'random',
  };
}

const kinds: Kind[] = ['vision-language', 'speech-audio', 'none'];
const next = rng(11);
const labelled = Array.from({ length: 150 }, (_, i) => paper(`spec:${i}`, kinds[i % 3], next));
const pool = Array.from({ length: 90 }, (_, i) => ({
  ...paper(`pool:${i}`, kinds[i % 3], next),
  topics: [],
  primary: null,
  contribution: '',
}));
const foldOf = (id: string): number => createHash('sha1').update(id).digest()[0] % 5;

interface Dump {
  ids: string[];
  heads: { kind: string; label: string; oof: number[] }[];
}

describe('self-training (trainLinearModel selfTrain)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clf-self-training-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const taxonomy = loadDefaultTaxonomy();
  const keywordModel = { ...loadDefaultModel(), linear: undefined };

  /** one run over `rows` as the random stream; returns the students' dump and the teachers' */
  function run(name: string, rows: LabelledPaper[], selfTrain: boolean): { student: Dump; teacher?: Dump } {
    const labels = join(dir, name);
    mkdirSync(labels);
    writeFileSync(join(labels, 'random.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const dump = join(dir, `${name}.json`);
    const opts: LinearTrainOptions = {
      ...DEFAULT_LINEAR_TRAIN,
      features: DEFAULT_FEATURES,
      ftrl: { ...DEFAULT_LINEAR_TRAIN.ftrl, epochs: 2 },
      nbScale: { alpha: 1, primary: true },
      dumpOof: dump,
      ...(selfTrain ? { selfTrain: { pool, source: 'spec', share: 0.5, weight: 0.3 } } : {}),
    };
    trainLinearModel(labels, taxonomy, keywordModel, opts);
    const read = (p: string): Dump => JSON.parse(readFileSync(p, 'utf8')) as Dump;
    return { student: read(dump), ...(selfTrain ? { teacher: read(`${dump}.teacher.json`) } : {}) };
  }

  const base = run('base', labelled, true);
  const inFold0 = labelled.map((r, i) => (foldOf(r.id) === 0 ? i : -1)).filter((i) => i >= 0);

  it('scores the labelled rows only, and the students differ from the teachers', () => {
    expect(base.student.ids).toEqual(labelled.map((r) => r.id));
    const topic = base.student.heads.findIndex((h) => h.kind === 'topic');
    expect(base.student.heads[topic].oof).not.toEqual(base.teacher?.heads[topic].oof);
  });

  it('gives a fold the same out-of-fold logits whatever its own labels are (pseudo labels never carry them)', () => {
    expect(inFold0.length).toBeGreaterThan(10);
    // the fold's labels rotated among its rows: every topic keeps its count (so its positive weight), the rows' labels change
    const rotated = labelled.map((r) => ({ ...r }));
    inFold0.forEach((i, k) => {
      const from = labelled[inFold0[(k + 1) % inFold0.length]];
      Object.assign(rotated[i], { topics: from.topics, primary: from.primary });
    });
    expect(inFold0.some((i) => rotated[i].primary !== labelled[i].primary)).toBe(true);
    const other = run('rotated', rotated, true);
    for (const [h, head] of base.student.heads.entries()) {
      for (const i of inFold0) {
        expect(other.student.heads[h].oof[i]).toBe(head.oof[i]);
        expect(other.teacher?.heads[h].oof[i]).toBe(base.teacher?.heads[h].oof[i]);
      }
    }
    // and the other folds' do see them
    const rest = labelled.map((_, i) => i).filter((i) => foldOf(labelled[i].id) !== 0);
    expect(rest.some((i) => other.student.heads[0].oof[i] !== base.student.heads[0].oof[i])).toBe(true);
  });

  it('has teachers that are the recipe without self-training', () => {
    const plain = run('plain', labelled, false);
    expect(plain.student.heads.map((h) => h.oof)).toEqual(base.teacher?.heads.map((h) => h.oof));
  });
});
