// metrics-1.37.0: result-metric attribution, from the wrong metrics of metrics-1.36.0 pooled over every dev set (dev …
// dev-37, dev-37 measured unseen first): values listed each after its own "by" share the measure the last one's "in"
// names, an inference cost is a cost, a physical or spectral energy and a loss rate name no table metric. Every sentence
// here is written for this spec: none is a sample's, a dev set's or an acceptance abstract's
// (tools/eval/acceptance-guard.spec.ts).
import { find } from './spec-helpers';

describe('metrics-1.37.0 rules', () => {
  describe('"A by x, B by y, and C by z in METRIC"', () => {
    it('every listed value takes the measure named after the last one', () => {
      const t =
        'The sampler improves ModelA by 12.5%, ModelB by 7.25%, and ModelC by 1.5% in FID on average.';
      expect(find(t, '12.5%').metric).toBe('fid');
      expect(find(t, '7.25%').metric).toBe('fid');
      expect(find(t, '1.5%').metric).toBe('fid');
      const u =
        'It lowers the error of the small model by 3.1 points and the large model by 2.2 points in WER.';
      expect(find(u, '3.1 points').metric).toBe('wer');
    });
    it('(guard) a value that is not after "by" keeps its own reading', () => {
      const t = 'The detector reaches 71.2% mAP, and the tracker improves by 4.1% in MOTA.';
      expect(find(t, '71.2%').metric).toBe('map');
    });
  });
  describe('inference cost', () => {
    it('is a cost, not an inference time', () => {
      expect(find('The distilled agent matches the teacher at 8x lower inference cost.', '8x').metric).toBe(
        'cost',
      );
      expect(find('Routing cuts inference cost by 45% on the support queue.', '45%').metric).toBe('cost');
    });
    it('(guard) a runtime is still an inference time', () => {
      expect(find('Pruning cuts the inference time by 45% on a laptop CPU.', '45%').metric).toBe(
        'inference time',
      );
    });
  });
  describe('energies that are no energy consumption', () => {
    it('a physical or spectral energy names no metric', () => {
      expect(find('The fitted activation energy is 0.41 eV for the alloy.', '0.41 eV').metric).toBeNull();
      expect(
        find('The filter yields a 9% reduction in high-frequency energy of the residual.', '9%').metric,
      ).toBeNull();
    });
    it('(guard) the energy a system consumes is energy', () => {
      expect(find('The accelerator reduces energy consumption by 38% per inference.', '38%').metric).toBe(
        'energy',
      );
      expect(find('Memory traffic can take nearly 70% of the total energy of the chip.', '70%').metric).toBe(
        'energy',
      );
    });
  });
  it('a loss rate is no training loss', () => {
    const t = 'Margins between win and loss rates ranged from 12 to 18 percentage points across judges.';
    expect(find(t, '12 to 18 percentage points').metric).not.toBe('loss');
  });
});
