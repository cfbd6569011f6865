// The mirrored per-day arXiv listings (unlabelled title + abstract records, arXiv metadata, CC0) that the word vectors
// are trained on (trim-word-vectors.ts) and the self-training pool is drawn from (train-classifier --self-train),
// read from the git directories the `fetch` tool writes (/work/.mirror/<owner>+<name>/repo).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type AcceptanceTest, normTitle } from './linear-trainer';

export interface Mirror {
  repo: string;
  commit: string;
  licence: string;
  adds: number;
}

/**
 * The mirrored per-day listings (daily-arXiv-ai-enhanced and forks of it, each crawling its own arXiv categories),
 * in precedence order, each pinned to a commit; licence = the repository's LICENSE (the records themselves are arXiv
 * metadata, CC0). adds = the distinct kept arXiv ids the repository adds to those above it (before the held-out and
 * acceptance-set papers are left out; checked on every run), 2026-12-06. "Apache-2.0 (modified)": the upstream's "Modified Apache
 * License" (Apache 2.0 + a disclaimer for third-party content such as arXiv's); dw-dengwei's listings are on its `data`
 * branch (the LICENSE on `main`), every other repository's on its default branch.
 */
export const MIRRORS: readonly Mirror[] = [
  { repo: 'dw-dengwei/daily-arXiv-ai-enhanced', commit: 'b4c542b7d61bff39f8b999b45b43f62b2bb94f75', licence: 'Apache-2.0 (modified)', adds: 74728 },
  { repo: 'LHaiC/daily-arXiv-ai-enhanced', commit: '318ca0900f82ebe6cdaaf473884f7a8c3cfcc2b1', licence: 'Apache-2.0', adds: 46703 },
  { repo: 'fengyang95/daily-code-agent', commit: 'fee34425a43f93c51efe22f894796a651d9b5a43', licence: 'Apache-2.0', adds: 13718 },
  { repo: 'junle-chen/daily-arXiv-gemini-enhanced', commit: '2a4d4d3d0d5873fb0a3a0edeefbffc32f7b11afa', licence: 'Apache-2.0', adds: 10006 },
  { repo: 'LIHUA919/AI-Agents-Daily-Research', commit: '31fe0dc82f3e283e5c97f17689a3f2aa7fdf81e8', licence: 'Apache-2.0', adds: 9346 },
  { repo: 'JiayaoWei/daily-arXiv-ai-enhanced', commit: 'b4fd211c24cf7c656928ee650d7a1822aadfa511', licence: 'Apache-2.0', adds: 13690 },
  { repo: 'Chi-hong22/daily-arXiv-ai-enhanced', commit: '123b7c1c32527ed3ce7d5af140531a618e02d321', licence: 'Apache-2.0 (modified)', adds: 6301 },
  { repo: 'Hoder-zyf/daily-arXiv-ai-enhanced', commit: 'f363dd045cc195213a5c1f31a4a15f720c161b27', licence: 'Apache-2.0', adds: 5009 },
  { repo: 'CudraniaTrec/daily-arXiv-ai-enhanced', commit: '660ae98ded6331e0fbe6077b279953ed252818b1', licence: 'Apache-2.0', adds: 3569 },
  { repo: 'KeKer7/daily-arXiv-ai-enhanced', commit: '3ee6980b45205b13eeab3ea2196f52e19729d129', licence: 'Apache-2.0', adds: 4398 },
  { repo: 'AntiO2/daily-arXiv-ai-enhanced', commit: 'd338b0ee6ff86985f5f700b8b7740b848c3b5a70', licence: 'Apache-2.0', adds: 1346 },
  { repo: 'NovRed/daily-arXiv-ai-enhanced', commit: '1645dfd9186504aced237bd794cf85274e19d149', licence: 'Apache-2.0', adds: 7433 },
  { repo: 'WenjunHuang12/daily-arXiv-ai-enhanced', commit: 'b44e2286a63a1113d926f9a8f1eefa6d13ff8224', licence: 'Apache-2.0', adds: 3311 },
  { repo: 'LinFei83/daily-arXiv-ai-enhanced', commit: 'feccbdb5f6d0a19e84458a8f791ebd85e190d010', licence: 'Apache-2.0', adds: 2176 },
  { repo: 'Shiping0608/daily-arXiv-ai-enhanced', commit: '740e63a7a299a3041226d67bb921b054593e845a', licence: 'Apache-2.0', adds: 1978 },
];

