using System.Globalization;
using System.Net;
using System.Text;
using Workbench.Experiments;
using Workbench.Notebooks;
using Workbench.Notebooks.Display;
using Workbench.Tables;

namespace Workbench.Cli.Site;

/// <summary>One executed chapter of the curriculum, as the site shows it.</summary>
/// <param name="Stem">The notebook's file name without .ipynb ("02-votes-to-seats"); its page is chapters/STEM.html.</param>
/// <param name="Notebook">The notebook (with its outputs).</param>
/// <param name="Info">Number, title and question, from its first markdown cell.</param>
internal sealed record SiteChapter(string Stem, Notebook Notebook, ChapterInfo Info)
{
    /// <summary>The page, relative to the site's root.</summary>
    public string Href => $"chapters/{Stem}.html";
}

/// <summary>A workshop card and the file it came from (its page is workshop/STEM.html).</summary>
internal sealed record SiteCard(string Path, WorkshopCard Card)
{
    /// <summary>The card's file name without .json.</summary>
    public string Stem => System.IO.Path.GetFileNameWithoutExtension(Path);
}

/// <summary>The regulation lab the site computes: the grid, voters per electorate (null: the scenario's) and replicates per cell.</summary>
internal sealed record SiteLab(Scenario Scenario, LabGrid Grid, int? Voters, int Replicates, int Threads)
{
    /// <summary>
    /// The site's grid: the four regimes and four spending caps of <c>workbench lab</c> (the workshop cards' caps among them) and
    /// three minimum audiences (48 scenarios, against the lab command's 64), so that the site builds quickly.
    /// </summary>
    public static LabGrid DefaultGrid { get; } = new(LabGrid.Default.Regimes, [null, 200, 1000], [null, 30_000, 20_000, 10_000]);
}

/// <summary>A link the start page lists: text, target relative to the site's root, and a one-line description.</summary>
internal sealed record SiteLink(string Text, string Href, string Description);

/// <summary>
/// Builds the static offline site of the curriculum (<c>workbench site</c>), in the way Jupyter Book and QuantEcon publish
/// lectures: a start page with the chapter table, one page per executed chapter (table of contents from its headings,
/// previous/next navigation, code, outputs and interactive charts), the regulation lab, the parameter reference, the glossary
/// and one page per workshop card. Every reference is relative — one stylesheet (assets/site.css) and plotly.js written once
/// (assets/plotly.min.js) — so the folder works from file:// with no network, e.g. from a USB stick. The same inputs give the
/// same bytes: nothing depends on the clock, the machine or the thread count.
/// </summary>
internal sealed class SiteBuilder(string outDir, TextWriter progress)
{
    private const string Css = "assets/site.css", PlotlyJs = "assets/plotly.min.js";
    private readonly List<string> pages = [];

    /// <summary>The pages written so far, relative to the site's root, in the order written.</summary>
    public IReadOnlyList<string> Pages => pages;

    /// <summary>The number of Plotly charts on the chapter pages (the outputs of the notebooks).</summary>
    public int ChapterCharts { get; private set; }

    /// <summary>Writes the whole site: assets, chapters, lab, parameter reference, glossary, workshop pages and the start page.</summary>
    public void Build(IReadOnlyList<SiteChapter> chapters, IReadOnlyList<SiteCard> cards, SiteLab lab, string glossaryMarkdown)
    {
        Directory.CreateDirectory(Path.Combine(outDir, "assets"));
        Write(PlotlyJs, PlotlyFormatter.PlotlyJs(), page: false);
        Write(Css, Stylesheet, page: false);
        for (int i = 0; i < chapters.Count; i++)
            WriteChapter(chapters, i);
        WriteLab(lab);
        WriteMarkdownPage("parameters.html", "Model parameters", ParameterReference.Markdown(),
            "Generated from the library's parameter metadata, the same source as <code>workbench docs</code> and docs/parameters.md.");
        WriteMarkdownPage("glossary.html", "Glossary", glossaryMarkdown, null);
        var workshops = WriteWorkshopPages(cards);
        WriteIndex(chapters, workshops, lab);
    }

