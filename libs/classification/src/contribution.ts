// Contribution type from cue phrases (shipped as data in the model). 'method' is the default: most
// papers propose one, and the cues say when a paper is mainly something else.
import { CONTRIBUTION_TYPES, type ContributionType } from '@paperwire/contracts';
import type { PaperDocument } from './document';
import type { ContributionModel } from './model';
import { phraseKey } from './text';

export interface CompiledContribution {
  cues: { type: ContributionType; key: string; phrase: string; weight: number }[];
  titleBoost: number;
  minScore: number;
}

export function compileContribution(model: ContributionModel): CompiledContribution {
  const cues: CompiledContribution['cues'] = [];
  for (const type of CONTRIBUTION_TYPES) {
    for (const cue of model.cues[type] ?? []) {
      const key = phraseKey(cue.phrase);
      if (key) cues.push({ type, key, phrase: cue.phrase, weight: cue.weight });
    }
  }
  return { cues, titleBoost: model.titleBoost, minScore: model.minScore };
}

export interface ContributionResult {
  type: ContributionType;
  scores: Record<ContributionType, number>;
  evidence: string[];
}

export function classifyContribution(doc: Pick<PaperDocument, 'title' | 'abstract'>, model: CompiledContribution): ContributionResult {
  const scores = Object.fromEntries(CONTRIBUTION_TYPES.map((t) => [t, 0])) as Record<
    ContributionType,
    number
  >;
  const fired: { type: ContributionType; text: string }[] = [];
  for (const cue of model.cues) {
    const inTitle = doc.title.has(cue.key);
    if (!inTitle && !doc.abstract.has(cue.key)) continue;
    scores[cue.type] += cue.weight * (inTitle ? model.titleBoost : 1);
    fired.push({ type: cue.type, text: `${cue.type}: "${cue.phrase}"${inTitle ? ' (title)' : ''}` });
  }
  let best: ContributionType = 'method';
  for (const t of CONTRIBUTION_TYPES) {
    if (t !== 'method' && scores[t] >= model.minScore && scores[t] > scores[best]) best = t;
  }
  return { type: best, scores, evidence: fired.filter((f) => f.type === best).map((f) => f.text) };
}