export interface Text {
  /** the listing's arXiv id (mirror listings only) */
  id?: string;
  title: string;
  abstract: string;
}

/** arXiv's new-style id (no version); a fork's other records (e.g. `wechat.2511.…`) are not arXiv listings. */
const ARXIV_ID = /^\d{4}\.\d{4,5}$/;

/**
 * A listing is kept when one of its arXiv categories is a computer-science, stat.ML or eess one: some forks crawl
 * physics or mathematics too (quant-ph, cond-mat, math.AP), whose words would otherwise take ~6,000 of the 30,000
 * vocabulary places from ML terms of the training texts.
 */
const isKeptCategory = (c: string): boolean => c.startsWith('cs.') || c === 'stat.ML' || c.startsWith('eess.');

/**
 * The mirrors' per-day listings at their pinned commits, one row per arXiv id (the first listing wins: mirrors in
 * order, files by name). Held-out papers (by id or normalised title) and acceptance-set papers are left out.
 */
export function mirrorTexts(
  mirrors: readonly Mirror[],
  root: string,
  heldIds: Set<string>,
  heldTitles: Set<string>,
  isAcceptance: AcceptanceTest,
): Text[][] {
  const seen = new Set<string>();
  const all: Text[][] = [];
  for (const m of mirrors) {
    const out: Text[] = [];
    all.push(out);
    const gitDir = join(root, m.repo.replace('/', '+'), 'repo');
    const git = (...a: string[]): string =>
      execFileSync('git', ['--git-dir', gitDir, ...a], { maxBuffer: 1 << 28 }).toString('utf8');
    const files = git('ls-tree', '-r', '--name-only', m.commit, 'data')
      .split('\n')
      .filter((p) => /^data\/\d{4}-\d\d-\d\d\.jsonl$/.test(p))
      .sort();
    let kept = 0;
    let held = 0;
    let acceptanceDropped = 0;
    let distinct = 0;
    for (const f of files)
      for (const line of git('show', `${m.commit}:${f}`).split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as { id?: string; title?: string; summary?: string; categories?: unknown };
        if (!r.id || !r.title || !r.summary || !ARXIV_ID.test(r.id) || seen.has(r.id)) continue;
        if (!(Array.isArray(r.categories) && r.categories.some((c) => typeof c === 'string' && isKeptCategory(c))))
          continue;
        seen.add(r.id);
        distinct++;
        if (heldIds.has(`arxiv:${r.id}`) || heldIds.has(r.id) || heldTitles.has(normTitle(r.title))) {
          held++;
          continue;
        }
        if (isAcceptance(r.title)) {
          acceptanceDropped++;
          continue;
        }
        out.push({ id: r.id, title: r.title, abstract: r.summary });
        kept++;
      }
    if (distinct !== m.adds)
      throw new Error(`${m.repo}@${m.commit}: ${distinct} new arXiv ids, expected ${m.adds} (a different snapshot?)`);
    console.log(
      `mirror ${m.repo}@${m.commit.slice(0, 12)} (${m.licence}): ${files.length} files, ${distinct} new ids, ` +
        `${kept} kept, ${held} held-out and ${acceptanceDropped} acceptance-set papers dropped`,
    );
  }
  console.log(`mirrors: ${all.reduce((n, t) => n + t.length, 0)} listings kept`);
  return all;
}