    /// <summary>A chapter page: navigation, table of contents from its headings, its cells and outputs, previous/next.</summary>
    private void WriteChapter(IReadOnlyList<SiteChapter> chapters, int index)
    {
        var ch = chapters[index];
        var ids = new PageIds();
        foreach (var reserved in new[] { "content", "toc" }) ids.Reserve(reserved);
        var headings = new List<PageHeading>();
        var stems = chapters.Select(c => c.Stem).ToHashSet(StringComparer.Ordinal);
        var (cells, charts) = NotebookHtml.Cells(ch.Notebook, ids, headings, (url, image) => ChapterLink(url, image, stems));
        ChapterCharts += charts;
        var pager = new StringBuilder("<nav class=\"pager\">");
        pager.Append(index > 0 ? $"<a class=\"prev\" rel=\"prev\" href=\"{Enc(chapters[index - 1].Stem)}.html\">← {Enc(Label(chapters[index - 1]))}</a>" : "<span></span>");
        pager.Append("<a class=\"home\" href=\"../index.html#chapters\">All chapters</a>");
        pager.Append(index < chapters.Count - 1 ? $"<a class=\"next\" rel=\"next\" href=\"{Enc(chapters[index + 1].Stem)}.html\">{Enc(Label(chapters[index + 1]))} →</a>" : "<span></span>");
        pager.Append("</nav>\n");
        var body = new StringBuilder();
        body.Append(pager).Append(cells).Append(pager);
        Write(ch.Href, Layout("../", Label(ch), body.ToString(), plotly: charts > 0, Toc(headings, 3)));
    }

    /// <summary>A link in a chapter's Markdown: other chapters (.ipynb) become their pages, the parameter reference and glossary theirs; other relative paths and non-inline images keep only their text.</summary>
    private static string? ChapterLink(string url, bool image, HashSet<string> stems)
    {
        if (image) return url.StartsWith("data:", StringComparison.Ordinal) ? url : null;
        if (url.StartsWith('#') || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) return url;
        var (path, fragment) = url.IndexOf('#') is int h and >= 0 ? (url[..h], url[h..]) : (url, "");
        var name = Path.GetFileName(path);
        if (name.EndsWith(".ipynb", StringComparison.Ordinal) && stems.Contains(name[..^6]) && !path.Contains("..", StringComparison.Ordinal))
            return name[..^6] + ".html" + fragment;
        if (name == "parameters.md") return "../parameters.html";
        if (name == "glossary.md") return "../glossary.html";
        return null;
    }

    /// <summary>The regulation lab: <see cref="LabPage"/>'s page on the site's grid, with the site's navigation and a note on the configuration.</summary>
    private void WriteLab(SiteLab lab)
    {
        int total = lab.Grid.Regimes.Count * lab.Grid.MinimumAudiences.Count * lab.Grid.SpendingCaps.Count;
        progress.WriteLine($"computing the regulation lab: {total} scenarios × {lab.Replicates} replicates");
        var data = LabPage.Compute(lab.Scenario, lab.Grid, lab.Voters, lab.Replicates, lab.Threads);
        var ci = CultureInfo.InvariantCulture;
        string Values<T>(IReadOnlyList<T> xs, Func<T, string> f) => string.Join(", ", xs.Select(f));
        var note = new StringBuilder("<p class=\"site-note\">Computed for this site with a small, fast configuration: scenario <code>")
            .Append(Enc(lab.Scenario.Name)).Append("</code>, ").Append(lab.Replicates.ToString(ci)).Append(lab.Replicates == 1 ? " replicate" : " replicates")
            .Append(" per cell, ").Append(lab.Voters is int v ? v.ToString("N0", ci) + " voters" : "the scenario's voters").Append("; regimes ")
            .Append(Enc(Values(lab.Grid.Regimes, x => x))).Append("; minimum audiences ").Append(Enc(Values(lab.Grid.MinimumAudiences, x => x?.ToString(ci) ?? "none")))
            .Append("; spending caps ").Append(Enc(Values(lab.Grid.SpendingCaps, x => x?.ToString("N0", ci) ?? "none")))
            .Append(" (").Append(total.ToString(ci)).Append(" scenarios). <code>workbench lab --out DIR</code> computes the full grid with more replicates.</p>\n");
        Write("lab.html", LabPage.Html(data, PlotlyJs, Css, Header("") + note));
    }

