import type { Message } from "../message";

/** Retention and the database figures (Settings), and the "aggregated range" notes on event lists. */
export const retentionEn = {
  "retention.storage.title": "Storage and retention",
  "retention.storage.size": "Database size",
  "retention.storage.events": "Events",
  "retention.storage.eventsValue": "{raw} raw, {aggregated} in hourly totals",
  "retention.storage.bytesPerEvent": "Bytes per event",
  "retention.storage.oldest": "Oldest raw event",
  "retention.storage.aggregatedBefore": "Aggregated before",
  "retention.storage.reclaimable": "Space not yet given back",
  "retention.storage.loadFailed": "Could not read the database figures: {message}",
  "retention.days.label": "Keep raw events for (days)",
  "retention.days.hint":
    "Older events are folded into hourly totals: every total, chart, breakdown and cost stays the same, but single events, their details and exports end there. Leave empty to keep everything.",
  "retention.days.fixed": "Set to {days} by USAGE_RETENTION_DAYS or config.json retentionDays; change it there.",
  "retention.days.fixedAll": "Set to keep everything by USAGE_RETENTION_DAYS or config.json retentionDays; change it there.",
  "retention.days.invalid": "Enter a whole number of days from 1 to {max}, or leave it empty to keep everything.",
  "retention.days.save": "Save retention",
  "retention.days.saving": "Saving…",
  "retention.days.saved": "Retention saved. Compaction runs in the background in short steps.",
  "retention.days.keepAll": "Keep everything",
  "retention.aggregated.events":
    "Raw events before {time} were folded into hourly totals: this list ends there, while totals and charts still cover the whole range.",
  "retention.aggregated.failures":
    "Failures before {time} come from hourly totals: counts and reasons are complete, single events are gone.",
  "retention.aggregated.export": "Exports hold raw events only: events before {time} exist only as hourly totals.",
} as const satisfies Record<string, Message>;

export const retentionZhCN: Record<keyof typeof retentionEn, Message> = {
  "retention.storage.title": "存储与保留",
  "retention.storage.size": "数据库大小",
  "retention.storage.events": "事件",
  "retention.storage.eventsValue": "原始 {raw} 条，按小时汇总 {aggregated} 条",
  "retention.storage.bytesPerEvent": "每条事件字节数",
  "retention.storage.oldest": "最早的原始事件",
  "retention.storage.aggregatedBefore": "已汇总至",
  "retention.storage.reclaimable": "尚未归还的空间",
  "retention.storage.loadFailed": "无法读取数据库信息：{message}",
  "retention.days.label": "原始事件保留天数",
  "retention.days.hint":
    "更早的事件会并入按小时的汇总：所有总计、图表、分类统计和费用保持不变，但单条事件、其详情和导出到此为止。留空则全部保留。",
  "retention.days.fixed": "已由 USAGE_RETENTION_DAYS 或 config.json 的 retentionDays 设为 {days} 天，请在那里修改。",
  "retention.days.fixedAll": "已由 USAGE_RETENTION_DAYS 或 config.json 的 retentionDays 设为全部保留，请在那里修改。",
  "retention.days.invalid": "请输入 1 到 {max} 之间的整数天数，或留空以全部保留。",
  "retention.days.save": "保存保留设置",
  "retention.days.saving": "正在保存…",
  "retention.days.saved": "保留设置已保存。压缩会在后台分小步进行。",
  "retention.days.keepAll": "全部保留",
  "retention.aggregated.events": "{time} 之前的原始事件已并入按小时的汇总：此列表到此为止，总计和图表仍覆盖整个范围。",
  "retention.aggregated.failures": "{time} 之前的失败来自按小时的汇总：数量和原因完整，单条事件已不存在。",
  "retention.aggregated.export": "导出只包含原始事件：{time} 之前的事件只以按小时汇总的形式存在。",
};
