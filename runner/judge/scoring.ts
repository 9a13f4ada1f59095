// Scoring problems: the score a set of test results earns. Samples never score. A group with
// sub-groups earns the aggregate of theirs (sum, or min), capped at its maximum; a group of tests
// only earns its maximum when its aggregation is pass-fail or min and every test is accepted, and
// its share per accepted test when it is sum.
import type { ProblemPackage, TestGroup } from './problem';
import type { TestResult } from './types';
import type { GroupScore, ScoreReport } from '../../protocol/results';
import type { ScoreGroup } from '../../protocol/judge';

export type { GroupScore, ScoreReport } from '../../protocol/results';
export type { ScoreGroup } from '../../protocol/judge';

/** The scored groups of a package (secret and its groups); empty for pass-fail problems. */
export function scoreGroups(problem: ProblemPackage): ScoreGroup[] {
  if (!problem.scoring) return [];
  const convert = (g: TestGroup): ScoreGroup => {
    const groups = g.groups.map(convert);
    const childMax = groups.reduce((s, c) => s + c.maxScore, 0);
    const own = g.settings.score;
    return {
      name: g.name,
      maxScore: own !== undefined && Number.isFinite(own) ? own : childMax,
      aggregation: g.settings.aggregation ?? 'sum',
      tests: g.tests.map((t) => t.name),
      groups,
    };
  };
  return problem.data.groups.filter((g) => g.path[0] !== 'sample').map(convert);
}

export function computeScore(groups: ScoreGroup[], results: TestResult[]): ScoreReport {
  const accepted = new Set(results.filter((r) => r.status === 'Accepted').map((r) => r.name));
  const flat: GroupScore[] = [];
  const score = (g: ScoreGroup): number => {
    const index = flat.push({ name: g.name, score: 0, maxScore: g.maxScore }) - 1;
    let value: number;
    if (g.groups.length) {
      const children = g.groups.map(score);
      const testsPass = g.tests.every((t) => accepted.has(t));
      value =
        !testsPass && g.aggregation !== 'sum' ? 0 : g.aggregation === 'sum' ? children.reduce((a, b) => a + b, 0) : Math.min(...children);
    } else {
      const passed = g.tests.filter((t) => accepted.has(t)).length;
      value =
        g.aggregation === 'sum'
          ? g.tests.length
            ? (g.maxScore * passed) / g.tests.length
            : 0
          : passed === g.tests.length
            ? g.maxScore
            : 0;
    }
    value = Math.round(Math.min(value, g.maxScore) * 1000) / 1000;
    flat[index]!.score = value;
    return value;
  };
  const total = groups.map(score).reduce((a, b) => a + b, 0);
  return { score: Math.round(total * 1000) / 1000, maxScore: groups.reduce((s, g) => s + g.maxScore, 0), groups: flat };
}
