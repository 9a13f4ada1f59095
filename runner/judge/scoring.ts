// Scoring problems: the score a set of test results earns, as problemtools counts it. 2025-09:
// samples never score; a group with sub-groups earns the aggregate of theirs (sum, or min), capped at
// its maximum; a group of tests earns its maximum when its aggregation is pass-fail or min and every
// test is accepted, and its share per accepted test when it is sum (2023-07-draft alike). Legacy: the
// default grader's sum (or min) of accept_score / reject_score over the tests that ran.
import type { ProblemPackage, TestGroup } from './problem';
import type { TestResult } from './types';
import type { GroupScore, ScoreReport } from '../../protocol/results';
import type { ScoreGroup } from '../../protocol/judge';

export type { GroupScore, ScoreReport } from '../../protocol/results';
export type { ScoreGroup } from '../../protocol/judge';

/**
 * The scored groups of a package; empty for pass-fail problems. 2025-09 and 2023-07-draft: secret
 * and its groups (samples never score). Legacy: the default grader's tree as problemtools walks
 * it — sample too, unless data/'s grader_flags say ignore_sample —, each test worth its group's
 * accept_score or reject_score.
 */
export function scoreGroups(problem: ProblemPackage): ScoreGroup[] {
  if (!problem.scoring) return [];
  const legacy = problem.formatVersion === 'legacy';
  const convert = (g: TestGroup): ScoreGroup => {
    const groups = g.groups.map(convert);
    const own = g.settings.score;
    if (legacy) {
      const accept = g.settings.acceptScore ?? 1;
      const range = g.settings.range;
      const count = (a: number, b: number) => (g.settings.aggregation === 'min' ? Math.min(a, b) : a + b);
      const most = [...g.tests.map(() => accept), ...groups.map((c) => c.maxScore)].reduce(
        count,
        g.settings.aggregation === 'min' ? Infinity : 0,
      );
      return {
        name: g.name || 'data',
        maxScore: range && Number.isFinite(range[1]) ? range[1] : Number.isFinite(most) ? most : 0,
        aggregation: g.settings.aggregation === 'min' ? 'min' : 'sum',
        tests: g.tests.map((t) => t.name),
        groups,
        acceptScore: accept,
        rejectScore: g.settings.rejectScore ?? 0,
      };
    }
    const childMax = groups.reduce((s, c) => s + c.maxScore, 0);
    return {
      name: g.name,
      maxScore: own !== undefined && Number.isFinite(own) ? own : childMax,
      aggregation: g.settings.aggregation ?? 'sum',
      tests: g.tests.map((t) => t.name),
      groups,
    };
  };
  if (!legacy) return problem.data.groups.filter((g) => g.path[0] !== 'sample').map(convert);
  const root = problem.data;
  const ignoreSample = root.settings.graderFlags?.includes('ignore_sample') ?? false;
  const top = root.groups.filter((g) => !(ignoreSample && g.name === 'sample'));
  // data/ sums its groups unless its grader says min: then data/ itself is the one scored group.
  if (root.settings.aggregation === 'min') return [convert({ ...root, groups: top })];
  return top.map(convert);
}

/** The most one test can score in its group: a share of a sum group, a min group's maximum, a legacy accept_score. */
export function testMaxScore(groups: ScoreGroup[], test: string): number | undefined {
  for (const g of groups) {
    if (g.tests.includes(test)) {
      if (g.acceptScore !== undefined) return g.acceptScore;
      if (g.aggregation === 'sum') return g.maxScore / g.tests.length;
      return g.aggregation === 'min' ? g.maxScore : undefined;
    }
    const inner = testMaxScore(g.groups, test);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/**
 * The score of the tests that ran. A test that did not run (stopped by on_reject: break, or its
 * group's require_pass not met) is not accepted; in a legacy group it counts for nothing, as the
 * default grader only sees the results it was given.
 */
export function computeScore(groups: ScoreGroup[], results: TestResult[], objective?: 'min' | 'max'): ScoreReport {
  const status = new Map(results.map((r) => [r.name, r.status]));
  const accepted = new Set(results.filter((r) => r.status === 'Accepted').map((r) => r.name));
  // A validator's score.txt (or multiplier) is an accepted test's own score.
  const own = new Map(results.flatMap((r) => (r.status === 'Accepted' && r.score !== undefined ? [[r.name, r.score] as const] : [])));
  const flat: GroupScore[] = [];
  const ran = (g: ScoreGroup): boolean => g.tests.some((t) => status.has(t)) || g.groups.some(ran);
  const score = (g: ScoreGroup): number => {
    const index = flat.push({ name: g.name, score: 0, maxScore: g.maxScore }) - 1;
    let value: number;
    if (g.acceptScore !== undefined) {
      const parts = [
        ...g.tests.filter((t) => status.has(t)).map((t) => (accepted.has(t) ? (own.get(t) ?? g.acceptScore!) : (g.rejectScore ?? 0))),
        ...g.groups.filter(ran).map(score),
      ];
      for (const c of g.groups.filter((c) => !ran(c))) flat.push({ name: c.name, score: 0, maxScore: c.maxScore });
      value = parts.length === 0 ? 0 : g.aggregation === 'min' ? Math.min(...parts) : parts.reduce((a, b) => a + b, 0);
      value = Math.round(value * 1000) / 1000;
      flat[index]!.score = value;
      return value;
    }
    if (g.groups.length) {
      const children = g.groups.map(score);
      const testsPass = g.tests.every((t) => accepted.has(t));
      value =
        !testsPass && g.aggregation !== 'sum' ? 0 : g.aggregation === 'sum' ? children.reduce((a, b) => a + b, 0) : Math.min(...children);
    } else {
      const most = g.aggregation === 'sum' ? (g.tests.length ? g.maxScore / g.tests.length : 0) : g.maxScore;
      const scores = g.tests.map((t) => (accepted.has(t) ? (own.get(t) ?? most) : 0));
      value =
        g.aggregation === 'sum'
          ? scores.reduce((a, b) => a + b, 0)
          : g.aggregation === 'min'
            ? Math.min(...scores, g.maxScore)
            : scores.every((_, i) => accepted.has(g.tests[i]!))
              ? g.maxScore
              : 0;
    }
    value = Math.round(Math.min(value, g.maxScore) * 1000) / 1000;
    flat[index]!.score = value;
    return value;
  };
  const total = groups.map(score).reduce((a, b) => a + b, 0);
  return {
    score: Math.round(total * 1000) / 1000,
    maxScore: groups.reduce((s, g) => s + g.maxScore, 0),
    groups: flat,
    ...(objective === 'min' ? { objective } : {}),
  };
}