    /// <summary>A page rendered from Markdown, with a table of contents of its second-level headings.</summary>
    private void WriteMarkdownPage(string href, string title, string markdown, string? noteHtml)
    {
        var ids = new PageIds();
        foreach (var reserved in new[] { "content", "toc" }) ids.Reserve(reserved);
        var headings = new List<PageHeading>();
        var html = NotebookHtml.Markdown(markdown, ids, headings, (url, image) => image ? null : url.StartsWith("http", StringComparison.OrdinalIgnoreCase) || url.StartsWith('#') ? url : null);
        var body = (noteHtml is null ? "" : $"<p class=\"site-note\">{noteHtml}</p>\n") + "<section class=\"cell markdown\">\n" + html + "</section>\n";
        Write(href, Layout("", title, body, plotly: false, Toc(headings, 2)));
    }

    /// <summary>
    /// One page per workshop card (workshop/CARD.html): the agenda with times, activities, what to look at, the command that
    /// runs each step, and the discussion questions with the recommendation each is tied to. Returns the links the start page
    /// lists under Workshops; pages for other workshop material are added here.
    /// </summary>
    private IReadOnlyList<SiteLink> WriteWorkshopPages(IReadOnlyList<SiteCard> cards)
    {
        var links = new List<SiteLink>();
        var ci = CultureInfo.InvariantCulture;
        foreach (var sc in cards)
        {
            var c = sc.Card;
            var ids = new PageIds();
            var headings = new List<PageHeading>();
            string H(int level, string text)
            {
                var id = ids.Reserve(NotebookHtml.Slug(text));
                headings.Add(new PageHeading(level, text, id));
                return $"<h{level} id=\"{id}\">{Enc(text)}</h{level}>\n";
            }
            var body = new StringBuilder("<section class=\"cell markdown\">\n");
            body.Append(H(1, c.Title));
            body.Append("<p><strong>").Append(c.Minutes.ToString(ci)).Append(" minutes</strong> · electorate preset <code>").Append(Enc(c.Preset)).Append("</code></p>\n");
            if (c.Audience != "") body.Append("<p><strong>For:</strong> ").Append(Enc(c.Audience)).Append("</p>\n");
            if (c.Goal != "") body.Append("<p><strong>Goal:</strong> ").Append(Enc(c.Goal)).Append("</p>\n");
            // The trainer pack (handouts, expected results from its reference runs, answer sheet, timing plan) in the site itself.
            // The pages print the card's path in their commands: the repository-relative one, so the site is the same on every machine.
            var pack = TrainerPack.Build(c, "notebooks/workshop/cards/" + Path.GetFileName(sc.Path));
            foreach (var p in pack.Pages) Write($"workshop/{sc.Stem}/{p.FileName}", p.Html);
            body.Append("<p class=\"site-note\"><a href=\"").Append(Enc(sc.Stem)).Append("/index.html\">Trainer pack</a>: printable handouts per step, expected results from a reference run, ")
                .Append("an answer sheet and a timing plan (also <code>workbench workshop notebooks/workshop/cards/")
                .Append(Enc(Path.GetFileName(sc.Path))).Append(" --pack DIR</code>).</p>\n");
            var recIds = c.Recommendations.Keys.ToDictionary(k => k, k => ids.Reserve("recommendation-" + NotebookHtml.Slug(k)), StringComparer.Ordinal);
            body.Append(H(2, "Agenda"));
            body.Append("<table class=\"agenda\"><thead><tr><th>time</th><th>step</th><th>activity</th><th>questions</th></tr></thead><tbody>\n");
            int at = 0;
            for (int i = 0; i < c.Steps.Count; i++)
            {
                var s = c.Steps[i];
                body.Append("<tr><td class=\"time\">").Append(at.ToString(ci)).Append("–").Append((at + s.Minutes).ToString(ci)).Append(" min</td><td><strong>")
                    .Append((i + 1).ToString(ci)).Append(". ").Append(Enc(s.Title)).Append("</strong></td><td>").Append(Enc(s.Activity));
                if (s.Look is { Length: > 0 } look) body.Append("<br><em>Look at:</em> ").Append(Enc(look));
                if (s.Figures.Count > 0) body.Append("<br><em>Figures:</em> ").Append(Enc(string.Join(", ", s.Figures)));
                if (s.Scenario is not null)
                    body.Append("<br><em>Run:</em> <code>workbench workshop notebooks/workshop/cards/").Append(Enc(Path.GetFileName(sc.Path))).Append(" --step ").Append((i + 1).ToString(ci))
                        .Append("</code> (scenario <code>").Append(Enc(s.Scenario.Name)).Append("</code>)");
                body.Append("</td><td>");
                if (s.Questions.Count > 0)
                {
                    body.Append("<ul class=\"questions\">");
                    foreach (var q in s.Questions)
                        body.Append("<li>").Append(Enc(q.Text)).Append(" <a class=\"recommendation\" href=\"#").Append(recIds[q.Recommendation]).Append("\">[")
                            .Append(Enc(q.Recommendation)).Append("]</a></li>");
                    body.Append("</ul>");
                }
                body.Append("</td></tr>\n");
                at += s.Minutes;
            }
            body.Append("</tbody></table>\n");
            body.Append(H(2, "Recommendations")).Append("<p>Each question is tied to one recommendation of International IDEA's 2020 roundtables on online political advertising.</p>\n<dl class=\"recommendations\">\n");
            foreach (var (id, text) in c.Recommendations.OrderBy(r => r.Key, StringComparer.Ordinal))
                body.Append("<dt id=\"").Append(recIds[id]).Append("\">").Append(Enc(id)).Append("</dt><dd>").Append(Enc(text)).Append("</dd>\n");
            body.Append("</dl>\n</section>\n");
            string href = $"workshop/{sc.Stem}.html";
            Write(href, Layout("../", c.Title, body.ToString(), plotly: false, Toc(headings, 2)));
            links.Add(new SiteLink(c.Title, href, $"{c.Minutes.ToString(ci)} minutes, {c.Steps.Count.ToString(ci)} steps. {c.Goal}"));
        }
        return links;
    }

