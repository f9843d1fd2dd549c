/** Y-axis rules shared by every chart. */

/** 1, 2, 5, 10, 20, 50 … 5e12: whole-number tick steps for any count, hourly tokens included. A list that
 * stopped at a million left charts of millions of tokens without a single y label. */
export const WHOLE_STEPS: readonly number[] = Array.from({ length: 13 }, (_, power) => [1, 2, 5].map((m) => m * 10 ** power)).flat();

/** About 8 px a character at the axis font (wide glyphs like M and $ included), plus the tick, its gap and a margin. */
const CHAR_PX = 8;
const PAD_PX = 24;
const MIN_PX = 48;

/** Width for the y axis so its longest label is not clipped at the canvas edge. */
export function axisWidth(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((text) => text.length));
  return Math.max(MIN_PX, longest * CHAR_PX + PAD_PX);
}
