// The reports' one stylesheet, inline in every page: laptop screen first, and a print layout.

export const STYLES = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --passed: #1a7f37; --deviated: #9a6700; --failed: #cf222e; --not-restored: #82071e; --incomplete: #6e40c9;
  --info: #0969da; --warning: #bc4c00;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 24px 28px 56px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 21px; line-height: 1.3; margin: 0 0 8px; }
main > h2 { margin-top: 28px; }
h3 { font-size: 13px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
h4 { font-size: 14px; margin: 12px 0 4px; }
p { margin: 6px 0; }
a { color: var(--info); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.when { white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--muted); }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.small { font-size: 13px; }
ul { margin: 4px 0; padding-left: 20px; }
details { margin: 10px 0; }
summary { cursor: pointer; font-weight: 600; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; color: #fff; background: var(--muted); font-size: 12px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; white-space: nowrap; vertical-align: middle; }
.passed { --tone: var(--passed); } .deviated { --tone: var(--deviated); } .failed { --tone: var(--failed); }
.not-restored { --tone: var(--not-restored); } .incomplete { --tone: var(--incomplete); }
.badge.passed, .badge.deviated, .badge.failed, .badge.not-restored, .badge.incomplete { background: var(--tone); }
.aborted { --tone: var(--warning); } .refused, .skipped, .not-run { --tone: var(--muted); } .interrupted { --tone: var(--incomplete); }
.badge.aborted, .badge.interrupted { background: var(--tone); }
.badge.skipped, .badge.not-run, .badge.refused { background: #fff; color: var(--muted); border: 1px solid var(--muted); }
.changed { font-weight: 600; }
.ok { color: var(--passed); } .bad { color: var(--failed); font-weight: 600; }
.run-head { display: flex; gap: 22px; align-items: stretch; border-left: 8px solid var(--tone, var(--muted)); padding: 6px 0 6px 18px; margin-bottom: 16px; }
.run-head .verdict { font-size: 30px; font-weight: 800; letter-spacing: .03em; text-transform: uppercase; color: var(--tone); line-height: 1.1; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 0; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.banner { border: 2px solid var(--failed); background: #ffebe9; color: #82071e; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
.banner strong { font-size: 17px; }
.banner.partial { border-color: #bf8700; background: #fff8c5; color: #633c01; }
.banner.note { border-color: var(--line); background: var(--soft); color: var(--fg); }
section.drill { border-top: 3px solid var(--tone, var(--line)); margin-top: 34px; padding-top: 14px; }
.teaches { font-size: 15.5px; max-width: 860px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 28px; }
.failure { border-left: 4px solid var(--failed); background: #fff5f5; padding: 8px 14px; margin: 12px 0; }
.failure pre { font-size: 13px; }
.timeline { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.legend { font-size: 12.5px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0; }
.legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 5px; vertical-align: -1px; background: var(--swatch); border-radius: 2px; }
tr.fail td { background: #fff5f5; }
ol.commands { list-style: none; padding: 0; margin: 2px 0 8px; }
ol.commands li { padding: 2px 0; border-bottom: 1px dotted var(--line); }
ol.commands .when { display: inline-block; min-width: 64px; color: var(--muted); font-variant-numeric: tabular-nums; font-size: 13px; }
.exit { font-size: 12px; color: var(--muted); }
.exit.nonzero { color: var(--failed); font-weight: 600; }
.trends { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 14px; }
.trends figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.trends figcaption { font-size: 13px; }
.trends svg { width: 100%; height: auto; display: block; }
.delta.worse { color: var(--failed); } .delta.better { color: var(--passed); }
@page { size: A4; margin: 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section.drill { break-before: page; }
  table, tr, figure, .banner, .failure, svg, ol.commands li { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  summary { list-style: none; }
}
`;