    /// <summary>The start page: what Workbench is, the chapter table (number, title, question), the lab, workshops and references.</summary>
    private void WriteIndex(IReadOnlyList<SiteChapter> chapters, IReadOnlyList<SiteLink> workshops, SiteLab lab)
    {
        var (version, _) = Simulation.LibraryVersion();
        var b = new StringBuilder("<section class=\"cell markdown\">\n");
        b.Append("<h1 id=\"workbench\">Workbench: simulating political digital microtargeting</h1>\n");
        b.Append("<p>Workbench is a research workbench for studying political digital microtargeting by simulation. It generates synthetic electorates, ")
         .Append("lets campaigns score and target voters under the data a legal regime allows, delivers their messages through channels whose effects come from ")
         .Append("published field experiments, and counts the votes under first-past-the-post and proportional representation — so that what targeting buys, ")
         .Append("what filter bubbles and voter suppression do, and what regulation changes can be measured, with intervals over replicates.</p>\n");
        b.Append("<p>This site is the curriculum as executed: every chapter with its code, tables and interactive charts, the regulation lab, the workshop ")
         .Append("agendas and the references. It needs no server and no network; open it from a folder or a USB stick. The chapters themselves are C# notebooks ")
         .Append("in the repository's <code>notebooks/</code> folder; <code>workbench run notebooks</code> executes them again.</p>\n");
        b.Append("<h2 id=\"chapters\">Chapters</h2>\n<table class=\"chapters\"><thead><tr><th>#</th><th>chapter</th><th>question</th></tr></thead><tbody>\n");
        foreach (var ch in chapters)
            b.Append("<tr><td class=\"number\">").Append(Enc(ch.Info.Number)).Append("</td><td><a href=\"").Append(Enc(ch.Href)).Append("\">").Append(Enc(ch.Info.Title))
             .Append("</a></td><td>").Append(ch.Info.QuestionHtml).Append("</td></tr>\n");
        b.Append("</tbody></table>\n");
        b.Append("<h2 id=\"lab\">Regulation lab</h2>\n<p><a href=\"lab.html\">The regulation lab</a>: choose a data regime, a minimum audience and a spending cap, and see ")
         .Append("the seats each campaign buys, its targeting precision and the change in turnout — a precomputed grid of ")
         .Append((lab.Grid.Regimes.Count * lab.Grid.MinimumAudiences.Count * lab.Grid.SpendingCaps.Count).ToString(CultureInfo.InvariantCulture))
         .Append(" regulation scenarios on the <code>").Append(Enc(lab.Scenario.Name)).Append("</code> scenario.</p>\n");
        b.Append("<h2 id=\"workshops\">Workshops</h2>\n");
        if (workshops.Count == 0) b.Append("<p>No workshop cards were found (notebooks/workshop/cards).</p>\n");
        else
        {
            b.Append("<p>Timed agendas for policy trainers: what to run, what to look at, and the questions to discuss.</p>\n<ul>\n");
            foreach (var w in workshops) b.Append("<li><a href=\"").Append(Enc(w.Href)).Append("\">").Append(Enc(w.Text)).Append("</a>: ").Append(Enc(w.Description)).Append("</li>\n");
            b.Append("</ul>\n");
        }
        b.Append("<h2 id=\"reference\">Reference</h2>\n<ul>\n<li><a href=\"parameters.html\">Model parameters</a>: every parameter of the models — meaning, unit, range, default and the source it was calibrated to.</li>\n")
         .Append("<li><a href=\"glossary.html\">Glossary</a>: the terms the chapters use, each in a sentence or two.</li>\n</ul>\n");
        b.Append("<p class=\"site-note\">Built by <code>workbench site</code> from ").Append(chapters.Count.ToString(CultureInfo.InvariantCulture))
         .Append(" executed chapters with Workbench ").Append(Enc(version)).Append(".</p>\n</section>\n");
        Write("index.html", Layout("", "Workbench", b.ToString(), plotly: false, toc: null));
    }

