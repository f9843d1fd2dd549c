import { describe, expect, it } from "vitest";
import { blankInsideBands, fillStops, mergeSpans } from "./chartBands";

const HOUR_S = 3600;
const T0 = 1_796_000_400 - (1_796_000_400 % HOUR_S); // an hour boundary, unix seconds
const xs = [0, 1, 2, 3, 4, 5].map((hour) => T0 + hour * HOUR_S);
const ms = (hours: number) => (T0 + hours * HOUR_S) * 1000;

describe("chart bands", () => {
  it("makes buckets wholly inside a gap null and keeps buckets the gap only partly covers", () => {
    // Not collected from 1:10 to 4:09: hours 2 and 3 are unknown; 1 and 4 were partly collected.
    const band = { start: ms(1 + 10 / 60), end: ms(4 + 9 / 60) };
    expect(blankInsideBands(xs, [5, 6, 0, 0, 7, 8], "hour", [band])).toEqual([5, 6, null, null, 7, 8]);
  });

  it("treats a bucket covered by two adjacent gaps as unknown, and the last bucket by its length", () => {
    const bands = [
      { start: ms(2), end: ms(2.5) },
      { start: ms(2.5), end: ms(3) },
      { start: ms(5), end: ms(6) },
    ];
    expect(blankInsideBands(xs, [1, 1, 1, 1, 1, 1], "hour", bands)).toEqual([1, 1, null, 1, 1, null]);
  });

  it("leaves the values alone without bands, and a gap inside one bucket blanks nothing", () => {
    expect(blankInsideBands(xs, [1, 2, 3, 4, 5, 6], "hour", [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(blankInsideBands(xs, [1, 2, 3, 4, 5, 6], "hour", [{ start: ms(1.2), end: ms(1.8) }])).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it("merges overlapping gaps", () => {
    expect(mergeSpans([{ start: 5, end: 9 }, { start: 1, end: 6 }, { start: 12, end: 13 }])).toEqual([
      { start: 1, end: 9 },
      { start: 12, end: 13 },
    ]);
  });

  it("stops the area fill exactly across a band, so nothing is painted over it", () => {
    const toX = (seconds: number) => 100 + ((seconds - T0) / (5 * HOUR_S)) * 500; // 100 px per hour
    const stops = fillStops([{ start: ms(1), end: ms(2) }], toX, 100, 500);
    expect(stops).toEqual([
      { offset: 0, inside: false },
      { offset: 0.2, inside: false },
      { offset: 0.2, inside: true },
      { offset: 0.4, inside: true },
      { offset: 0.4, inside: false },
      { offset: 1, inside: false },
    ]);
  });
});
