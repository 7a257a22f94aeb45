using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Workbench.Notebooks;

/// <summary>A heading of a rendered page: its level (1–6), its text and the id of its anchor.</summary>
public sealed record PageHeading(int Level, string Text, string Id);

/// <summary>What a notebook's first markdown cell says about it: number, title and the question the chapter asks.</summary>
/// <param name="Number">The chapter number ("02"), from the heading "# 02 · Title" or else the file name's leading digits; "" when neither has one.</param>
/// <param name="Title">The title without its number.</param>
/// <param name="QuestionHtml">The paragraph that starts with <c>**Question…:**</c>, without that label, as inline HTML; "" when there is none.</param>
public sealed record ChapterInfo(string Number, string Title, string QuestionHtml);

/// <summary>
/// The ids used on one HTML page, so that heading anchors and chart containers of many cells (or many Markdown
/// sources) are unique on the page: a repeated heading gets "-2", "-3", … appended.
/// </summary>
public sealed class PageIds
{
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    /// <summary>Reserves <paramref name="wanted"/> (or, when taken, the first free "wanted-N") and returns it.</summary>
    public string Reserve(string wanted)
    {
        if (used.Add(wanted)) return wanted;
        for (int n = 2; ; n++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{wanted}-{n}");
            if (used.Add(id)) return id;
        }
    }
}

/// <summary>
/// Renders notebooks and Markdown as HTML fragments for a multi-page static site (<c>workbench site</c>): Markdown
/// through Markdig with an anchor on every heading, code cells with their outputs (text, HTML tables, Plotly charts drawn
/// from their figure JSON by a page-level plotly.js that the page must load), and the headings found, for a table of contents.
/// Links are passed through a caller's function, so a site can map notebook and repository paths to its own pages.
/// Deterministic: the same notebook gives the same bytes.
/// </summary>
public static class NotebookHtml
{
    /// <summary>The Markdown extensions used (tables, emphasis extras, lists, footnotes, autolinks); headings get their ids from <see cref="PageIds"/>, not from Markdig.</summary>
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables().UseGridTables().UseEmphasisExtras().UseListExtras().UseTaskLists().UseAutoLinks().UseFootnotes().UseDefinitionLists()
        .Build();

    /// <summary>The MIME type of a Plotly figure in a notebook output.</summary>
    public const string PlotlyMime = "application/vnd.plotly.v1+json";

    /// <summary>
    /// Rewrites a link target: given the URL and whether it is an image, returns the URL to use, or null to drop the link
    /// and keep its text (for an image: its alternative text).
    /// </summary>
    public delegate string? LinkRewriter(string url, bool isImage);

