// metrics-1.27.0: whose number a claim is and what it measures — causes a user review found on sample papers and that
// claims22 left (issue #18, brief claims22b), each a general phrasing: a figure whose subject is another named system
// in the abstract's motivation, a teacher's figure set against the student, figures earlier research "revealed", the
// share of a gap closed, a benchmark named before "scores" and a system named before "baseline", a rival's scores
// after "(vs.", a score a method only matches, a generic comparator, a change written with the level it reaches, bits
// of information, sample sizes after a preposition, and the first of a list of counts.
// Sentences are written for the test, not copied from any labelled set or from the review.
import { formatClaim } from './format-claim';
import { find, texts } from './spec-helpers';

describe('metrics-1.27.0 rules', () => {
  describe('whose figure it is', () => {
    it("a named rival's cost stated before the abstract turns to its own work is background, not a claim", () => {
      const t =
        'QLoRA, however, adds up to 25% higher decoding latency on long prompts. We propose FuseAdapt, which merges the adapters at load time and cuts latency by 18%.';
      expect(texts(t)).not.toContain('25%');
      expect(texts(t)).toContain('18%');
    });
    it("the same figure of the paper's own method after the turn stays a claim", () => {
      const t = 'We propose FuseAdapt. FuseAdapt adds only 2% higher decoding latency than the frozen model.';
      expect(texts(t)).toContain('2%');
    });
    it("a rival's score stated on its own stays a claim (GUIDE: scores of other systems stated on their own)", () => {
      const t =
        'Yet current agents struggle: MemGPT reaches 41% on the update task. We argue that memory must be typed.';
      expect(texts(t)).toContain('41%');
    });
    it("a teacher's figure set against the student is a comparison; the student's figure stays", () => {
      const t =
        'We distill a compact student. The teacher loses much of its accuracy under 4-bit weights (-19% AP), while the student keeps it (-3.1% AP).';
      expect(texts(t)).not.toContain('19%');
      expect(find(t, '3.1%').kind).toBe('reduction');
    });
    it('figures earlier research "revealed", with a long subject, are background', () => {
      const t =
        'Recent research carried out by an independent red-teaming lab, together with two universities, revealed that OpenGuard lets through 64% of jailbreak prompts. We present a filter that blocks them.';
      expect(texts(t)).not.toContain('64%');
    });
    it('hardware acronyms are no rivals: "on one GPU, while it takes …" of the paper itself stays', () => {
      const t =
        'Indexing is fast: it runs on one GPU, while it takes 12 minutes on a laptop. We then study recall.';
      expect(texts(t)).toEqual(expect.arrayContaining(['12 minutes']));
    });
  });

  describe('what it measures', () => {
    it('the share of a gap closed is a retention, not a gain of that size', () => {
      const t = 'Our curriculum closes the performance gap to the oracle by 87.3% on average.';
      const c = find(t, '87.3%');
      expect(c.kind).toBe('retention');
      expect(c.improvement).toBeNull();
      expect(formatClaim(c)).not.toMatch(/gain/);
      expect(find('Reranking bridges 64% of the gap between the two retrievers.', '64%').kind).toBe(
        'retention',
      );
    });
    it('a benchmark named before "scores … reach" is the dataset; a name before "baseline" is the system compared with', () => {
      const c = find(
        'On program synthesis, MBPP scores reach 52.4 compared to 40.1 for the NAR baseline.',
        '52.4',
      );
      expect(c.dataset).toBe('MBPP');
      expect(c.comparedTo).toBe('NAR baseline');
      expect(formatClaim(c)).not.toMatch(/from/);
      const d = find('The planner scores 61.2 versus 55.0 for the CoT baseline on unseen layouts.', '61.2');
      expect(d.dataset).not.toBe('CoT');
    });
    it('a metric named before "scores" is no dataset', () => {
      const c = find('Across all systems, Macro-F1 scores are near 0.41, so rare senses stay hard.', '0.41');
      expect(c.dataset).toBeNull();
    });
    it('"(vs. A / B)": the scores of several rivals are no value the claim started from', () => {
      const c = find(
        'Our parser reaches a labelling accuracy of 88.3% (vs. 91.0% / 70.2%) on the clinic data.',
        '88.3%',
      );
      expect(c.baseline).toBeNull();
      expect(c.improvement).toBeNull();
      expect(formatClaim(c)).not.toMatch(/from/);
    });
    it('"(vs. B for the commercial tool)": the rival is named as what the claim is compared to', () => {
      const c = find(
        'Our system achieves a detection accuracy of 91.2% (vs. 95.7% for the commercial tool).',
        '91.2%',
      );
      expect(c.comparedTo).toBe('commercial tool');
      expect(formatClaim(c)).toMatch(/vs commercial tool/);
      const d = find('Male share rises to 71% (compared to 20% with neutral prompts) in our study.', '71%');
      expect(d.comparedTo ?? '').not.toMatch(/^with/);
    });
    it('a score a method only matches takes the matched measure and claims no improvement', () => {
      const c = find(
        'The pruned model is 40% smaller while matching its accuracy on SuperGLUE (84.2 vs 84.5).',
        '84.2',
      );
      expect(c.metric).toBe('accuracy');
      expect(c.improvement).toBeNull();
      const d = find(
        "The student cuts GPU memory by 3x, matching the teacher's accuracy on SuperGLUE (84.2 vs. 84.5).",
        '84.2',
      );
      expect(d.improvement).toBeNull();
      expect(
        find(
          "The student cuts GPU memory by 3x, matching the teacher's accuracy on SuperGLUE (84.2 vs. 84.5).",
          '3x',
        ).metric,
      ).toBe('gpu memory');
    });
    it('a generic comparator keeps what says which one, or names none', () => {
      const t =
        'Our approach yields a 4.9% gain in answer accuracy over a method that simply relies on retrieved passages.';
      expect(find(t, '4.9%').comparedTo).toBe('method that simply relies on retrieved passages');
      expect(find('The tuned policy is 12% better than the model.', '12%').comparedTo).toBeNull();
    });
  });

  describe('numbers and units', () => {
    it('"improves by X% to Y%" is the change and the level it reaches when a value before makes Y', () => {
      const t =
        'Compared with the 58.40% baseline, our reranker improves by 12.35% to 70.75% on the test set.';
      expect(find(t, '12.35%').kind).toBe('relative_improvement');
      expect(find(t, '70.75%').kind).toBe('absolute_score');
    });
    it('"improves … by X% to Y%" without such a value stays one range', () => {
      const t = 'Our scheduler improves goodput by 14% to 31% across the four clusters.';
      const c = find(t, '14% to 31%');
      expect(c.low).toBe(14);
      expect(c.value).toBe(31);
    });
    it('a scale letter apart from its number, in LaTeX roman or after a space, of FLOPs named just before', () => {
      const t =
        'Pruning cuts FLOPs from \\(6.40\\,\\mathrm{G}\\) to \\(2.10\\,\\mathrm{G}\\) at equal accuracy.';
      const c = find(t, '2.10\\,\\mathrm{G}');
      expect(c.value).toBeCloseTo(2.1e9);
      expect(c.unitText).toBe('FLOPs');
      expect(c.metric).toBe('compute');
      expect(c.baseline?.value).toBeCloseTo(6.4e9);
      expect(find('Its FLOPs drop from 5.2 G to 3.3 G per frame.', '3.3 G').value).toBeCloseTo(3.3e9);
      expect(find('Each image costs 3.1\\,\\mathrm{G} FLOPs.', '3.1\\,\\mathrm{G}').value).toBeCloseTo(3.1e9);
    });
    it('scaled bits of information are no parameters', () => {
      const c = find('The models store up to 9B bits of knowledge in total.', '9B bits');
      expect(c.unit).toBe('other');
      expect(c.unitText).toBe('bits');
    });
    it('a sample size after a preposition ("on n=5,431 points") is a size count, not percentage points', () => {
      const c = find('We evaluate on n=5,431 points across four intent sets.', '5,431');
      expect(c.kind).toBe('size');
      expect(c.unit).toBe('count');
      expect(texts('Best-of-N with N=4 beats sampling.')).not.toContain('4');
    });
    it('every count of a list before one counted noun, the first included; a compound setting after the list is none', () => {
      expect(texts('Trials span 3, 7, and 15 robots in two warehouses.')).toEqual(
        expect.arrayContaining(['3', '7', '15 robots']),
      );
      expect(texts('We test 4, 6 and 10 drones.')).toEqual(expect.arrayContaining(['4', '6', '10 drones']));
      expect(texts('Gains are marginal across 5, 10, and 20-shot settings.')).not.toContain('5');
    });
  });
});
