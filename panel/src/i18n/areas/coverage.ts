import type { Message } from "../message";

/** The coverage area's messages: English first, Chinese with exactly the same keys. */
export const coverageEn = {
  "coverage.band.label": "Not collected",
  "coverage.band.item": "Not collected: {reason} ({from} – {to}, {length})",
  "coverage.band.ongoing": "now",
  "coverage.band.legend": "Intervals not collected",
  "coverage.reason.paused": "paused",
  "coverage.reason.stopped": "collection stopped",
  "coverage.reason.failing": "collection failing",
  "coverage.reason.unreachable": "CPA unreachable",
  "coverage.reason.notRunning": "app not running",
  "coverage.reason.suspended": "computer asleep",
  "coverage.reason.unknown": "unknown reason",
  "coverage.check.title": "Collection coverage",
  "coverage.check.none": "Collection could see every event in the last 24 hours.",
  "coverage.check.gaps": {
    one: "Not collected in {count} interval of the last 24 hours: {gaps}. Requests CPA served then are missing here: this is not a lack of traffic.",
    other: "Not collected in {count} intervals of the last 24 hours: {gaps}. Requests CPA served then are missing here: this is not a lack of traffic.",
  },
  "coverage.check.failed": "Could not read the coverage record: {message}",
  "coverage.empty.gaps": "Collection was not looking during part of this range: {gaps}.",
  "coverage.export.note": {
    one: "This range has {count} interval that was not collected ({note}); the file lacks what CPA dropped then.",
    other: "This range has {count} intervals that were not collected ({note}); the file lacks what CPA dropped then.",
  },
} as const satisfies Record<string, Message>;

export const coverageZhCN: Record<keyof typeof coverageEn, Message> = {
  "coverage.band.label": "未采集",
  "coverage.band.item": "未采集：{reason}（{from} – {to}，{length}）",
  "coverage.band.ongoing": "现在",
  "coverage.band.legend": "未采集的时段",
  "coverage.reason.paused": "已暂停",
  "coverage.reason.stopped": "采集已停止",
  "coverage.reason.failing": "采集出错",
  "coverage.reason.unreachable": "无法连接 CPA",
  "coverage.reason.notRunning": "应用未运行",
  "coverage.reason.suspended": "电脑休眠",
  "coverage.reason.unknown": "原因未知",
  "coverage.check.title": "采集覆盖",
  "coverage.check.none": "过去 24 小时内采集可以看到所有事件。",
  "coverage.check.gaps": {
    other: "过去 24 小时内有 {count} 个时段未采集：{gaps}。CPA 在这些时段处理的请求在此缺失，这并不代表没有流量。",
  },
  "coverage.check.failed": "无法读取采集覆盖记录：{message}",
  "coverage.empty.gaps": "此范围内有部分时间未在采集：{gaps}。",
  "coverage.export.note": {
    other: "此范围内有 {count} 个时段未采集（{note}）；文件中缺少 CPA 在这些时段丢弃的记录。",
  },
};