    /// <summary>A full page: head (the stylesheet, plotly.js when the page has charts), the site header, table of contents and content.</summary>
    private static string Layout(string root, string title, string content, bool plotly, string? toc)
    {
        var sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        sb.Append(Enc(title == "Workbench" ? title : title + " · Workbench")).Append("</title>\n<link rel=\"stylesheet\" href=\"").Append(root).Append(Css).Append("\">\n");
        if (plotly) sb.Append("<script src=\"").Append(root).Append(PlotlyJs).Append("\"></script>\n");
        sb.Append("</head><body>\n").Append(Header(root));
        sb.Append(toc is null ? "<div class=\"layout single\">\n" : "<div class=\"layout\">\n" + toc);
        sb.Append("<main id=\"content\">\n").Append(content).Append("</main>\n</div>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>The navigation bar at the top of every page (<paramref name="root"/>: the relative path to the site's root).</summary>
    private static string Header(string root) =>
        $"<header class=\"site\"><a class=\"brand\" href=\"{root}index.html\">Workbench</a><nav><a href=\"{root}index.html#chapters\">Chapters</a>" +
        $"<a href=\"{root}lab.html\">Regulation lab</a><a href=\"{root}index.html#workshops\">Workshops</a><a href=\"{root}parameters.html\">Parameters</a>" +
        $"<a href=\"{root}glossary.html\">Glossary</a></nav></header>\n";

    /// <summary>The table of contents: headings up to <paramref name="maxLevel"/> (the page title, level 1, excluded).</summary>
    private static string? Toc(IReadOnlyList<PageHeading> headings, int maxLevel)
    {
        var items = headings.Where(h => h.Level >= 2 && h.Level <= maxLevel).ToList();
        if (items.Count == 0) return null;
        var sb = new StringBuilder("<nav class=\"toc\" id=\"toc\"><h2>On this page</h2><ul>\n");
        foreach (var h in items)
            sb.Append("<li class=\"level").Append(h.Level.ToString(CultureInfo.InvariantCulture)).Append("\"><a href=\"#").Append(h.Id).Append("\">").Append(Enc(h.Text)).Append("</a></li>\n");
        sb.Append("</ul></nav>\n");
        return sb.ToString();
    }

    private static string Label(SiteChapter ch) => ch.Info.Number == "" ? ch.Info.Title : $"{ch.Info.Number} · {ch.Info.Title}";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private void Write(string relative, string text, bool page = true)
    {
        var path = Path.Combine(outDir, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, text);
        if (!page) return;
        pages.Add(relative);
        progress.WriteLine($"page {pages.Count.ToString(CultureInfo.InvariantCulture)}: {relative}");
    }

    private const string Stylesheet = """
:root{--fg:#1f2328;--muted:#57606a;--accent:#1f5fa8;--rule:#d0d7de;--code:#f6f8fa}
*{box-sizing:border-box}
body{margin:0 auto;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);line-height:1.55;background:#fff}
a{color:var(--accent)}
header.site{display:flex;flex-wrap:wrap;align-items:center;gap:1.2em;padding:.6em 1.5em;background:#0f2f57;color:#fff}
header.site a{color:#fff;text-decoration:none}
header.site .brand{font-weight:700;font-size:1.15em}
header.site nav{display:flex;flex-wrap:wrap;gap:1em}
header.site nav a{opacity:.9}
header.site nav a:hover{opacity:1;text-decoration:underline}
.layout{display:grid;grid-template-columns:15em minmax(0,1fr);gap:2em;max-width:1250px;margin:0 auto;padding:1em 1.5em}
.layout.single{display:block;max-width:1100px}
nav.toc{position:sticky;top:1em;align-self:start;max-height:calc(100vh - 2em);overflow-y:auto;font-size:.9em;border-right:1px solid var(--rule);padding-right:1em}
nav.toc h2{font-size:1em;margin:.3em 0 .6em}
nav.toc ul{list-style:none;margin:0;padding:0}
nav.toc li{margin:.25em 0}
nav.toc li.level3{padding-left:1em;font-size:.95em}
nav.toc a{text-decoration:none}
nav.toc a:hover{text-decoration:underline}
main h1{font-size:1.9em;margin-top:.4em}
main h2{border-bottom:1px solid var(--rule);padding-bottom:.2em;margin-top:1.6em}
section.cell{margin:.8em 0}
pre{background:var(--code);padding:.7em .9em;overflow-x:auto;border-radius:4px;font-size:.88em;line-height:1.4}
pre.source{border-left:3px solid var(--accent)}
pre.output{background:#fff;border:1px solid var(--rule)}
pre.error{background:#fdecea;color:#611a15}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
div.output.html{overflow-x:auto}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
td,th{border:1px solid var(--rule);padding:.25em .55em;vertical-align:top}
th{background:#f0f3f6;text-align:left}
div.output.html td{text-align:right}
table.chapters td.number,table.agenda td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
table.agenda ul.questions{margin:0;padding-left:1.1em}
.plotly-chart{margin:.6em 0}
nav.pager{display:flex;justify-content:space-between;gap:1em;margin:1em 0;padding:.6em 0;border-top:1px solid var(--rule);border-bottom:1px solid var(--rule)}
nav.pager a{text-decoration:none}
.site-note{color:var(--muted);font-size:.9em}
dl dt{font-weight:600;margin-top:.8em}
dl dd{margin:.2em 0 0 1.5em}
@media (max-width:800px){.layout{display:block}nav.toc{position:static;max-height:none;border-right:0;border-bottom:1px solid var(--rule);padding-bottom:.6em}}
""";
}
