/// Pace's one stylesheet: the NHS.UK design system's rules written here, readable on a phone, clean in print.
enum Stylesheet {
    static let css = """
    /* Pace's one stylesheet, written to the NHS.UK design system's published rules (colours, type scale,
       spacing and components), since its package cannot be installed here. Class names are Pace's own. */
    :root {
      --blue: #005eb8; --dark-blue: #003087; --text: #212b32; --secondary: #4c6272; --grey-bg: #f0f4f5;
      --border: #d8dde0; --input-border: #4c6272; --white: #fff; --green: #007f3b; --green-dark: #00401e;
      --green-hover: #00662f; --red: #d5281b; --red-dark: #6b140e; --warm-yellow: #ffb81c; --focus: #ffeb3b;
      --focus-text: #212b32; --link-hover: #7c2855; --link-visited: #330072; --link-active: #002f5c;
      /* Kept for the charts and lights, which use them by these names. */
      --ink: var(--text); --muted: var(--secondary); --line: var(--border); --brand: var(--blue); --amber: #8a5a00;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    /* Frutiger is the NHS typeface; it is licensed, so Arial stands in where it is not installed. */
    body { margin: 0; font-family: "Frutiger W01", Frutiger, Arial, sans-serif; font-size: 1rem; line-height: 1.5;
           color: var(--text); background: var(--grey-bg); -webkit-font-smoothing: antialiased; }
    @media (min-width: 40.0625em) { body { font-size: 1.1875rem; line-height: 1.47; } }
    a { color: var(--blue); text-underline-offset: .1em; }
    a:visited { color: var(--link-visited); }
    a:hover { color: var(--link-hover); text-decoration-thickness: 3px; }
    a:active { color: var(--link-active); }
    /* The NHS.UK focus state: yellow with a dark underline, so it shows on white, grey and blue alike (the
       dark part gives the 3:1 WCAG 1.4.11 asks for); a transparent outline stays for forced colours. */
    a:focus, summary:focus { outline: 4px solid transparent; background: var(--focus); color: var(--focus-text);
           box-shadow: 0 -2px var(--focus), 0 4px var(--focus-text); text-decoration: none; }
    a:focus:hover { text-decoration: none; }
    h1, h2, h3, h4 { font-weight: 700; color: var(--text); margin-top: 0; }
    h1 { font-size: 2rem; line-height: 1.25; margin-bottom: 1.5rem; }
    h2 { font-size: 1.6875rem; line-height: 1.19; margin: 2rem 0 1rem; }
    h3 { font-size: 1.375rem; line-height: 1.36; margin: 1.5rem 0 .75rem; }
    h4 { font-size: 1.1875rem; margin: 1rem 0 .5rem; }
    @media (min-width: 40.0625em) {
      h1 { font-size: 3rem; line-height: 1.17; margin-bottom: 2.5rem; }
      h2 { font-size: 2.25rem; line-height: 1.11; margin: 2.5rem 0 1.5rem; }
      h3 { font-size: 1.625rem; line-height: 1.23; margin: 2rem 0 1rem; }
      h4 { font-size: 1.375rem; }
    }
    p, ul, ol { margin: 0 0 1rem; }
    @media (min-width: 40.0625em) { p, ul, ol { margin-bottom: 1.5rem; } }
    .lede { font-size: 1.1875rem; color: var(--text); margin-top: -1rem; }
    @media (min-width: 40.0625em) { .lede { font-size: 1.375rem; margin-top: -1.75rem; } }
    .caption { display: block; color: var(--secondary); font-size: 1.1875rem; margin-bottom: .25rem; }
    .muted, .hint { color: var(--secondary); }
    .nowrap { white-space: nowrap; }
    .visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important;
           padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important;
           border: 0 !important; white-space: nowrap !important; }
    .skip-link { position: absolute; left: -9999px; top: 0; }
    .skip-link:focus { left: 1rem; top: .5rem; padding: .5rem 1rem; z-index: 10; }

    /* Header: the service name on NHS blue, the person's account, and a navigation that becomes a menu. */
    header.site { background: var(--blue); color: var(--white); }
    header.site .bar { max-width: 70rem; margin: 0 auto; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
    header.site a, header.site a:visited { color: var(--white); }
    header.site a:focus { color: var(--focus-text); }
    header.site .brand { display: flex; align-items: center; gap: .75rem; text-decoration: none; }
    header.site .brand .mark { background: var(--white); color: var(--blue); font-weight: 700; font-size: 1.25rem; line-height: 1; padding: .35rem .55rem; letter-spacing: .02em; }
    header.site .brand .service { font-weight: 700; font-size: 1.1875rem; line-height: 1.2; }
    header.site .brand .service .host { display: block; font-weight: 400; font-size: 1rem; }
    header.site .brand:focus .mark { background: var(--focus-text); color: var(--focus); }
    header.site .person { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: .25rem .75rem; font-size: 1rem; }
    header.site .person .role { opacity: .9; }
    header.site form.sign-out { margin: 0; display: inline; }
    header.site form.sign-out button { background: transparent; color: var(--white); border: 2px solid var(--white); box-shadow: none; padding: .2rem .6rem; font-size: 1rem; margin: 0; }
    header.site form.sign-out button:focus { background: var(--focus); color: var(--focus-text); border-color: var(--focus); }
    nav.main-nav { border-top: 1px solid rgba(255, 255, 255, .2); }
    nav.main-nav .nav-inner { max-width: 70rem; margin: 0 auto; padding: 0 1rem; }
    nav.main-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0 1.25rem; margin: 0; padding: 0; }
    nav.main-nav a { display: inline-block; padding: .6rem 0; font-size: 1rem; font-weight: 600; text-decoration: none; border-bottom: 4px solid transparent; }
    nav.main-nav a:hover { text-decoration: underline; }
    nav.main-nav a[aria-current=page] { border-bottom-color: var(--white); }
    nav.main-nav a:focus { border-bottom-color: var(--focus-text); box-shadow: none; }
    .menu-toggle, .menu-toggle[hidden] { display: none; }
    @media (max-width: 40em) {
      .js .menu-toggle { display: inline-block; margin: .5rem 0; background: transparent; color: var(--white); border: 2px solid var(--white); box-shadow: none; padding: .3rem .8rem; font-size: 1rem; }
      .js .menu-toggle:focus { background: var(--focus); color: var(--focus-text); border-color: var(--focus); }
      .js .menu-toggle::after { content: " ▾"; }
      .js .menu-toggle[aria-expanded=true]::after { content: " ▴"; }
      .js nav.main-nav ul { display: none; }
      .js nav.main-nav.open ul { display: block; padding-bottom: .5rem; }
      nav.main-nav ul { display: block; }
      nav.main-nav li { border-top: 1px solid rgba(255, 255, 255, .2); }
      nav.main-nav a { display: block; padding: .6rem 0; border-bottom: 0; border-left: 4px solid transparent; padding-left: .5rem; }
      nav.main-nav a[aria-current=page] { border-left-color: var(--white); }
      header.site .person { margin-left: 0; }
    }

    /* Page width and spacing (the NHS.UK 960-pixel container and 8-pixel spacing scale). */
    .page { max-width: 70rem; margin: 0 auto; padding: 0 1rem; }
    main { max-width: 70rem; margin: 0 auto; padding: 1.5rem 1rem 2.5rem; overflow-wrap: break-word; }
    @media (min-width: 40.0625em) { main { padding-top: 2.5rem; padding-bottom: 3.5rem; } }
    footer.site { background: var(--border); border-top: 4px solid var(--blue); margin-top: 2rem; }
    footer.site .page { padding-top: 1.5rem; padding-bottom: 1.5rem; color: var(--secondary); font-size: 1rem; }
    footer.site p { margin: 0; }

    /* Breadcrumbs: the whole trail on a wide screen, just the way back on a phone. */
    nav.breadcrumbs { max-width: 70rem; margin: 0 auto; padding: .75rem 1rem 0; font-size: 1rem; }
    nav.breadcrumbs ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; }
    nav.breadcrumbs li { margin-right: .5rem; }
    nav.breadcrumbs li + li::before { content: "›"; margin-right: .5rem; color: var(--secondary); }
    nav.breadcrumbs .back { display: none; }
    @media (max-width: 40em) {
      nav.breadcrumbs ol { display: none; }
      nav.breadcrumbs .back { display: inline-block; }
      nav.breadcrumbs .back::before { content: "‹ "; }
    }
    .breadcrumbs + main { padding-top: 1rem; }

    /* Buttons: green for the main action, secondary outlined in blue, red for removing. */
    button, .button { font: inherit; font-weight: 600; font-size: 1rem; line-height: 1.5; background: var(--green); color: var(--white);
           border: 2px solid transparent; border-radius: 4px; box-shadow: 0 4px 0 var(--green-dark); padding: .5rem 1rem .45rem;
           margin: 0 0 .25rem; cursor: pointer; text-decoration: none; display: inline-block; text-align: center; -webkit-appearance: none; }
    @media (min-width: 40.0625em) { button, .button { font-size: 1.1875rem; padding: .6rem 1rem .55rem; } }
    a.button, a.button:visited { color: var(--white); }
    button:hover, .button:hover { background: var(--green-hover); color: var(--white); text-decoration: none; }
    button:active, .button:active { box-shadow: none; transform: translateY(4px); }
    button:focus, .button:focus, a.button:focus { outline: 4px solid transparent; background: var(--focus); color: var(--focus-text); box-shadow: 0 4px 0 var(--focus-text); }
    .button.secondary, a.button.secondary, a.button.secondary:visited, button.secondary { background: transparent; color: var(--blue); border-color: var(--blue); box-shadow: 0 4px 0 var(--blue); }
    .button.secondary:hover, button.secondary:hover { background: #e6eff8; color: var(--dark-blue); }
    button.warning, .button.warning { background: var(--red); box-shadow: 0 4px 0 var(--red-dark); }
    button.warning:hover, .button.warning:hover { background: #aa2016; }
    .actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0 1.5rem; }
    .actions form { margin: 0; }

    /* Forms: labels above fields, hints in secondary text, the error message in red beside a red bar. */
    form.stack { margin-bottom: 1.5rem; }
    form.stack .field, form.stack fieldset { margin-bottom: 1.5rem; }
    form.stack label, form.filters label, legend { display: block; font-weight: 600; margin-bottom: .25rem; }
    legend { font-size: 1.1875rem; padding: 0; }
    .hint { display: block; font-weight: 400; margin-bottom: .5rem; }
    input, select, textarea { font: inherit; font-size: 1rem; line-height: 1.5; padding: .25rem .5rem; min-height: 2.5rem;
           border: 2px solid var(--input-border); border-radius: 0; max-width: 100%; background: var(--white); color: var(--text); }
    @media (min-width: 40.0625em) { input, select, textarea { font-size: 1.1875rem; } }
    input[type=text], input[type=search], input[type=email], input[type=password], input[type=number], textarea { width: 100%; max-width: 30rem; }
    textarea { min-height: 6rem; }
    input:focus, select:focus, textarea:focus { outline: 4px solid var(--focus); outline-offset: 0; border-color: var(--focus-text); box-shadow: inset 0 0 0 2px var(--focus-text); }
    .field.invalid, fieldset.invalid { border-left: 4px solid var(--red); padding-left: 1rem; }
    .field.invalid input, .field.invalid select, .field.invalid textarea, fieldset.invalid input { border-color: var(--red); }
    .error-message { color: var(--red); font-weight: 600; display: block; margin-bottom: .5rem; }
    fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; min-width: 0; }
    fieldset.group { border: 0; }
    fieldset .check, .field.checkbox { display: flex; gap: .75rem; align-items: flex-start; margin: .5rem 0; }
    input[type=checkbox], input[type=radio] { width: 2.5rem; height: 2.5rem; min-height: 0; margin: 0; flex: none; accent-color: var(--text); }
    .field.checkbox label, fieldset .check label { font-weight: 400; padding-top: .45rem; margin: 0; }
    .radios { display: flex; flex-direction: column; gap: .5rem; }
    .radios.inline { flex-direction: row; flex-wrap: wrap; gap: 1.5rem; }
    .radio { display: flex; gap: .75rem; align-items: center; }
    .radio label { font-weight: 400; margin: 0; }
    ul.plain { list-style: none; padding: 0; margin: 0; }
    ul.plain li { margin: 0 0 .25rem; }
    input[type=file] { border: 0; padding: 0; min-height: 0; }
    /* Date input: day, month and year boxes (NHS.UK date input pattern). */
    .date-input { display: flex; flex-wrap: wrap; gap: 1rem; }
    .date-input .item label { font-weight: 400; margin-bottom: .25rem; }
    .date-input input { width: 3.5rem; }
    .date-input input.year { width: 5rem; }
    .date-input input.time { width: 5rem; }

    /* The error summary: red border, focused when the page loads, links to each field. */
    .error-summary { border: 4px solid var(--red); background: var(--white); padding: 1rem; margin-bottom: 2rem; }
    @media (min-width: 40.0625em) { .error-summary { padding: 1.5rem; } }
    .error-summary h2 { margin-top: 0; font-size: 1.375rem; }
    @media (min-width: 40.0625em) { .error-summary h2 { font-size: 1.625rem; } }
    .error-summary ul { list-style: none; padding: 0; margin: 0; }
    .error-summary a, .error-summary a:visited { color: var(--red); font-weight: 600; }
    .error-summary a:focus { color: var(--focus-text); }
    .error-summary:focus { outline: 4px solid var(--focus); outline-offset: 0; box-shadow: inset 0 0 0 2px var(--focus-text); }

    /* Notification banner after a save; inset text; warning callout. */
    .notice { border: 4px solid var(--green); background: var(--white); margin-bottom: 2rem; }
    .notice > :first-child { margin-top: 0; }
    .notice .notice-title { background: var(--green); color: var(--white); font-weight: 600; margin: 0; padding: .25rem 1rem .35rem; font-size: 1rem; }
    .notice .notice-body { padding: 1rem; }
    .notice .notice-body > :last-child { margin-bottom: 0; }
    .notice:not(:has(.notice-body)) { padding: 1rem; border-width: 0 0 0 8px; }
    .inset { border-left: 8px solid var(--blue); background: var(--white); padding: 1rem; margin: 1.5rem 0; }
    .inset > :last-child { margin-bottom: 0; }
    .warning-callout { border: 1px solid var(--focus); border-left: 8px solid var(--focus); background: #fff9c4; padding: 1rem; margin: 1.5rem 0; }
    .warning-callout > :last-child { margin-bottom: 0; }

    /* Cards, summary lists and tiles. */
    .card { background: var(--white); border: 1px solid var(--border); padding: 1rem; margin-bottom: 1.5rem; }
    @media (min-width: 40.0625em) { .card { padding: 1.5rem; } }
    .card > h2:first-child, .card > h3:first-child, .card > form > h2:first-of-type { margin-top: 0; }
    .card h2 { font-size: 1.375rem; line-height: 1.3; margin: 1.5rem 0 .75rem; }
    @media (min-width: 40.0625em) { .card h2 { font-size: 1.625rem; } }
    .card > :last-child { margin-bottom: 0; }
    section.card { margin-bottom: 1.5rem; }
    dl.facts { margin: 0 0 1.5rem; }
    dl.facts > div, dl.facts { font-size: 1rem; }
    @media (min-width: 40.0625em) { dl.facts { display: grid; grid-template-columns: minmax(10rem, 30%) 1fr; font-size: 1.1875rem; } }
    dl.facts dt { font-weight: 600; padding: .5rem 1rem .25rem 0; border-bottom: 0; }
    dl.facts dd { margin: 0; padding: 0 0 .5rem; border-bottom: 1px solid var(--border); }
    @media (min-width: 40.0625em) { dl.facts dt, dl.facts dd { padding: .6rem 1rem .6rem 0; border-bottom: 1px solid var(--border); } }
    .tiles, .tiles-4 { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 1rem; margin-bottom: 1.5rem; }
    .tile { background: var(--white); border: 1px solid var(--border); border-top: 4px solid var(--blue); padding: 1rem; min-width: 0; }
    .tile.green { border-top-color: var(--green); }
    .tile.amber { border-top-color: var(--warm-yellow); }
    .tile.red { border-top-color: var(--red); }
    .tile .figure, .tile .big { font-size: 2rem; font-weight: 700; line-height: 1.15; display: block; }
    .tile h2, .tile h3 { font-size: 1.1875rem; line-height: 1.4; margin: 0 0 .5rem; }
    .tile p { margin-bottom: .5rem; font-size: 1rem; }
    .tile .target, .tile .trend { display: block; font-size: 1rem; color: var(--secondary); }
    .tile .chart-figure { grid-template-columns: 1fr; margin-bottom: 0; }
    .tile .chart-figure figcaption { font-weight: 400; color: var(--secondary); font-size: 1rem; }
    .grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 1.5rem; }
    .grid-2 > * { min-width: 0; }

    /* Tags for statuses, and the red/amber/green lights. */
    .tag, .badge { display: inline-block; font-size: 1rem; font-weight: 700; line-height: 1; padding: .25rem .5rem; border: 1px solid #004281;
           background: #ccdff1; color: #004281; margin: 0 .25rem .25rem 0; border-radius: 0; overflow-wrap: anywhere; }
    .tag.blue { background: #ccdff1; color: #004281; border-color: #004281; }
    .tag.white { background: var(--white); color: var(--text); border-color: var(--text); font-weight: 400; }
    .tag.grey, .badge.grey { background: #dbe0e3; color: #354550; border-color: #354550; }
    .tag.green, .badge.green, .light.green { background: #cce5d8; color: #004c23; border-color: #004c23; }
    .tag.amber, .badge.amber, .light.amber { background: #ffdc8e; color: #4d3708; border-color: #4d3708; }
    .tag.red, .badge.red, .light.red { background: #f7d4d1; color: #6b140e; border-color: #6b140e; }
    .light { display: inline-block; font-weight: 700; font-size: 1rem; line-height: 1; padding: .25rem .5rem; border: 1px solid; white-space: nowrap; }

    /* Tables: a scrolling region of their own when wider than the screen, reachable by keyboard. */
    /* Positioned, so hidden helper text in a cell (placed absolutely) scrolls with the table, not the page. */
    .table-wrap { overflow-x: auto; margin-bottom: 1.5rem; max-width: 100%; position: relative; }
    .table-wrap:focus { outline: 4px solid var(--focus); outline-offset: 0; box-shadow: inset 0 0 0 2px var(--focus-text); }
    table { border-collapse: collapse; width: 100%; background: var(--white); font-size: 1rem; }
    caption { text-align: left; font-weight: 700; font-size: 1.1875rem; padding: 0 0 .5rem; }
    th, td { text-align: left; padding: .6rem 1rem .6rem 0; border-bottom: 1px solid var(--border); vertical-align: top; }
    th:first-child, td:first-child { padding-left: .75rem; }
    thead th { font-weight: 700; border-bottom: 2px solid var(--text); }
    td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
    tr.highlight td { background: #fff9c4; font-weight: 600; }
    .table-wrap table { margin-bottom: 0; }

    /* Pagination, report links, timelines, progress. */
    nav.pagination { margin: 1.5rem 0; }
    nav.pagination ul { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: 0; margin: 0; }
    nav.pagination .current { font-weight: 700; }
    nav.pagination a { font-weight: 600; }
    .pager { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1rem 0; }
    ul.report-links { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; margin: .5rem 0 1.5rem; font-size: 1rem; }
    ul.report-links a[aria-current=page] { font-weight: 700; text-decoration: none; color: var(--text); }
    details { margin: 1rem 0 1.5rem; }
    details > summary { cursor: pointer; color: var(--blue); text-decoration: underline; display: inline-block; }
    details[open] > summary { margin-bottom: .75rem; }
    details > div, details > form { border-left: 4px solid var(--border); padding-left: 1rem; }
    form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; background: var(--white); border: 1px solid var(--border); padding: 1rem; margin-bottom: 1.5rem; }
    form.filters > div { min-width: 0; max-width: 100%; }
    form.filters input[type=search] { width: 16rem; }
    form.filters button { margin-bottom: 0; }
    form.filters details.more-filters { flex: 1 1 100%; margin: 0; min-width: 0; max-width: 100%; }
    form.filters details.more-filters > summary { margin-bottom: .5rem; }
    form.filters .filter-grid { display: flex; flex-wrap: wrap; gap: 1rem; border: 0; padding: 0; }
    form.filters .filter-grid > div { min-width: 0; max-width: 100%; }
    form.filters select { max-width: 100%; }
    @media (max-width: 40em) { form.filters .filter-grid > div, form.filters .filter-grid select { flex: 1 1 100%; width: 100%; } }
    ul.changes { margin: 0; padding-left: 1rem; }
    ul.history { list-style: none; padding: 0; }
    ul.history li { border-bottom: 1px solid var(--border); padding: .5rem 0; }
    ul.history .when { font-weight: 600; }
    ul.history .reason { color: var(--secondary); }
    code.token { word-break: break-all; font-size: 1rem; }
    ol.timeline { list-style: none; padding: 0; margin: 0 0 1.5rem; border-left: 4px solid var(--border); }
    ol.timeline li { position: relative; padding: .2rem 0 .75rem 1.25rem; }
    ol.timeline li::before { content: ""; position: absolute; left: -.6rem; top: .6rem; width: .85rem; height: .85rem; border-radius: 50%; background: var(--border); border: 2px solid var(--white); }
    ol.timeline li.done::before { background: var(--blue); }
    ol.timeline .when { color: var(--secondary); }
    progress { width: 100%; max-width: 30rem; height: 1.25rem; accent-color: var(--blue); }
    progress.inline { display: block; width: 6rem; height: .6rem; margin-left: auto; }

    /* Charts: text a person can read at phone width. */
    .chart-figure { margin: 0 0 1.5rem; display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; }
    .chart-figure.stacked { grid-template-columns: 1fr; }
    .chart-figure.stacked svg.chart { max-width: 52rem; }
    .chart-figure figcaption { grid-column: 1 / -1; font-weight: 700; }
    .chart-figure .chart-table { max-height: 22rem; overflow: auto; }
    .chart-figure .chart-table table { font-size: 1rem; }
    svg.chart { width: 100%; height: auto; background: var(--white); font-family: inherit; display: block; }
    /* Below 32rem a wide chart would shrink its text under 12 pixels, so it scrolls in its region instead. */
    .chart-scroll { overflow-x: auto; position: relative; }
    .chart-scroll:focus { outline: 4px solid var(--focus); outline-offset: 0; box-shadow: inset 0 0 0 2px var(--focus-text); }
    svg.chart.wide { min-width: 32rem; }
    svg.chart.narrow { max-width: 26rem; }
    svg.chart .grid { stroke: #e8edee; stroke-width: 1; }
    svg.chart .axis { stroke: var(--text); stroke-width: 1.2; }
    svg.chart .tick { font-size: 15px; fill: var(--secondary); }
    svg.chart .value { font-size: 15px; font-weight: 600; fill: var(--text); }
    svg.chart .value.muted { fill: var(--secondary); font-weight: 400; }
    svg.chart .axis-title { font-size: 15px; font-weight: 600; fill: var(--text); }
    svg.chart .bar { fill: var(--blue); }
    svg.chart .bar-green, svg.chart .bar-met { fill: var(--green); }
    svg.chart .bar-amber { fill: #c27c00; }
    svg.chart .bar-red, svg.chart .bar-missed { fill: var(--red); }
    svg.chart .bar-none, svg.chart .bar-waiting { fill: #8fa3b5; }
    svg.chart .reference { stroke: var(--text); stroke-width: 2; stroke-dasharray: 4 3; }
    svg.chart .reference-label { font-size: 15px; fill: var(--text); }
    svg.chart .series-actual { fill: none; stroke: var(--blue); stroke-width: 3; }
    svg.chart .series-target { fill: none; stroke: var(--secondary); stroke-width: 2; stroke-dasharray: 8 5; }
    svg.chart .series-forecast { fill: none; stroke: #c27c00; stroke-width: 2.5; stroke-dasharray: 2 4; stroke-linecap: round; }
    svg.chart .point-actual { fill: var(--blue); }
    svg.chart .point-forecast { fill: var(--white); stroke: #c27c00; stroke-width: 2; }
    @media (max-width: 70rem) { .chart-figure { grid-template-columns: 1fr; } }
    @media (max-width: 40em) { form.filters input[type=search] { width: 100%; } form.filters > div { flex: 1 1 100%; } }

    @page { size: A4; margin: 14mm 12mm; }
    @media print {
      nav.main-nav, nav.breadcrumbs, .menu-toggle, .skip-link, form, .actions, .pager, nav.pagination, footer.site,
      nav[aria-label="Reports"], .report-links, form.filters { display: none; }
      body { background: #fff; font-size: 11pt; }
      header.site { background: #fff; color: #000; border-bottom: 2px solid #000; }
      header.site a, header.site .brand .mark { color: #000; background: #fff; }
      h1 { font-size: 20pt; margin-bottom: 8pt; } h2 { font-size: 15pt; margin: 12pt 0 6pt; } h3 { font-size: 12pt; }
      .grid-2.print-stack { display: block; }
      .tiles-4 { grid-template-columns: repeat(4, 1fr); gap: .5rem; }
      .tile .big { font-size: 1.4rem; }
      .chart-figure { grid-template-columns: 3fr 2fr; }
      svg.chart { max-height: 70mm; }
      th, td { padding: .2rem .4rem; }
      .card, .tile { border-color: #999; break-inside: avoid; }
      a { color: #000; text-decoration: none; }
      main { max-width: none; padding: 0; }
      h1, h2, h3 { break-after: avoid; }
      tr { break-inside: avoid; }
      .chart-figure { break-inside: avoid; }
      .chart-figure .chart-table { max-height: none; overflow: visible; }
      .chart-scroll { overflow: visible; }
      svg.chart.wide { min-width: 0; }
    }
    """
}
