#!/usr/bin/env python3
"""Replays the topic trainer's out-of-fold figures from a `--dump-oof` file (tools/train/linear-trainer.ts), and
scores a second-order model over them (the brief's alternative to self-training, docs/classifier-self-training.md).

  python3 tools/train/replay-oof.py DUMP --compare-ids FILE [--stack L2]

Without --stack: the trainer's calibration (Platt per topic head on every row's out-of-fold logit, weighted as in
training; own threshold with >= 15 positives, else the global one, clamped to 0.15..0.85), its returned topics
(shared-scale order), its primary rule and the nested random-stream calibrations, re-fitted here: the printed figures
must equal the trainer's (the check that the replay is the trainer's arithmetic).
--stack L2: each topic head's logit is replaced by a second-order logistic model over every topic head's out-of-fold
logit and the 20 keyword logits (L2 penalty L2, Newton), fitted for fold k on the rows outside fold k only; then the
same calibration, rules and figures. Primary heads and contribution are unchanged.
"""
import argparse
import json
import math

import numpy as np

OWN_THRESHOLD_POSITIVES = 15


def sig(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sig1(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def fit_platt(z, y, w):
    pos = float(w[y == 1].sum())
    neg = float(w[y != 1].sum())
    hi, lo = (pos + 1) / (pos + 2), 1 / (neg + 2)
    t = np.where(y == 1, hi, lo)
    a, b = 1.0, 0.0
    for _ in range(50):
        p = sig(a * z + b)
        d = (p - t) * w
        q = p * (1 - p) * w
        gA, gB = float((d * z).sum()), float(d.sum())
        hAA, hAB, hBB = 1e-6 + float((q * z * z).sum()), float((q * z).sum()), 1e-6 + float(q.sum())
        det = hAA * hBB - hAB * hAB
        if abs(det) < 1e-12:
            break
        da = (hBB * gA - hAB * gB) / det
        db = (hAA * gB - hAB * gA) / det
        a -= da
        b -= db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b


GRID = []
_t = 0.05
while _t <= 0.95 + 1e-9:
    GRID.append(_t)
    _t += 0.025


def best_threshold(p, y, w):
    best_t, best_f = 0.5, -1.0
    pos = y == 1
    for t in GRID:
        pr = p >= t
        tp = float(w[pr & pos].sum())
        fp = float(w[pr & ~pos].sum())
        fn = float(w[~pr & pos].sum())
        f = 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
        if f > best_f + 1e-9:
            best_t, best_f = round(t * 1000) / 1000, f
    return best_t, best_f


def calibrate(Z, Y, heads, cw):
    platt, probs = {}, {}
    for h in heads:
        platt[h] = fit_platt(Z[h], Y[h], cw)
        probs[h] = sig(platt[h][0] * Z[h] + platt[h][1])
    allp = np.concatenate([probs[h] for h in heads])
    ally = np.concatenate([Y[h] for h in heads])
    allw = np.concatenate([cw for _ in heads])
    g, _ = best_threshold(allp, ally, allw)
    thr = {}
    for h in heads:
        npos = int((Y[h] == 1).sum())
        own, _ = best_threshold(probs[h], Y[h], cw)
        thr[h] = min(0.85, max(0.15, own)) if npos >= OWN_THRESHOLD_POSITIVES else g
    return platt, thr


def shared(p, t, T):
    return T * p / t if p < t else T + (1 - T) * (p - t) / max(1e-9, 1 - t)


def predict(i, Z, heads_of_topic, slugs, kw, platt, thr, T):
    out = []
    for ti, slug in enumerate(slugs):
        h = heads_of_topic.get(ti)
        if h is not None:
            a, b = platt[h]
            p = sig1(a * Z[h][i] + b)
            if p >= thr[h]:
                out.append((shared(p, thr[h], T), slug, h))
        else:
            s = sig1(kw[i][ti])
            if s >= T:
                out.append((s, slug, -1))
    out.sort(key=lambda x: (-x[0], x[1]))
    return out


def primary_of(o, i, rule, prim_head, oofs):
    if len(o) <= 1 or rule == 'score':
        return o[0][1] if o else None
    best, prim = -math.inf, o[0][1]
    for s, slug, h in o:
        if rule == 'probability':
            v = s  # (not used by the shipped recipe)
        else:
            ph = prim_head.get(slug) if h >= 0 else None
            v = oofs[ph][i] if ph is not None else -math.inf
        if v > best:
            best, prim = v, slug
    return prim


def figures(idx, preds, prims, topics, primary):
    tp = npred = ngold = ok = 0
    for i in idx:
        ps = [s for _, s, _ in preds[i]]
        npred += len(ps)
        ngold += len(topics[i])
        tp += sum(1 for s in ps if s in topics[i])
        ok += prims[i] == primary[i]
    P = tp / npred if npred else 0
    R = tp / ngold if ngold else 0
    F = 2 * P * R / (P + R) if P + R else 0
    return P, R, F, ok / len(idx), tp, npred, ngold, ok


def stack(Z, Y, heads, kw, folds, w, l2):
    X = np.column_stack([Z[h] for h in heads] + [kw[:, j] for j in range(kw.shape[1])] + [np.ones(len(w))])
    out = {h: np.zeros(len(w)) for h in heads}
    for k in sorted(set(folds.tolist())):
        tr, te = folds != k, folds == k
        Xt, wt = X[tr], w[tr]
        for h in heads:
            yt = (Y[h][tr] == 1).astype(float)
            beta = np.zeros(X.shape[1])
            for _ in range(30):
                p = sig(Xt @ beta)
                g = Xt.T @ ((p - yt) * wt) + l2 * np.r_[beta[:-1], 0]
                H = (Xt * (p * (1 - p) * wt)[:, None]).T @ Xt + l2 * np.diag(np.r_[np.ones(X.shape[1] - 1), 0])
                step = np.linalg.solve(H + 1e-9 * np.eye(X.shape[1]), g)
                beta -= step
                if np.abs(step).max() < 1e-8:
                    break
            out[h][te] = X[te] @ beta
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('--compare-ids', required=True)
    ap.add_argument('--stack', type=float)
    a = ap.parse_args()
    d = json.load(open(a.dump))
    n = len(d['ids'])
    T = d['sharedThreshold']
    slugs = d['slugs']
    kw = np.array(d['keyword'])
    w = np.array(d['weights'], dtype=float)
    folds = np.array(d['folds'])
    is_stream = np.array(d['isStream'])
    Z = {h: np.array(x['oof']) for h, x in enumerate(d['heads'])}
    Y = {h: np.array(x['y']) for h, x in enumerate(d['heads'])}
    topic_heads = [h for h, x in enumerate(d['heads']) if x['kind'] == 'topic']
    heads_of_topic = {slugs.index(d['heads'][h]['label']): h for h in topic_heads}
    prim_head = {x['label']: h for h, x in enumerate(d['heads']) if x['kind'] == 'primary'}
    rule = d['primaryRule']
    if a.stack is not None:
        Z.update(stack(Z, Y, topic_heads, kw, folds, w, a.stack))
    platt, thr = calibrate(Z, Y, topic_heads, w)
    preds = [predict(i, Z, heads_of_topic, slugs, kw, platt, thr, T) for i in range(n)]
    prims = [primary_of(preds[i], i, rule, prim_head, Z) for i in range(n)]
    spreds, sprims = list(preds), list(prims)
    for k in sorted(set(folds[is_stream].tolist())):
        ck = calibrate(Z, Y, topic_heads, np.where(is_stream & (folds == k), 0.0, w))
        for i in np.nonzero(is_stream & (folds == k))[0]:
            spreds[i] = predict(i, Z, heads_of_topic, slugs, kw, ck[0], ck[1], T)
            sprims[i] = primary_of(spreds[i], i, rule, prim_head, Z)
    ids = set(l.strip() for l in open(a.compare_ids) if l.strip())
    cmp_ = [i for i in range(n) if d['ids'][i] in ids]
    cmp_s = [i for i in cmp_ if is_stream[i]]
    topics, primary = d['topics'], d['primary']
    name = 'stacked (L2 %g)' % a.stack if a.stack is not None else 'replay'
    for label, idx, pr, pm in [('compare rows', cmp_, preds, prims), ('of which random stream, nested', cmp_s, spreds, sprims)]:
        P, R, F, acc, tp, npred, ngold, ok = figures(idx, pr, pm, topics, primary)
        print(f'{name}: {label} ({len(idx)}): micro P/R/F1 {P:.4f} / {R:.4f} / {F:.4f}  primary {100*acc:.2f}% ({ok})  tp {tp} pred {npred} gold {ngold}')


if __name__ == '__main__':
    main()
