using System.Globalization;
using System.Net;
using System.Text;
using Workbench.Tables;

namespace Workbench.Experiments;

/// <summary>One page of a trainer pack: its file name (relative, no folders), its title and its complete HTML.</summary>
public sealed record TrainerPackPage(string FileName, string Title, string Html);

/// <summary>Progress of <see cref="TrainerPack.Build"/>: the step (1-based) whose reference run is starting, of how many.</summary>
public readonly record struct TrainerPackProgress(int Step, int Steps, string Title);

/// <summary>
/// One slot of a facilitator's timing plan: a step's start and end (minutes from the start of the session), split into
/// the planned activity and the slack kept at its end (<see cref="TrainerPack.SlackMinutes"/>).
/// </summary>
public sealed record TimingSlot(int Step, string Title, int Start, int End, int ActivityMinutes, int SlackMinutes);

/// <summary>
/// A trainer pack for a workshop card: self-contained offline HTML pages (one inline style sheet, charts as inline SVG,
/// no script and no network address) built from one reference run of each step's scenario. The pages are
/// <c>index.html</c> (links to the rest), a printable handout per step (<c>step-NN.html</c>: questions, what to look at,
/// the chart of the step's run and a blank table of the step's figures to fill in), <c>expected-results.html</c> (every
/// declared figure of every step with its 95% interval over replicates and the command that reproduces it),
/// <c>answers.html</c> (sentences generated from the reference figures for each discussion question) and
/// <c>timing.html</c> (start, end, cumulative time and slack of each step). Same card, same bytes.
/// </summary>
public sealed class TrainerPack
{
    private TrainerPack(string title, IReadOnlyList<TrainerPackPage> pages, IReadOnlyList<SimulationResult?> runs)
    {
        Title = title; Pages = pages; ReferenceRuns = runs;
    }

    /// <summary>The card's title.</summary>
    public string Title { get; }

    /// <summary>The pages, index first, then the handouts in step order, the expected results, the answers and the timing plan.</summary>
    public IReadOnlyList<TrainerPackPage> Pages { get; }

    /// <summary>The reference run of each step (null for a discussion step), in step order.</summary>
    public IReadOnlyList<SimulationResult?> ReferenceRuns { get; }

    /// <summary>
    /// The slack the timing plan keeps at the end of a step of <paramref name="minutes"/> minutes: a fifth of the step,
    /// rounded down to whole minutes (none for steps under five minutes). The step's minutes on the card include it.
    /// </summary>
    public static int SlackMinutes(int minutes) => minutes / 5;

    /// <summary>The timing plan of a card: consecutive slots from 0 to the card's minutes, each with its slack.</summary>
    public static IReadOnlyList<TimingSlot> Timing(WorkshopCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var slots = new List<TimingSlot>();
        int at = 0;
        for (int i = 0; i < card.Steps.Count; i++)
        {
            var s = card.Steps[i];
            int slack = SlackMinutes(s.Minutes);
            slots.Add(new TimingSlot(i + 1, s.Title, at, at + s.Minutes, s.Minutes - slack, slack));
            at += s.Minutes;
        }
        return slots;
    }

    /// <summary>
    /// Runs each step's scenario once (the reference run, with the replicates and seed the card gives) and builds the pages.
    /// <paramref name="cardPath"/> is the path the pages print in the commands that reproduce a step (as typed; backslashes
    /// become slashes so the pages are the same on every system).
    /// </summary>
    public static TrainerPack Build(WorkshopCard card, string cardPath, IProgress<TrainerPackProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentException.ThrowIfNullOrWhiteSpace(cardPath);
        cardPath = cardPath.Replace('\\', '/');
        var runs = new SimulationResult?[card.Steps.Count];
        for (int i = 0; i < card.Steps.Count; i++)
        {
            if (card.Steps[i].Scenario is not Scenario sc) continue;
            progress?.Report(new TrainerPackProgress(i + 1, card.Steps.Count, card.Steps[i].Title));
            runs[i] = Simulation.Run(sc);
        }
        var figures = runs.Select((r, i) => r is null ? [] : card.Steps[i].Figures.Select(f => WorkshopFigures.Compute(f, r)).ToArray()).ToArray();
        var pages = new List<TrainerPackPage> { null! };
        for (int i = 0; i < card.Steps.Count; i++) pages.Add(Handout(card, i, figures[i], ChartFigure(figures, i)));
        pages.Add(Expected(card, cardPath, runs, figures));
        pages.Add(Answers(card, cardPath, figures, runs, runs.Select(Broadcasts).ToArray()));
        pages.Add(TimingPage(card));
        pages[0] = Index(card, cardPath, pages.Skip(1).ToArray());
        return new TrainerPack(card.Title, pages, runs);
    }

