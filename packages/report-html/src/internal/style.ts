/**
 * The page's style sheet, inline. Colours: green succeeded, one colour per error class for failed
 * targets (`k0` ... `k10`, in the order of the classes), the same lighter and hatched for skipped.
 */

const CLASS_COLOURS = [
  '#d62728', // access-denied
  '#7b1010', // explicit-deny
  '#9467bd', // region-not-enabled
  '#e377c2', // invalid-credentials
  '#a0a01a', // expired-credentials
  '#ff7f0e', // throttled
  '#8c564b', // not-found
  '#1f77b4', // network
  '#17becf', // aborted
  '#555555', // account-not-active
  '#111111', // other
];

const classRules = CLASS_COLOURS.map(
  (c, i) =>
    `.f.k${i}{background:${c}}.k.k${i}{background:repeating-linear-gradient(135deg,#ddd 0 3px,${c} 3px 5px)}`,
).join('');

/** @internal */
export const STYLE = `
:root{color-scheme:light;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fff}
body{margin:1em 1.5em 12em}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.2em;margin:1.2em 0 .4em;border-bottom:1px solid #ddd}h3{font-size:1em;margin:1em 0 .3em}
code{font:12px/1.3 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.5em 0}.meta dt{color:#666}.meta dd{margin:0}
.counts{display:flex;gap:1.5em;list-style:none;padding:0;margin:.5em 0;font-size:1.1em}.cs b{color:#1a7f1a}.cf b{color:#c41e1e}.ck b{color:#777}
.note{color:#555;margin:.2em 0}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em 1.2em;margin:.4em 0}.legend li{display:flex;align-items:center;gap:.3em}
details{margin:.5em 0}summary{cursor:pointer;font-weight:600;padding:.2em 0}
.scroll{overflow:auto;max-height:80vh;width:max-content;max-width:100%;border:1px solid #eee}
.grid{border-collapse:collapse;table-layout:fixed}
.grid th,.grid td{padding:1px;border:1px solid #f2f2f2;overflow:hidden}
.grid tr{height:21px}
.grid.head{position:sticky;top:0;background:#fff;z-index:2}
.grid thead th{vertical-align:bottom;background:#fff}
.grid th.a{position:sticky;left:0;background:#fff;text-align:left;font-weight:normal;white-space:nowrap;padding:0 .6em 0 .2em;text-overflow:ellipsis;z-index:1}
.grid th.r span{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:12px;white-space:nowrap}
.grid small{color:#777;font-family:ui-monospace,Menlo,Consolas,monospace}
.grid td{line-height:0;white-space:nowrap;overflow:visible}

.t{display:inline-block;vertical-align:middle;width:16px;height:16px;margin:0 1px;border-radius:2px;cursor:pointer}
.grid .t{outline-offset:1px}
.t:focus{outline:3px solid #000}
.s{background:#2ca02c}
${classRules}
.f{box-shadow:inset 0 0 0 1px rgba(255,255,255,.6)}
.d{display:none}
.t:hover .d,.t:focus .d{display:block;position:fixed;right:1em;bottom:1em;width:34em;max-width:calc(100vw - 2em);max-height:45vh;overflow:auto;background:#fffff4;border:1px solid #888;box-shadow:0 2px 10px rgba(0,0,0,.25);padding:.6em .8em;font-size:13px;line-height:1.4;white-space:pre-line;overflow-wrap:anywhere;z-index:10;color:#222;cursor:auto}
.t:hover .d{z-index:11}

.d i{color:#444}
.d::first-line{font-weight:600}
.group{margin:.8em 0;padding:.2em .8em;border-left:4px solid #ddd}.group h3{display:flex;align-items:center;gap:.4em}.group small{color:#666;font-weight:normal}
.hint{margin:.2em 0;font-style:italic}
.messages{margin:.2em 0;padding-left:1.2em}.messages .n{color:#666}
.targets{color:#444;font-size:13px}
.hist{border-collapse:collapse;table-layout:fixed;width:100%;max-width:50em}.hist th{text-align:right;font-weight:normal;white-space:nowrap;padding-right:.6em;width:10em}.hist .num{width:4em}
.bar{display:flex;height:16px;padding:1px 0}.bar span{display:block;height:14px}.bs{background:#2ca02c}.bf{background:#d62728}.bk{background:#bbb}
.num{text-align:right;font-variant-numeric:tabular-nums;padding-left:.8em}
.cols{display:flex;flex-wrap:wrap;gap:2em}
.list{border-collapse:collapse}.list th,.list td{padding:.1em .5em;border-bottom:1px solid #eee;text-align:left}
@media print{.scroll{max-height:none;overflow:visible}.d{display:none!important}}
`
  .trim()
  .replace(/\n/g, '');