    /// <summary>
    /// Markdown as HTML with an id on every heading (a slug of its text, unique on the page through <paramref name="ids"/>);
    /// the headings are added to <paramref name="headings"/> in order.
    /// </summary>
    public static string Markdown(string markdown, PageIds ids, List<PageHeading> headings, LinkRewriter? links = null)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(headings);
        var doc = Markdig.Markdown.Parse(markdown.Replace("\r\n", "\n"), Pipeline);
        foreach (var h in doc.Descendants<HeadingBlock>())
        {
            var text = PlainText(h.Inline);
            var id = ids.Reserve(Slug(text));
            h.GetAttributes().Id = id;
            headings.Add(new PageHeading(h.Level, text, id));
        }
        if (links is not null)
            foreach (var link in doc.Descendants<LinkInline>().ToList())
            {
                if (link.Url is null) continue;
                var url = links(link.Url, link.IsImage);
                if (url is not null) { link.Url = url; continue; }
                // Unlink: keep the text (an image keeps its alternative text), drop the target.
                var children = link.ToList();
                foreach (var c in children) { c.Remove(); link.InsertBefore(c); }
                link.Remove();
            }
        return doc.ToHtml(Pipeline);
    }

    /// <summary>
    /// The cells of <paramref name="nb"/> as HTML: each markdown cell rendered (<see cref="Markdown"/>), each code cell as its
    /// source and its outputs — streams, errors, HTML (tables), PNG images, text, and Plotly figures as a container div with a
    /// script that draws the figure with the page's plotly.js (the figure comes from the output's JSON, so an output whose
    /// HTML loads plotly.js from a CDN still draws offline). Returns the HTML and the number of Plotly charts in it.
    /// </summary>
    public static (string Html, int Charts) Cells(Notebook nb, PageIds ids, List<PageHeading> headings, LinkRewriter? links = null)
    {
        ArgumentNullException.ThrowIfNull(nb);
        var body = new StringBuilder();
        int charts = 0;
        foreach (var cell in nb.Cells)
        {
            if (cell.Type == "markdown" || cell.Language == "markdown")
            {
                var md = cell.Source;
                if (md.StartsWith("#!markdown", StringComparison.Ordinal)) md = md[(md.IndexOf('\n') is var nl and >= 0 ? nl + 1 : md.Length)..];
                body.Append("<section class=\"cell markdown\">\n").Append(Markdown(md, ids, headings, links)).Append("</section>\n");
                continue;
            }
            if (cell.Type != "code") continue;
            body.Append("<section class=\"cell code\">\n<pre class=\"source\"><code class=\"language-csharp\">").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre>\n");
            foreach (var o in (cell.Json["outputs"] as JsonArray ?? []).OfType<JsonObject>())
            {
                switch (o["output_type"]?.GetValue<string>())
                {
                    case "stream":
                        body.Append("<pre class=\"output stream ").Append(WebUtility.HtmlEncode(o["name"]?.GetValue<string>() ?? "stdout")).Append("\">")
                            .Append(WebUtility.HtmlEncode(Notebook.JoinSource(o["text"]))).Append("</pre>\n");
                        break;
                    case "display_data" or "execute_result":
                        var data = o["data"] as JsonObject;
                        if (data?[PlotlyMime] is { } fig)
                        {
                            charts++;
                            body.Append(Chart(fig is JsonValue v && v.TryGetValue<string>(out var s) ? s : fig.ToJsonString(), ids)).Append('\n');
                        }
                        else if (data?["text/html"] is { } h) body.Append("<div class=\"output html\">").Append(Notebook.JoinSource(h)).Append("</div>\n");
                        else if (data?["image/png"] is { } png) body.Append("<img class=\"output\" alt=\"cell output\" src=\"data:image/png;base64,").Append(Notebook.JoinSource(png).Trim()).Append("\">\n");
                        else if (data?["text/plain"] is { } t) body.Append("<pre class=\"output\">").Append(WebUtility.HtmlEncode(Notebook.JoinSource(t))).Append("</pre>\n");
                        break;
                    case "error":
                        var tb = o["traceback"] is JsonArray a ? string.Join("\n", a.Select(x => x?.GetValue<string>())) : "";
                        body.Append("<pre class=\"output error\">").Append(WebUtility.HtmlEncode($"{o["ename"]}: {o["evalue"]}\n{tb}")).Append("</pre>\n");
                        break;
                }
            }
            body.Append("</section>\n");
        }
        return (body.ToString(), charts);
    }

    /// <summary>The number of Plotly figures among the outputs of <paramref name="nb"/>.</summary>
    public static int CountCharts(Notebook nb)
    {
        ArgumentNullException.ThrowIfNull(nb);
        return nb.Cells.Where(c => c.Type == "code").Sum(c => (c.Json["outputs"] as JsonArray ?? []).OfType<JsonObject>().Count(o => o["data"]?[PlotlyMime] is not null));
    }

    /// <summary>True when some code cell of <paramref name="nb"/> has an output (the notebook was executed).</summary>
    public static bool HasOutputs(Notebook nb)
    {
        ArgumentNullException.ThrowIfNull(nb);
        return nb.Cells.Any(c => c.Type == "code" && c.Json["outputs"] is JsonArray { Count: > 0 });
    }

    /// <summary>
    /// Number, title and question of a chapter from its first markdown cell: the first heading ("# 02 · Votes to seats": number
    /// 02, title "Votes to seats"; without "·" the number is the file name's leading digits) and the paragraph beginning
    /// <c>**Question</c> (its bold label removed). Without a heading the title is the file name.
    /// </summary>
    public static ChapterInfo Describe(Notebook nb, string fileName)
    {
        ArgumentNullException.ThrowIfNull(nb);
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var digits = new string(stem.TakeWhile(char.IsAsciiDigit).ToArray());
        var first = nb.Cells.FirstOrDefault(c => c.Type == "markdown")?.Source.Replace("\r\n", "\n") ?? "";
        var heading = first.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#').Trim();
        string number = digits, title = heading ?? stem;
        if (heading is not null && heading.IndexOf('·') is int dot and > 0)
        {
            number = heading[..dot].Trim();
            title = heading[(dot + 1)..].Trim();
        }
        var paragraph = first.Split("\n\n").Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("**Question", StringComparison.Ordinal));
        string question = "";
        if (paragraph is not null)
        {
            int end = paragraph.IndexOf("**", 2, StringComparison.Ordinal);
            var text = (end > 0 ? paragraph[(end + 2)..] : paragraph).Replace('\n', ' ').Trim();
            var html = Markdig.Markdown.ToHtml(text, Pipeline).Trim();
            if (html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal)) html = html[3..^4];
            question = html;
        }
        return new ChapterInfo(number, title, question);
    }

    /// <summary>
    /// The anchor id of a heading: lower-case letters and digits, other runs as one '-', no leading or trailing '-'
    /// ("02 · Votes to seats" → "02-votes-to-seats"); "section" when nothing is left.
    /// </summary>
    public static string Slug(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder();
        bool dash = false;
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(ch)) { if (dash && sb.Length > 0) sb.Append('-'); sb.Append(char.ToLowerInvariant(ch)); dash = false; }
            else dash = true;
        }
        return sb.Length == 0 ? "section" : sb.ToString();
    }

    /// <summary>A Plotly figure as a container div and a script drawing it with the page's plotly.js; the id derives from the figure.</summary>
    private static string Chart(string figureJson, PageIds ids)
    {
        var id = ids.Reserve("plotly-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(figureJson)))[..16].ToLowerInvariant());
        var safe = figureJson.Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div id=\"{id}\" class=\"plotly-chart\" style=\"width:100%;height:450px\"></div>\n<script>(function(){{var fig={safe};Plotly.newPlot('{id}',fig.data,fig.layout,Object.assign({{responsive:true}},fig.config||{{}}));}})();</script>";
    }

    private static string PlainText(ContainerInline? inline)
    {
        if (inline is null) return "";
        var sb = new StringBuilder();
        foreach (var i in inline.Descendants<Inline>())
            switch (i)
            {
                case LiteralInline l: sb.Append(l.Content.ToString()); break;
                case CodeInline c: sb.Append(c.Content); break;
                case LineBreakInline: sb.Append(' '); break;
            }
        return sb.ToString().Trim();
    }
}