    /// <summary>Writes every page to <paramref name="directory"/> (created if missing), each atomically; other files there are left alone.</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var p in Pages) AtomicFile.WriteAllText(Path.Combine(directory, p.FileName), p.Html);
    }

    /// <summary>The file name of step <paramref name="step"/>'s handout (1-based).</summary>
    public static string HandoutFile(int step) => $"step-{step.ToString("00", CultureInfo.InvariantCulture)}.html";

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; } h3 { font-size: 1rem; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; } th, td { border: 1px solid #999; padding: 0.25rem 0.6rem; text-align: left; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; } td.blank { min-width: 7rem; height: 1.6rem; }
        code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; background: #f4f4f4; }
        pre { padding: 0.5rem; white-space: pre-wrap; } .muted { color: #555; } .rec { color: #555; font-size: 0.9em; }
        svg text { font-family: system-ui, sans-serif; font-size: 12px; }
        @media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } nav { display: none; } }
        """;

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string Page(string title, string body) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + E(title)
        + "</title>\n<style>\n" + Css + "\n</style>\n</head>\n<body>\n<nav><a href=\"index.html\">Trainer pack</a></nav>\n" + body + "</body>\n</html>\n";

    private static string Command(string cardPath, int step) => $"workbench workshop {cardPath} --step {step}";

    private static TrainerPackPage Index(WorkshopCard card, string cardPath, IReadOnlyList<TrainerPackPage> pages)
    {
        var b = new StringBuilder();
        b.Append("<h1>").Append(E(card.Title)).Append("</h1>\n<p>").Append(card.Minutes).Append(" minutes · preset <code>").Append(E(card.Preset)).Append("</code></p>\n");
        if (card.Audience != "") b.Append("<p><strong>Audience.</strong> ").Append(E(card.Audience)).Append("</p>\n");
        if (card.Goal != "") b.Append("<p><strong>Goal.</strong> ").Append(E(card.Goal)).Append("</p>\n");
        b.Append("<h2>Pages</h2>\n<ul>\n");
        foreach (var p in pages) b.Append("<li><a href=\"").Append(E(p.FileName)).Append("\">").Append(E(p.Title)).Append("</a></li>\n");
        b.Append("</ul>\n<p class=\"muted\">Generated offline from <code>").Append(E(cardPath)).Append("</code> by <code>workbench workshop ")
         .Append(E(cardPath)).Append(" --pack DIR</code>; every figure comes from one reference run of each step, the same on every machine.</p>\n");
        return new TrainerPackPage("index.html", card.Title + " — trainer pack", Page(card.Title + " — trainer pack", b.ToString()));
    }

    /// <summary>
    /// The figure a step's handout charts: the first of its figures whose printed means differ from those of the same figure
    /// in the latest earlier step that ran (a figure that did not move would repeat the earlier chart), else its first figure.
    /// </summary>
    internal static FigureTable? ChartFigure(IReadOnlyList<FigureTable[]> figures, int step)
    {
        if (figures[step].Length == 0) return null;
        int prev = step - 1;
        while (prev >= 0 && figures[prev].Length == 0) prev--;
        if (prev < 0) return figures[step][0];
        static string Means(FigureTable t) => string.Join("|", t.Rows.Select(r => string.Join(",", r.Keys) + "=" + t.Format(r.Value.Mean)));
        foreach (var f in figures[step])
            if (figures[prev].FirstOrDefault(x => x.Figure == f.Figure) is not FigureTable before || Means(before) != Means(f)) return f;
        return figures[step][0];
    }

    private static TrainerPackPage Handout(WorkshopCard card, int i, IReadOnlyList<FigureTable> figures, FigureTable? chart)
    {
        var s = card.Steps[i];
        string title = $"Step {i + 1}: {s.Title}";
        var b = new StringBuilder();
        b.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"muted\">").Append(E(card.Title)).Append(" · ").Append(s.Minutes).Append(" minutes</p>\n<p>")
         .Append(E(s.Activity)).Append("</p>\n");
        if (s.Questions.Count > 0)
        {
            b.Append("<h2>Questions</h2>\n<ol>\n");
            foreach (var q in s.Questions) b.Append("<li>").Append(E(q.Text)).Append(" <span class=\"rec\">(").Append(E(q.Recommendation)).Append(")</span></li>\n");
            b.Append("</ol>\n");
        }
        if (!string.IsNullOrEmpty(s.Look)) b.Append("<h2>What to look at</h2>\n<p>").Append(E(s.Look)).Append("</p>\n");
        if (figures.Count > 0)
        {
            b.Append("<h2>The step's run</h2>\n").Append(Chart(chart ?? figures[0]));
            // Participants fill in only what the step's questions ask about (all the step's figures when its questions name none).
            var asked = s.Questions.SelectMany(q => q.Figures).ToHashSet();
            var fill = asked.Count == 0 ? figures : figures.Where(f => asked.Contains(f.Figure)).ToArray();
            b.Append("<h2>Your figures</h2>\n<p class=\"muted\">Fill in from the facilitator's screen (mean over replicates) the figures this step's questions ask about; the expected results page has the rest.</p>\n");
            foreach (var f in fill) FigureTableHtml(b, f, "<th>your reading</th>", _ => "<td class=\"blank\"></td>");
        }
        else if (s.Scenario is null) b.Append("<p class=\"muted\">A discussion step: it runs no scenario. Bring the figures of the earlier steps.</p>\n");
        b.Append("<h2>Notes</h2>\n<p style=\"height: 8rem; border: 1px solid #ccc;\"></p>\n");
        return new TrainerPackPage(HandoutFile(i + 1), "Handout — " + title, Page(title, b.ToString()));
    }

    /// <summary>
    /// One figure as an HTML table under its title: a column per key, then the columns <paramref name="header"/> names, filled
    /// per row by <paramref name="cells"/> (already HTML-encoded).
    /// </summary>
    private static void FigureTableHtml(StringBuilder b, FigureTable f, string header, Func<FigureRow, string> cells)
    {
        b.Append("<h3>").Append(E(f.Title)).Append("</h3>\n<table>\n<thead><tr>");
        foreach (var k in f.KeyNames) b.Append("<th>").Append(E(k)).Append("</th>");
        b.Append(header).Append("</tr></thead>\n<tbody>\n");
        foreach (var row in f.Rows)
        {
            b.Append("<tr>");
            foreach (var k in row.Keys) b.Append("<td>").Append(E(k)).Append("</td>");
            b.Append(cells(row)).Append("</tr>\n");
        }
        b.Append("</tbody>\n</table>\n");
    }

    /// <summary>A horizontal bar chart of one figure (mean, with its 95% interval as a whisker), as inline SVG.</summary>
    private static string Chart(FigureTable f)
    {
        var ci = CultureInfo.InvariantCulture;
        var rows = f.Rows.Where(r => !double.IsNaN(r.Value.Mean)).ToArray();
        if (rows.Length == 0) return "<p class=\"muted\">No value to chart.</p>\n";
        double Low(FigureRow r) => f.Displayed(r).Low;
        double High(FigureRow r) => f.Displayed(r).High;
        const int width = 720, labelWidth = 260, valueWidth = 80, rowHeight = 22, top = 28;
        double lo = Math.Min(0, rows.Min(r => r.HasInterval ? Low(r) : r.Value.Mean));
        double hi = Math.Max(0, rows.Max(r => r.HasInterval ? High(r) : r.Value.Mean));
        if (hi == lo) hi = lo + 1;
        double plot = width - labelWidth - valueWidth;
        string X(double v) => (labelWidth + (v - lo) / (hi - lo) * plot).ToString("F1", ci);
        int height = top + rows.Length * rowHeight + 10;
        var b = new StringBuilder();
        b.Append("<svg width=\"").Append(width).Append("\" height=\"").Append(height).Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height)
         .Append("\" role=\"img\" aria-label=\"").Append(E(f.Title)).Append("\">\n<text x=\"0\" y=\"16\" font-weight=\"bold\">").Append(E(f.Title)).Append("</text>\n");
        b.Append("<line x1=\"").Append(X(0)).Append("\" y1=\"").Append(top - 4).Append("\" x2=\"").Append(X(0)).Append("\" y2=\"").Append(height - 6).Append("\" stroke=\"#333\"/>\n");
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            int y = top + i * rowHeight;
            double a = Math.Min(0, r.Value.Mean), z = Math.Max(0, r.Value.Mean);
            b.Append("<text x=\"").Append(labelWidth - 6).Append("\" y=\"").Append(y + 14).Append("\" text-anchor=\"end\">").Append(E(string.Join(" · ", r.Keys))).Append("</text>\n");
            b.Append("<rect x=\"").Append(X(a)).Append("\" y=\"").Append(y + 3).Append("\" width=\"").Append((double.Parse(X(z), ci) - double.Parse(X(a), ci)).ToString("F1", ci))
             .Append("\" height=\"").Append(rowHeight - 8).Append("\" fill=\"#4c78a8\"/>\n");
            if (r.HasInterval && r.Value.Low != r.Value.High)
                b.Append("<line x1=\"").Append(X(Low(r))).Append("\" y1=\"").Append(y + 11).Append("\" x2=\"").Append(X(High(r))).Append("\" y2=\"").Append(y + 11).Append("\" stroke=\"#000\"/>\n");
            b.Append("<text x=\"").Append(width - valueWidth + 6).Append("\" y=\"").Append(y + 14).Append("\">").Append(E(f.Format(r.Value.Mean))).Append("</text>\n");
        }
        b.Append("</svg>\n");
        if (rows.Any(r => r.HasInterval && r.Value.Low != r.Value.High))
            b.Append("<p class=\"muted\">Bars: mean over ").Append(f.Replicates).Append(" replicates; lines: 95% interval")
             .Append(rows.Any(r => r.HasInterval && f.Displayed(r).Clipped) ? " (" + FigureTable.ClippedNote + ")" : "").Append(".</p>\n");
        return b.ToString();
    }

    private static TrainerPackPage Expected(WorkshopCard card, string cardPath, IReadOnlyList<SimulationResult?> runs, IReadOnlyList<FigureTable[]> figures)
    {
        const string title = "Expected results (reference run)";
        var b = new StringBuilder();
        b.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"muted\">").Append(E(card.Title))
         .Append(". Means over replicates with 95% Student-t intervals; an interval is shown where its bounds differ at the precision printed. Each step's command prints the same figures.</p>\n");
        for (int i = 0; i < card.Steps.Count; i++)
        {
            var s = card.Steps[i];
            b.Append("<h2>Step ").Append(i + 1).Append(": ").Append(E(s.Title)).Append("</h2>\n");
            if (runs[i] is not SimulationResult r) { b.Append("<p class=\"muted\">A discussion step: no run.</p>\n"); continue; }
            b.Append("<p>Reproduce: <code>").Append(E(Command(cardPath, i + 1))).Append("</code></p>\n<p>Run: <code>").Append(E(s.RunJson ?? "")).Append("</code> — scenario <code>")
             .Append(E(r.Scenario.Name)).Append("</code>, ").Append(r.ReplicateSeeds.Count).Append(" replicates, seed ").Append(r.Scenario.Seed.ToString(CultureInfo.InvariantCulture)).Append(".</p>\n");
            foreach (var f in figures[i])
                FigureTableHtml(b, f, "<th>mean</th><th>95% interval</th>", row => "<td class=\"num\">" + E(f.Format(row.Value.Mean)) + "</td><td class=\"num\">"
                    + (!row.HasInterval ? "ratio of means" : row.Value.Low == row.Value.High ? "same in every replicate"
                        : f.ShowsInterval(row) ? E(f.FormatInterval(row)) : "within the last digit") + "</td>");
        }
        return new TrainerPackPage("expected-results.html", title, Page(title, b.ToString()));
    }

    /// <summary>The (arm, party) campaigns of a run that broadcast (none for a discussion step).</summary>
    private static IReadOnlyCollection<(string Arm, string Party)> Broadcasts(SimulationResult? run) =>
        run is null ? [] : run.Scenario.Arms.SelectMany(a => a.Campaigns.Where(c => c.Strategy == Workbench.Campaigns.Strategy.Broadcast).Select(c => (a.Name, c.Party))).ToHashSet();

    private static TrainerPackPage Answers(WorkshopCard card, string cardPath, IReadOnlyList<FigureTable[]> figures, IReadOnlyList<SimulationResult?> runs,
        IReadOnlyList<IReadOnlyCollection<(string Arm, string Party)>> broadcasts)
    {
        const string title = "Answer sheet for the discussion questions";
        var b = new StringBuilder();
        b.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"muted\">").Append(E(card.Title))
         .Append(". Each answer quotes the reference run of the step that measures the question's figures and says only what those figures show; the policy judgement is the participants'.</p>\n");
        for (int i = 0; i < card.Steps.Count; i++)
        {
            var s = card.Steps[i];
            if (s.Questions.Count == 0) continue;
            b.Append("<h2>Step ").Append(i + 1).Append(": ").Append(E(s.Title)).Append("</h2>\n");
            foreach (var q in s.Questions)
            {
                b.Append("<h3>").Append(E(q.Text)).Append("</h3>\n<p class=\"rec\">Recommendation: ").Append(E(card.Recommendations.TryGetValue(q.Recommendation, out var rt) ? rt : q.Recommendation)).Append("</p>\n");
                var wanted = q.Figures.Count > 0 ? q.Figures : s.Figures;
                bool any = false;
                // A question about "the minimum audience" gets the rule of the run it is answered from, from the card's "set".
                if (q.Text.Contains("minimum audience", StringComparison.OrdinalIgnoreCase) && wanted.Select(n => card.AnswerStep(i, q.Id, n)).FirstOrDefault(k => k >= 0, -1) is int src && src >= 0
                    && card.Steps[src].Scenario?.Regulation?.MinimumAudience is int audience)
                    b.Append("<p>Step ").Append(src + 1).Append("'s minimum audience: ").Append(audience.ToString("N0", CultureInfo.InvariantCulture)).Append(" people on the platform.</p>\n");
                foreach (var name in wanted)
                {
                    int from = card.AnswerStep(i, q.Id, name);
                    if (from < 0) continue;
                    var f = figures[from].First(x => x.Figure == name);
                    b.Append("<p><strong>").Append(E(f.Title)).Append("</strong> (step ").Append(from + 1).Append(", <code>").Append(E(Command(cardPath, from + 1))).Append("</code>)</p>\n<ul>\n");
                    foreach (var sentence in Sentences(f, broadcasts[from], card.Steps[from].Scenario?.Regulation)) b.Append("<li>").Append(E(sentence)).Append("</li>\n");
                    if (q.Against is int against && against - 1 < from && runs[from] is SimulationResult now && runs[against - 1] is SimulationResult then)
                        foreach (var sentence in Paired(name, now, then, against)) b.Append("<li>").Append(E(sentence)).Append("</li>\n");
                    if (name == "violations" && NoViolations(f))
                        b.Append("<li>").Append(E(figures.SelectMany(x => x).Where(x => x.Figure == "violations").All(NoViolations)
                            ? NoViolationsPremise : "This step's run produces no violations, so the question's premise does not hold here.")).Append("</li>\n");
                    b.Append("</ul>\n");
                    any = true;
                }
                if (!any) b.Append("<p class=\"muted\">No step of this card up to here measures this question's figures: the discussion rests on the participants' own experience.</p>\n");
            }
        }
        return new TrainerPackPage("answers.html", title, Page(title, b.ToString()));
    }

    /// <summary>
    /// A figure's value per replicate, by row (arm, party — and system for seat changes), for the figures that pair
    /// replicate by replicate; null for the others.
    /// </summary>
    internal static SortedDictionary<string, double[]>? PerReplicate(string figure, SimulationResult r)
    {
        int n = r.ReplicateSeeds.Count;
        SortedDictionary<string, double[]> By<T>(IEnumerable<T> rows, Func<T, string> key, Func<T, int> rep, Func<T, double> value)
        {
            var d = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
            foreach (var x in rows) { var k = key(x); if (!d.TryGetValue(k, out var v)) d[k] = v = new double[n]; v[rep(x)] += value(x); }
            return d;
        }
        var sponsors = r.Spend.Select(s => (s.Arm, s.Party)).ToHashSet();
        var baseline = r.Rows.Where(x => x.Arm == "baseline").ToDictionary(x => (x.Replicate, x.System, x.Party));
        var arms = r.Rows.Where(x => sponsors.Contains((x.Arm, x.Party)));
        var firstSystem = r.Rows.Count > 0 ? r.Rows[0].System : "";
        return figure switch
        {
            "precision" => By(r.Spend, s => $"the precision of {s.Party}'s campaign in {s.Arm}", s => s.Replicate, s => s.Precision),
            "reached" => By(r.Spend, s => $"the voters {s.Party}'s campaign reached in {s.Arm}", s => s.Replicate, s => s.VotersContacted),
            "spend" => By(r.Spend, s => $"the spend of {s.Party}'s campaign in {s.Arm}", s => s.Replicate, s => s.Spend),
            "seatChange" => By(arms, x => $"{x.Party}'s seat change under {x.System} in {x.Arm}", x => x.Replicate, x => x.Seats - baseline[(x.Replicate, x.System, x.Party)].Seats),
            "shareChange" => By(arms.Where(x => x.System == firstSystem), x => $"{x.Party}'s vote share change in {x.Arm} (points)", x => x.Replicate,
                x => 100 * (x.Share - baseline[(x.Replicate, x.System, x.Party)].Share)),
            _ => null,
        };
    }

    /// <summary>
    /// Sentences for the paired difference of a figure between this step's run and an earlier step's (same seed and
    /// replicates): per row, the mean of the replicate-by-replicate differences with its 95% interval.
    /// </summary>
    internal static IReadOnlyList<string> Paired(string figure, SimulationResult now, SimulationResult then, int against)
    {
        var a = PerReplicate(figure, now);
        var b = PerReplicate(figure, then);
        if (a is null || b is null) return [];
        var list = new List<string>();
        foreach (var (key, va) in a)
        {
            if (!b.TryGetValue(key, out var vb) || va.Length != vb.Length) continue;
            var d = Stats.Interval(va.Zip(vb, (x, y) => x - y));
            var t = new FigureTable(figure, "", [], [new FigureRow([], d, true)], true, va.Length);
            string Fmt(double v) => figure == "precision" ? v.ToString("F3", CultureInfo.InvariantCulture) : t.Format(v);
            string spread = va.Length < 2 ? "" : d.Low == d.High ? $", the same in every one of the {va.Length} replicates" : $" (95% interval {Fmt(d.Low)} to {Fmt(d.High)})";
            string verdict = va.Length < 2 ? "one replicate cannot tell it from no difference."
                : d.Low == d.High ? (d.Mean == 0 ? "no difference in any replicate." : "the same difference in every replicate.")
                : d.Low <= 0 && d.High >= 0 ? "the interval includes zero, so the replicates cannot tell this step from step " + against + "."
                : "the interval excludes zero, so the replicates show a difference from step " + against + ".";
            list.Add($"Against step {against}, replicate by replicate (same seed): {key} differs by {Fmt(d.Mean)} on average{spread}: {verdict}");
        }
        return list;
    }

    /// <summary>The closest quarter's share of spend (%) when money is spread evenly over the seats: a quarter.</summary>
    private const double EvenShare = 100.0 / 4;

    /// <summary>What the answer sheet says when no step of the card produces a violation and a question assumes some.</summary>
    internal const string NoViolationsPremise = "This card's runs produce no violations, so the question's premise does not hold here.";

    private static bool NoViolations(FigureTable f) => f.Rows.All(r => r.Value.Mean == 0);

    /// <summary>What one figure of a reference run shows, one sentence per row (per arm for violations), quoting its values.</summary>
    /// <remarks>
    /// <paramref name="broadcasts"/> names the (arm, party) campaigns of the run that broadcast: they aim at no voter in
    /// particular, so their precision is the level a campaign gets without targeting, and the precision sentences of the
    /// targeted campaigns quote it from the same run.
    /// </remarks>
    internal static IReadOnlyList<string> Sentences(FigureTable f, IReadOnlyCollection<(string Arm, string Party)>? broadcasts = null, Workbench.Regulation.RegulationSpec? rules = null)
    {
        var list = new List<string>();
        broadcasts ??= [];
        string Spread(FigureRow r)
        {
            if (!r.HasInterval || f.Replicates < 2) return "";
            if (r.Value.Low == r.Value.High) return $", the same in every one of the {f.Replicates} replicates";
            if (!f.ShowsInterval(r)) return $" (its 95% interval over {f.Replicates} replicates is narrower than the last digit shown)";
            var (low, high, clipped) = f.Displayed(r);
            return $" (95% interval {f.Format(low)} to {f.Format(high)} over {f.Replicates} replicates{(clipped ? ", " + FigureTable.ClippedNote : "")})";
        }
        string Verdict(FigureRow r)
        {
            if (f.Replicates < 2) return "one replicate cannot tell it from no effect.";
            if (r.Value.Low == r.Value.High) return r.Value.Mean == 0 ? "no change in any replicate." : "the same change in every replicate.";
            return r.Value.Low <= 0 && r.Value.High >= 0 ? "the interval includes zero, so the replicates cannot tell it from no effect."
                : "the interval excludes zero, so the replicates show a change.";
        }
        if (f.Figure == "violations")
        {
            foreach (var g in f.Rows.GroupBy(r => r.Keys[0]))
            {
                var by = g.ToDictionary(r => r.Keys[1]);
                if (g.All(r => r.Value.Mean == 0)) { list.Add($"In {g.Key}, no violation occurred in any replicate."); continue; }
                string sanctions = rules is not null && rules.Fine == 0 && !rules.TakeDown ? " (this step sets no fine and no take-down)" : "";
                list.Add($"In {g.Key}: {f.Format(by["violations"].Value.Mean)} violations per replicate on average{Spread(by["violations"])}; {f.Format(by["detected"].Value.Mean)} detected{Spread(by["detected"])}, "
                    + $"{f.Format(by["taken down"].Value.Mean)} taken down, fines of {f.Format(by["fines"].Value.Mean)} per replicate{sanctions}.");
            }
            return list;
        }
        // A quarter of the seats gets a quarter of the money when it is spread evenly: the closest quarter's share is read against that.
        string EvenQuarter(FigureRow r)
        {
            if (!r.HasInterval || f.Replicates < 2) return ".";
            var (low, high, _) = f.Displayed(r);
            return low <= EvenShare && high >= EvenShare
                ? $": the interval includes {EvenShare:0}%, so the replicates cannot tell it from spreading the money evenly over the seats ({EvenShare:0}% in each quarter)."
                : $": the interval excludes {EvenShare:0}%, so the replicates show the money was {(low > EvenShare ? "concentrated in" : "kept away from")} the close seats.";
        }
        string Precision(FigureRow r)
        {
            const string meaning = "that share of the voters it contacted were, judged with their true preferences, likely supporters of its party or persuadable voters";
            bool isBroadcast = broadcasts.Contains((r.Keys[0], r.Keys[1]));
            if (isBroadcast)
                return $"In {r.Keys[0]}, {r.Keys[1]}'s campaign broadcast, aiming at no voter in particular, and had a precision of {f.Format(r.Value.Mean)}{Spread(r)}: {meaning}. "
                    + "This is the level a campaign gets without targeting in this run.";
            var chance = f.Rows.Where(x => broadcasts.Contains((x.Keys[0], x.Keys[1]))).ToArray();
            string against = chance.Length == 0 ? ""
                : " Without targeting, " + string.Join(" and ", chance.Select(x => $"{x.Keys[1]}'s broadcast in {x.Keys[0]} reached {f.Format(x.Value.Mean)}")) + " in the same run.";
            return $"In {r.Keys[0]}, {r.Keys[1]}'s campaign had a precision of {f.Format(r.Value.Mean)}{Spread(r)}: {meaning}.{against}";
        }
        foreach (var r in f.Rows)
        {
            string v = f.Format(r.Value.Mean), k0 = r.Keys[0];
            list.Add(f.Figure switch
            {
                "seats" => $"Under {k0}, {r.Keys[1]} won {v} seats on average in the baseline{Spread(r)}.",
                "share" => $"{k0} had {v}% of the vote in the baseline{Spread(r)}.",
                "gallagher" => $"Under {k0}, the baseline's Gallagher index was {v}{Spread(r)}.",
                "seatChange" => $"Under {r.Keys[1]}, {k0} changed {r.Keys[2]}'s seats by {v} on average{Spread(r)}: {Verdict(r)}",
                "shareChange" => $"{k0} changed {r.Keys[1]}'s vote share by {v} points on average{Spread(r)}: {Verdict(r)}",
                "spend" => $"In {k0}, {r.Keys[1]}'s campaign spent {v}{Spread(r)}.",
                "costPerVote" => double.IsNaN(r.Value.Mean) ? $"In {k0}, {r.Keys[1]}'s campaign gained no votes on average, so it has no cost per extra vote."
                    : $"In {k0}, {r.Keys[1]}'s campaign paid {v} per extra vote (mean spend over mean extra votes; a ratio of means, it has no interval).",
                "premium" => $"Under {k0}, microtargeting instead of broadcasting the same budget over the same channels changed {WorkshopFigures.PremiumParty}'s {r.Keys[1]} by {v} on average, replicate by replicate{Spread(r)}: {Verdict(r)}",
                "precision" => Precision(r),
                "closestQuarterSpend" => $"In {k0}, {r.Keys[1]}'s campaign put {v}% of its spend in the closest quarter of seats{Spread(r)}{EvenQuarter(r)}",
                "reached" => $"In {k0}, {r.Keys[1]}'s campaign reached {v} voters{Spread(r)}.",
                "informationGini" => $"In {k0}, the information Gini of campaign contacts was {v}{Spread(r)}.",
                _ => throw new ArgumentException($"Unknown figure '{f.Figure}'.", nameof(f)),
            });
        }
        return list;
    }

    private static TrainerPackPage TimingPage(WorkshopCard card)
    {
        const string title = "Facilitator timing plan";
        var slots = Timing(card);
        var b = new StringBuilder();
        b.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"muted\">").Append(E(card.Title)).Append(" · ").Append(card.Minutes)
         .Append(" minutes. Each step's minutes on the card include a slack of a fifth of the step, rounded down to whole minutes, so a step shorter than five minutes has none.</p>\n");
        b.Append("<table>\n<thead><tr><th>step</th><th>title</th><th>start</th><th>activity until</th><th>end</th><th>activity (min)</th><th>slack (min)</th><th>cumulative (min)</th></tr></thead>\n<tbody>\n");
        foreach (var t in slots)
            b.Append("<tr><td class=\"num\">").Append(t.Step).Append("</td><td><a href=\"").Append(HandoutFile(t.Step)).Append("\">").Append(E(t.Title)).Append("</a></td><td class=\"num\">")
             .Append(Clock(t.Start)).Append("</td><td class=\"num\">").Append(Clock(t.Start + t.ActivityMinutes)).Append("</td><td class=\"num\">").Append(Clock(t.End))
             .Append("</td><td class=\"num\">").Append(t.ActivityMinutes).Append("</td><td class=\"num\">").Append(t.SlackMinutes).Append("</td><td class=\"num\">").Append(t.End).Append("</td></tr>\n");
        b.Append("<tr><th></th><th>total</th><th></th><th></th><th class=\"num\">").Append(Clock(slots.Count == 0 ? 0 : slots[^1].End)).Append("</th><th class=\"num\">")
         .Append(slots.Sum(t => t.ActivityMinutes)).Append("</th><th class=\"num\">").Append(slots.Sum(t => t.SlackMinutes)).Append("</th><th class=\"num\">").Append(slots.Sum(t => t.ActivityMinutes + t.SlackMinutes)).Append("</th></tr>\n");
        b.Append("</tbody>\n</table>\n<p>Times are minutes from the start (h:mm). The card lasts ").Append(card.Minutes).Append(" minutes; its steps add up to ")
         .Append(slots.Sum(t => t.End - t.Start)).Append(", of which ").Append(slots.Sum(t => t.SlackMinutes)).Append(" are slack.</p>\n");
        // Slack left at the end of each step cannot be carried over; pooled, it is one buffer that any late step can draw on.
        if (slots.Count > 1)
        {
            b.Append("<h2>Running plan: slack pooled before the close</h2>\n<p>Run the steps back to back on their activity time; the slack of every step before the close (")
             .Append(slots.Take(slots.Count - 1).Sum(t => t.SlackMinutes)).Append(" minutes) is one buffer kept before the close, so a step that runs late borrows from it and the close still starts on time.</p>\n")
             .Append("<table>\n<thead><tr><th>step</th><th>title</th><th>start</th><th>end</th><th>minutes</th></tr></thead>\n<tbody>\n");
            int at = 0;
            void Row(string step, string title, int minutes) { b.Append("<tr><td class=\"num\">").Append(step).Append("</td><td>").Append(E(title)).Append("</td><td class=\"num\">").Append(Clock(at)).Append("</td><td class=\"num\">").Append(Clock(at + minutes)).Append("</td><td class=\"num\">").Append(minutes).Append("</td></tr>\n"); at += minutes; }
            foreach (var t in slots.Take(slots.Count - 1)) Row(t.Step.ToString(CultureInfo.InvariantCulture), t.Title, t.ActivityMinutes);
            Row("", "buffer (the steps' pooled slack)", slots.Take(slots.Count - 1).Sum(t => t.SlackMinutes));
            var last = slots[^1];
            Row(last.Step.ToString(CultureInfo.InvariantCulture), last.Title, last.ActivityMinutes + last.SlackMinutes);
            b.Append("</tbody>\n</table>\n");
        }
        return new TrainerPackPage("timing.html", title, Page(title, b.ToString()));
    }

    private static string Clock(int minutes) => $"{minutes / 60}:{(minutes % 60).ToString("00", CultureInfo.InvariantCulture)}";
}
