/// Pace's one stylesheet: readable type, clear focus, works on a phone and prints cleanly.
enum Stylesheet {
    static let css = """
    :root { --ink: #1d2733; --muted: #50606f; --line: #c9d2db; --brand: #005eb8; --brand-dark: #003d78; --bg: #f4f6f8;
            --red: #b3261e; --amber: #8a5a00; --green: #1e6b34; --focus: #ffeb3b; --focus-text: #212b32; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); }
    a { color: var(--brand); }
    a:hover { color: var(--brand-dark); }
    /* The NHS.UK focus state: yellow with a dark underline, so it shows on white, grey and blue alike
       (the dark part gives the 3:1 WCAG 1.4.11 asks for); a transparent outline stays for forced colours. */
    a:focus, summary:focus { outline: 4px solid transparent; background: var(--focus); color: var(--focus-text);
            box-shadow: 0 -2px var(--focus), 0 4px var(--focus-text); text-decoration: none; }
    header.site a:focus, header.site nav a:focus { color: var(--focus-text); }
    button:focus { outline: 4px solid transparent; background: var(--focus); color: var(--focus-text); box-shadow: 0 4px 0 var(--focus-text); }
    input:focus, select:focus, textarea:focus { outline: 4px solid var(--focus); outline-offset: 0; box-shadow: inset 0 0 0 2px var(--focus-text); }
    .error-summary:focus { outline: 4px solid var(--focus); outline-offset: 0; box-shadow: inset 0 0 0 2px var(--focus-text); }
    .skip-link { position: absolute; left: -9999px; }
    .skip-link:focus { left: 1rem; top: .5rem; background: #fff; padding: .5rem 1rem; z-index: 10; }
    header.site { background: var(--brand); color: #fff; }
    header.site .bar { max-width: 72rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
    header.site .brand { color: #fff; font-weight: 700; font-size: 1.25rem; text-decoration: none; }
    header.site nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
    header.site nav a { color: #fff; text-decoration: none; padding: .25rem 0; border-bottom: 3px solid transparent; }
    header.site nav a[aria-current=page] { border-bottom-color: #fff; }
    header.site .host { margin-left: auto; font-size: .9rem; opacity: .9; }
    header.site .person { display: flex; align-items: center; gap: .75rem; font-size: .9rem; }
    header.site .person a { color: #fff; }
    header.site .person .role { opacity: .85; }
    header.site form.sign-out { margin: 0; display: inline; }
    header.site form.sign-out button { background: transparent; color: #fff; border: 1px solid #fff; padding: .2rem .6rem; font-size: .9rem; }
    .badge { display: inline-block; padding: .1rem .5rem; border-radius: .75rem; font-size: .85rem; font-weight: 600; border: 1px solid currentColor; }
    .badge.green { color: #00703c; background: #e8f5ee; }
    .badge.amber { color: #7a4d00; background: #fff4e0; }
    .badge.red { color: #b10e1e; background: #fdecee; }
    details { margin: 1rem 0; }
    details > summary { cursor: pointer; font-weight: 600; color: var(--brand); }
    details[open] > summary { margin-bottom: .75rem; }
    fieldset { border: 1px solid #b1b4b6; padding: .5rem 1rem; margin: 0 0 1rem; }
    fieldset .check { display: flex; gap: .5rem; align-items: center; margin: .25rem 0; }
    section.card { margin-bottom: 1.25rem; }
    ul.changes { margin: 0; padding-left: 1rem; }
    code.token { word-break: break-all; font-size: 1rem; }
    main { max-width: 72rem; margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
    h1 { font-size: 1.75rem; margin: .5rem 0 1rem; }
    h2 { font-size: 1.3rem; margin: 1.5rem 0 .5rem; }
    .lede { color: var(--muted); margin-top: -.5rem; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; margin-bottom: 1rem; }
    .tile { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
    .tile .figure { font-size: 2rem; font-weight: 700; display: block; }
    .tile a { text-decoration: none; }
    table { border-collapse: collapse; width: 100%; background: #fff; }
    caption { text-align: left; font-weight: 600; padding: .5rem 0; }
    th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { background: #e8edf2; font-weight: 600; }
    td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
    .table-wrap { overflow-x: auto; }
    dl.facts { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: .3rem 1rem; margin: 0; }
    dl.facts dt { font-weight: 600; color: var(--muted); }
    dl.facts dd { margin: 0; }
    form.stack label, form.filters label { display: block; font-weight: 600; margin-bottom: .2rem; }
    form.stack .field { margin-bottom: 1rem; }
    .hint { display: block; color: var(--muted); font-size: .9rem; font-weight: 400; }
    input, select, textarea { font: inherit; padding: .4rem .5rem; border: 2px solid var(--ink); border-radius: 4px; max-width: 100%; background: #fff; }
    input[type=text], input[type=search], textarea { width: 28rem; }
    .field.invalid input, .field.invalid select { border-color: var(--red); }
    .error-message { color: var(--red); font-weight: 600; display: block; }
    .error-summary { border: 3px solid var(--red); background: #fff; padding: .75rem 1rem; margin-bottom: 1rem; }
    .error-summary h2 { margin-top: 0; color: var(--red); }
    .notice { border-left: 6px solid var(--green); background: #fff; padding: .75rem 1rem; margin-bottom: 1rem; }
    .warning-callout { border-left: 6px solid #ffeb3b; background: #fff9c4; padding: .75rem 1rem; margin-bottom: 1rem; }
    button, .button { font: inherit; font-weight: 600; background: var(--brand); color: #fff; border: 0; border-radius: 4px; padding: .5rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
    button:hover, .button:hover { background: var(--brand-dark); color: #fff; }
    .button.secondary { background: #fff; color: var(--brand); border: 2px solid var(--brand); }
    form.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; background: #fff; border: 1px solid var(--line); padding: .75rem; border-radius: 6px; margin-bottom: 1rem; }
    form.filters > div { min-width: 0; max-width: 100%; }
    form.filters input[type=search] { width: 16rem; }
    .actions { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
    .pager { display: flex; gap: 1rem; align-items: center; margin: 1rem 0; }
    .tag { display: inline-block; font-size: .85rem; border: 1px solid var(--line); border-radius: 3px; padding: 0 .4rem; background: #fff; margin: 0 .25rem .25rem 0; }
    ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
    ol.timeline li { position: relative; padding: .2rem 0 .6rem 1.2rem; }
    ol.timeline li::before { content: ""; position: absolute; left: -.5rem; top: .55rem; width: .7rem; height: .7rem; border-radius: 50%; background: var(--line); }
    ol.timeline li.done::before { background: var(--brand); }
    ol.timeline .when { color: var(--muted); }
    progress { width: 100%; max-width: 28rem; height: 1.2rem; accent-color: var(--brand); }
    progress.inline { display: block; width: 6rem; height: .6rem; margin-left: auto; }
    .grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
    .muted { color: var(--muted); }
    .nowrap { white-space: nowrap; }
    tr.highlight td { background: #fff4d6; font-weight: 600; }
    ul.report-links { list-style: none; display: flex; gap: 1rem; padding: 0; margin: .5rem 0 0; }
    ul.report-links a[aria-current=page] { font-weight: 700; text-decoration: none; color: var(--ink); }
    .light { font-weight: 600; padding: 0 .4rem; border-radius: 3px; border: 2px solid; }
    .light.green { color: var(--green); }
    .light.amber { color: var(--amber); }
    .light.red { color: var(--red); }
    .card > h2:first-child { margin-top: 0; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    footer.site { max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .9rem; }
    .chart-figure { margin: 0 0 1.5rem; display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; }
    .chart-figure.stacked { grid-template-columns: 1fr; }
    .chart-figure.stacked svg.chart { max-width: 52rem; }
    .chart-figure figcaption { grid-column: 1 / -1; font-weight: 700; }
    .chart-figure .chart-table { max-height: 22rem; overflow: auto; }
    .chart-figure .chart-table table { font-size: .9rem; }
    svg.chart { width: 100%; height: auto; background: #fff; font-family: inherit; }
    svg.chart .grid { stroke: #e3e8ee; stroke-width: 1; }
    svg.chart .axis { stroke: var(--ink); stroke-width: 1.2; }
    svg.chart .tick { font-size: 11px; fill: var(--muted); }
    svg.chart .value { font-size: 11px; font-weight: 600; fill: var(--ink); }
    svg.chart .value.muted { fill: var(--muted); font-weight: 400; }
    svg.chart .axis-title { font-size: 12px; font-weight: 600; fill: var(--ink); }
    svg.chart .bar { fill: var(--brand); }
    svg.chart .bar-green, svg.chart .bar-met { fill: var(--green); }
    svg.chart .bar-amber { fill: #c27c00; }
    svg.chart .bar-red, svg.chart .bar-missed { fill: var(--red); }
    svg.chart .bar-none, svg.chart .bar-waiting { fill: #8fa3b5; }
    svg.chart .reference { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 4 3; }
    svg.chart .reference-label { font-size: 11px; fill: var(--ink); }
    svg.chart .series-actual { fill: none; stroke: var(--brand); stroke-width: 3; }
    svg.chart .series-target { fill: none; stroke: var(--muted); stroke-width: 2; stroke-dasharray: 8 5; }
    svg.chart .series-forecast { fill: none; stroke: #c27c00; stroke-width: 2.5; stroke-dasharray: 2 4; stroke-linecap: round; }
    svg.chart .point-actual { fill: var(--brand); }
    svg.chart .point-forecast { fill: #fff; stroke: #c27c00; stroke-width: 2; }
    .tiles-4 { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; margin-bottom: 1rem; }
    .tile .big { font-size: 2rem; font-weight: 700; line-height: 1.1; }
    .tile h3 { font-size: 1rem; margin: 0 0 .25rem; }
    .tile .chart-figure { grid-template-columns: 1fr; margin-bottom: 0; }
    .tile .chart-figure figcaption { font-weight: 400; color: var(--muted); font-size: .9rem; }
    @media (max-width: 60rem) { .chart-figure { grid-template-columns: 1fr; } }
    @media (max-width: 40rem) { input[type=text], input[type=search], textarea { width: 100%; } dl.facts { grid-template-columns: 1fr; } h1 { font-size: 1.4rem; } }
    @page { size: A4; margin: 14mm 12mm; }
    @media print {
      nav[aria-label="Reports"], .report-links, form.filters { display: none; }
      body { font-size: 10pt; }
      .grid-2.print-stack { display: block; }
      .tiles-4 { grid-template-columns: repeat(4, 1fr); gap: .5rem; }
      .tile .big { font-size: 1.4rem; }
      .chart-figure { grid-template-columns: 3fr 2fr; }
      svg.chart { max-height: 70mm; }
      th, td { padding: .2rem .4rem; }
      .light { border-width: 1px; }
      header.site nav, .skip-link, form, .actions, .pager, footer.site { display: none; }
      body { background: #fff; font-size: 11pt; }
      header.site { background: #fff; color: #000; border-bottom: 2px solid #000; }
      header.site .brand, header.site .host { color: #000; }
      .card, .tile { border-color: #999; break-inside: avoid; }
      table { border-color: #999; }
      a { color: #000; text-decoration: none; }
      main { max-width: none; padding: 0; }
      h1, h2, h3 { break-after: avoid; }
      tr { break-inside: avoid; }
      .chart-figure { break-inside: avoid; }
      .chart-figure .chart-table { max-height: none; overflow: visible; }
    }
    """
}
