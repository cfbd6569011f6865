// The stylesheet of PaperWire's public pages (home, paper page, message and error pages): one place, so
// colours keep their contrast (axe, WCAG AA) and every page fits a 390 px phone.

/** The skip link (common/html skipLink): off-screen until focused, then at the top left. */
export const SKIP_LINK_CSS =
  '.skip-link{position:absolute;left:.5rem;top:-4rem;z-index:10;padding:.5rem .9rem;background:#fff;color:#0550ae;border:2px solid #0969da;border-radius:6px;font-weight:600}.skip-link:focus{top:.5rem}';

export const PAGE_CSS = `
:root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;background:#f6f8fa;line-height:1.45}
*{box-sizing:border-box}body{margin:0 auto;max-width:960px;padding:0 1rem 2rem;overflow-wrap:anywhere}
a{color:#0550ae}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible,mark:focus-visible{outline:3px solid #0969da;outline-offset:2px}
${SKIP_LINK_CSS}
header{padding:1rem 0 .5rem}h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1rem 0 .5rem}
header .brand{font-weight:700;text-decoration:none;color:#1b1f24}
nav.tabs ul{list-style:none;display:flex;gap:.4rem;padding:0;margin:0;flex-wrap:wrap}
nav.tabs a{display:inline-block;padding:.35rem .8rem;border:1px solid #d0d7de;border-radius:999px;background:#fff;text-decoration:none;color:#1b1f24}
nav.tabs a[aria-current=page]{background:#1b1f24;color:#fff;border-color:#1b1f24}
form.filters,section.subscribe,form.period{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.75rem;margin:.75rem 0;display:flex;gap:.6rem;flex-wrap:wrap;align-items:end}
form.filters label,section.subscribe label,form.period label{display:flex;flex-direction:column;font-size:.9rem;gap:.2rem}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid #8c959f;border-radius:6px;background:#fff;color:#1b1f24}
button{background:#1f6feb;color:#fff;border-color:#1f6feb;cursor:pointer}
section.subscribe{flex-direction:column;align-items:stretch}section.subscribe h2{margin:0}
section.subscribe form{display:flex;gap:.6rem;flex-wrap:wrap;align-items:end}
fieldset{border:1px solid #d0d7de;border-radius:6px;margin:0;padding:.4rem .6rem;width:100%}
fieldset label{display:inline-flex!important;flex-direction:row!important;align-items:center;margin:.15rem .7rem .15rem 0}
.error{color:#a40e26;font-weight:600}
nav.days{display:flex;justify-content:space-between;align-items:center;gap:.5rem;margin:.5rem 0;flex-wrap:wrap}
nav.windows ul{list-style:none;display:flex;gap:.3rem;padding:0;margin:.5rem 0;flex-wrap:wrap}
nav.windows a{display:inline-block;padding:.2rem .7rem;border:1px solid #d0d7de;border-radius:6px;background:#fff;text-decoration:none;color:#1b1f24}
nav.windows a[aria-current=true]{background:#0550ae;color:#fff;border-color:#0550ae}
ol.papers{list-style:none;padding:0;margin:0;display:grid;gap:.6rem}
article.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.75rem .9rem;display:grid;grid-template-columns:3.2rem 1fr;gap:.2rem .8rem}
article.card>*{grid-column:2}article.card>.votes{grid-column:1;grid-row:1/span 8}
.votes{text-align:center;font-weight:700;font-size:1.1rem;color:#1b1f24}.votes small{display:block;font-weight:400;font-size:.75rem;color:#57606a}
article.card h3{font-size:1.05rem;margin:0}article.card h3 a{color:#1b1f24;text-decoration:none}article.card h3 a:hover{text-decoration:underline}
.thumb{float:right;width:120px;max-width:30%;height:auto;border-radius:6px;margin:0 0 .3rem .6rem}
.authors,.meta{color:#57606a;font-size:.9rem;margin:0}
.preview{margin:.1rem 0;font-size:.92rem;color:#2f363d}
ul.chips{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.3rem}
ul.chips a,ul.chips span{display:inline-block;font-size:.8rem;padding:.1rem .55rem;border-radius:999px;background:#ddf4ff;color:#0a3069;text-decoration:none;border:1px solid #b6e3ff}
.claim{margin:0;font-weight:600;color:#116329}
ul.links{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.3rem .9rem;font-size:.9rem}
.empty{background:#fff;border:1px dashed #8c959f;border-radius:8px;padding:1rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin-top:2rem;color:#57606a;font-size:.85rem}
section.panel{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.75rem .9rem;margin:.75rem 0}
section.panel h2{margin-top:0}
.abstract{font-size:1rem;line-height:1.6}
mark.claim-span{background:#fff8c5;color:#1b1f24;border-bottom:2px solid #bf8700;padding:0 .1rem;position:relative;cursor:help}
mark.claim-span .tip{display:none;position:absolute;left:0;top:1.6em;z-index:5;min-width:14rem;max-width:min(22rem,80vw);background:#1b1f24;color:#fff;padding:.45rem .6rem;border-radius:6px;font-size:.85rem;font-weight:400;line-height:1.35}
mark.claim-span:hover .tip,mark.claim-span:focus .tip,mark.claim-span:focus-within .tip{display:block}
.tip .row{display:block}.tip .k{color:#d0d7de}
table.data{border-collapse:collapse;width:100%;font-size:.9rem}
table.data th,table.data td{border-bottom:1px solid #d0d7de;padding:.3rem .4rem;text-align:left;vertical-align:top}
.table-wrap{overflow-x:auto}
table.data th[scope=col],table.data td.num{white-space:nowrap;overflow-wrap:normal}
/* a row's name (a topic, a source) wraps between words only: the evidence beside it takes what width is left */
table.data th[scope=row]{overflow-wrap:normal;min-width:7rem}
.period-bar{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin:.75rem 0}.period-bar nav.windows ul{margin:0}.period-bar form.period{margin:0;padding:.4rem .6rem;align-items:center}.period-bar form.period label{flex-direction:row;align-items:center;gap:.4rem}
/* a control's label, button or link wraps between words, never inside one ("Wee k" beside a 100%-wide picker) */
label,button,nav{overflow-wrap:normal}
ins.diff{background:#dafbe1;color:#0a3622;text-decoration:none}del.diff{background:#ffebe9;color:#6e1020}
ul.changes{padding-left:1.2rem;margin:.3rem 0}
.change-added{color:#116329}.change-removed{color:#a40e26}.change-changed{color:#7d4e00}
@media (max-width:600px){body{padding:0 .6rem 1.5rem}article.card{grid-template-columns:1fr}article.card>*,article.card>.votes{grid-column:1;grid-row:auto}.votes{text-align:left}.votes small{display:inline;margin-left:.3rem}
form.filters label,section.subscribe label,form.period label{width:100%}input:not([type=checkbox]),select{width:100%}
/* papers first at phone widths: the filters and the period picker one compact row each (the filter labels stay for screen readers), a thumbnail beside the title kept small */
form.filters{gap:.4rem;padding:.5rem}form.filters label{width:auto;flex:1 1 7rem;min-width:0}form.filters .lbl{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
form.period{padding:.5rem;gap:.4rem;align-items:center}form.period label{flex-direction:row;align-items:center;width:auto;flex:1 1 10rem;min-width:0;gap:.4rem}form.period label input{flex:1 1 auto;min-width:0;width:auto}form.period button{flex:none}
.thumb{width:72px;max-width:22%}
/* a claim's tooltip on a phone: a panel along the screen's bottom edge, never off its right edge (it widened the page by ~100 px) */
mark.claim-span .tip{position:fixed;left:.6rem;right:.6rem;top:auto;bottom:.6rem;min-width:0;max-width:none;z-index:20}}
`;
