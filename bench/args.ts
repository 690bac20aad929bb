// What the TypeScript benchmarks share: their flags and the median.

/** A numeric flag's value (`--storm 300`), or the default. */
export function numberFlag(args: readonly string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

/** The median (the upper one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
