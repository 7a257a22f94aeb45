using System.Net;
using System.Text;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Workbench.Regulation;
using CChart = Plotly.NET.CSharp.Chart;
using FChart = Plotly.NET.Chart;

namespace Workbench.Experiments;

/// <summary>Chart builders (Plotly.NET) for simulation results: seat and vote effects, cost per vote and seat, where spending goes.</summary>
public static class Charts
{
    /// <summary>Mean seat change of <paramref name="party"/> per arm, one group of columns per system.</summary>
    public static GenericChart SeatEffects(SimulationResult result, string party)
    {
        var effects = result.Effects().Where(e => e.Party == party).ToArray();
        var arms = effects.Select(e => e.Arm).Distinct().ToArray();
        return CChart.Combine(effects.GroupBy(e => e.System).Select(g =>
                CChart.Column<double, string, string>(values: arms.Select(a => g.First(e => e.Arm == a).SeatChange.Mean).ToArray(), Keys: arms, Name: g.Key)))
            .WithXAxisStyle<double, double, string>(TitleText: "arm")
            .WithYAxisStyle<double, double, string>(TitleText: $"{party}: mean change in seats");
    }

    /// <summary>Mean change in vote share (points) of <paramref name="party"/> per arm.</summary>
    public static GenericChart ShareEffects(SimulationResult result, string party)
    {
        var effects = result.Effects().Where(e => e.Party == party).GroupBy(e => e.Arm).Select(g => g.First()).ToArray();
        return CChart.Column<double, string, string>(values: effects.Select(e => e.ShareChangePoints.Mean).ToArray(), Keys: effects.Select(e => e.Arm).ToArray(), Name: "vote share change (points)")
            .WithYAxisStyle<double, double, string>(TitleText: $"{party}: change in vote share (points)");
    }

    /// <summary>Cost per extra seat of <paramref name="party"/> per arm and system (arms without a seat gain are left out).</summary>
    public static GenericChart CostPerSeat(SimulationResult result, string party) =>
        CChart.Combine(result.Effects().Where(e => e.Party == party && e.CostPerSeat is not null).GroupBy(e => e.System).Select(g =>
                CChart.Column<double, string, string>(values: g.Select(e => e.CostPerSeat!.Value).ToArray(), Keys: g.Select(e => e.Arm).ToArray(), Name: g.Key)))
            .WithYAxisStyle<double, double, string>(TitleText: $"{party}: spend per extra seat");

    /// <summary>Spend per constituency against the constituency's expected winning margin, for each arm (first replicate).</summary>
    public static GenericChart SpendByMargin(SimulationResult result, string party)
    {
        var rows = result.Spend.Where(s => s.Party == party && s.Replicate == 0).ToArray();
        return CChart.Combine(rows.Select(s =>
                CChart.Point<double, double, string>(x: s.Margins.Select(m => 100 * m).ToArray(), y: s.ByConstituency, Name: s.Arm)))
            .WithXAxisStyle<double, double, string>(TitleText: "expected winning margin (points)")
            .WithYAxisStyle<double, double, string>(TitleText: $"{party}: spend in the constituency");
    }

    /// <summary>Turnout before and after an arm's campaigns by a party's classical segments (from <see cref="ReplicateRun.Suppression"/>): the effects by segment.</summary>
    public static GenericChart TurnoutBySegment(Workbench.Suppression.SuppressionReport report) =>
        CChart.Combine(new[]
        {
            CChart.Column<double, string, string>(values: report.Segments.Select(s => s.BaselineTurnout).ToArray(), Keys: report.Segments.Select(s => s.Segment).ToArray(), Name: "baseline"),
            CChart.Column<double, string, string>(values: report.Segments.Select(s => s.ArmTurnout).ToArray(), Keys: report.Segments.Select(s => s.Segment).ToArray(), Name: "with the campaigns"),
        }).WithXAxisStyle<double, double, string>(TitleText: $"{report.Victim}'s segments").WithYAxisStyle<double, double, string>(TitleText: "turnout");

    /// <summary>
    /// Sobol' indices of one metric (docs/sensitivity.md): per parameter a bar for the first-order index S1 and one for the
    /// total index ST, each with its bootstrap interval as an error bar. ST well above S1 means interactions; ST near 0 means
    /// the parameter can be fixed anywhere in its range. Undefined indices are drawn as 0.
    /// </summary>
    public static GenericChart SobolIndices(SensitivityResult result, string metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.Sobol.Where(s => s.Metric == metric).ToArray();
        if (rows.Length == 0) throw new ArgumentException($"No Sobol' indices for the metric '{metric}'; metrics: {string.Join(", ", result.Metrics)}.", nameof(metric));
        var names = rows.Select(r => r.Parameter).ToArray();
        GenericChart Bars(string name, Func<SobolIndex, (double Est, double Low, double High)> f)
        {
            var v = rows.Select(f).Select(x => (Est: Finite(x.Est), Low: Finite(x.Low), High: Finite(x.High))).ToArray();
            var bars = CChart.Column<double, string, string>(values: v.Select(x => x.Est).ToArray(), Keys: names, Name: name);
            // Plotly.NET's F# style function: visible, type, symmetric, array (+), arrayminus (−); the rest left to plotly.js.
            return FChart.withYErrorStyle<double, double>(new FSharpOption<bool>(true), new FSharpOption<StyleParam.ErrorType>(StyleParam.ErrorType.Data), new FSharpOption<bool>(false),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.High - x.Est)).ToArray()),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.Est - x.Low)).ToArray()),
                null, null, null, null, null, null, null, null).Invoke(bars);
        }
        return CChart.Combine([Bars("first order S1", r => (r.S1, r.S1Low, r.S1High)), Bars("total ST", r => (r.ST, r.STLow, r.STHigh))])
            .WithXAxisStyle<double, double, string>(TitleText: "parameter")
            .WithYAxisStyle<double, double, string>(TitleText: $"{metric}: Sobol' index ({result.Confidence:P0} bootstrap interval)");
    }

    /// <summary>
    /// Regulation cards against their reference under one system: per campaign, the mean seat difference (card minus
    /// reference, paired by replicate) as a column with its 95% interval as an error bar (<see cref="RegulationLab.Contrasts"/>);
    /// with <paramref name="share"/>, the vote share difference in points instead.
    /// </summary>
    public static GenericChart RegulationContrasts(IReadOnlyList<RegulationContrast> contrasts, string system, bool share = false)
    {
        ArgumentNullException.ThrowIfNull(contrasts);
        var rows = contrasts.Where(c => c.System == system).ToArray();
        if (rows.Length == 0) throw new ArgumentException($"No contrasts under the system '{system}'; systems: {string.Join(", ", contrasts.Select(c => c.System).Distinct())}.", nameof(system));
        var cards = rows.Select(c => c.Scenario).Distinct().ToArray();
        GenericChart Bars(IGrouping<string, RegulationContrast> g)
        {
            var v = cards.Select(card => g.FirstOrDefault(c => c.Scenario == card) is { } c ? (share ? c.ShareDifferencePoints : c.SeatDifference) : new Estimate(0, 0, 0)).ToArray();
            var bars = CChart.Column<double, string, string>(values: v.Select(x => x.Mean).ToArray(), Keys: cards, Name: g.Key);
            return FChart.withYErrorStyle<double, double>(new FSharpOption<bool>(true), new FSharpOption<StyleParam.ErrorType>(StyleParam.ErrorType.Data), new FSharpOption<bool>(false),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.High - x.Mean)).ToArray()),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.Mean - x.Low)).ToArray()),
                null, null, null, null, null, null, null, null).Invoke(bars);
        }
        return CChart.Combine(rows.GroupBy(c => c.Party).OrderBy(g => g.Key, StringComparer.Ordinal).Select(Bars))
            .WithXAxisStyle<double, double, string>(TitleText: "card")
            .WithYAxisStyle<double, double, string>(TitleText: $"{system}: {(share ? "vote share (points)" : "seats")}, card minus {rows[0].Against} (95% interval)");
    }

    /// <summary>
    /// Paired seat contrasts (<see cref="SimulationResult.Contrasts"/>: one arm minus another, by replicate), one column per
    /// labelled comparison and system, with the 95% interval as an error bar.
    /// </summary>
    public static GenericChart SeatContrasts(IReadOnlyList<(string Label, Contrast Contrast)> contrasts)
    {
        ArgumentNullException.ThrowIfNull(contrasts);
        if (contrasts.Count == 0) throw new ArgumentException("No contrasts to draw.", nameof(contrasts));
        var labels = contrasts.Select(c => c.Label).Distinct().ToArray();
        GenericChart Bars(IGrouping<string, (string Label, Contrast Contrast)> g)
        {
            var v = labels.Select(l => g.FirstOrDefault(c => c.Label == l).Contrast?.SeatDifference ?? new Estimate(0, 0, 0)).ToArray();
            var bars = CChart.Column<double, string, string>(values: v.Select(x => x.Mean).ToArray(), Keys: labels, Name: g.Key);
            return FChart.withYErrorStyle<double, double>(new FSharpOption<bool>(true), new FSharpOption<StyleParam.ErrorType>(StyleParam.ErrorType.Data), new FSharpOption<bool>(false),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.High - x.Mean)).ToArray()),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.Mean - x.Low)).ToArray()),
                null, null, null, null, null, null, null, null).Invoke(bars);
        }
        return CChart.Combine(contrasts.GroupBy(c => c.Contrast.System).Select(Bars))
            .WithXAxisStyle<double, double, string>(TitleText: "comparison")
            .WithYAxisStyle<double, double, string>(TitleText: "seats, difference (95% interval over replicates)");
    }

    /// <summary>
    /// Message targeting (<see cref="Workbench.Campaigns.MessageTargeting.Compare(Workbench.Campaigns.MessageSpace, IReadOnlyList{string}, long, int, int?, int, int, int?)"/>):
    /// per rule, the premium over the single message (percent) of what the pretest picked and of the oracle for the same cells,
    /// each with its 95% interval over replicates as an error bar.
    /// </summary>
    public static GenericChart TargetingPremiums(Workbench.Campaigns.TargetingComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var rules = comparison.Rules.Where(r => r.Attributes.Count > 0 && !r.Name.StartsWith("oracle", StringComparison.Ordinal)).ToArray();
        var keys = rules.Select(r => r.Name).ToArray();
        GenericChart Bars(string name, Workbench.Statistics.MeanInterval[] v)
        {
            var bars = CChart.Column<double, string, string>(values: v.Select(x => x.Mean).ToArray(), Keys: keys, Name: name);
            return FChart.withYErrorStyle<double, double>(new FSharpOption<bool>(true), new FSharpOption<StyleParam.ErrorType>(StyleParam.ErrorType.Data), new FSharpOption<bool>(false),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.High - x.Mean)).ToArray()),
                new FSharpOption<IEnumerable<double>>(v.Select(x => Math.Max(0, x.Mean - x.Low)).ToArray()),
                null, null, null, null, null, null, null, null).Invoke(bars);
        }
        var single = comparison.Single.Tested;
        var oracle = rules.Select(r => Workbench.Statistics.Intervals.Mean95(r.Oracle.Select((o, i) => 100 * (o / single[i] - 1)))).ToArray();
        return CChart.Combine([Bars("picked by the pretest", rules.Select(r => r.PremiumMean).ToArray()), Bars("oracle for the same cells", oracle)])
            .WithXAxisStyle<double, double, string>(TitleText: "targeted on")
            .WithYAxisStyle<double, double, string>(TitleText: "premium over the single message, % (95% interval)");
    }

    /// <summary>
    /// Morris screening of one metric as a tornado: one horizontal bar of μ* per parameter, the most influential on top,
    /// beside a bar of σ (non-linearity and interactions).
    /// </summary>
    public static GenericChart MorrisScreening(SensitivityResult result, string metric)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.Morris.Where(s => s.Metric == metric).OrderBy(r => Finite(r.MuStar)).ToArray();
        if (rows.Length == 0) throw new ArgumentException($"No Morris statistics for the metric '{metric}'; metrics: {string.Join(", ", result.Metrics)}.", nameof(metric));
        var names = rows.Select(r => r.Parameter).ToArray();
        return CChart.Combine(
            [
                CChart.Bar<double, string, string>(values: rows.Select(r => Finite(r.MuStar)).ToArray(), Keys: names, Name: "μ* (mean |elementary effect|)"),
                CChart.Bar<double, string, string>(values: rows.Select(r => Finite(r.Sigma)).ToArray(), Keys: names, Name: "σ (spread of the effects)"),
            ])
            .WithXAxisStyle<double, double, string>(TitleText: $"{metric}: effect of moving the parameter across its whole range")
            .WithYAxisStyle<double, double, string>(TitleText: "parameter");
    }

    /// <summary>A self-contained HTML page of charts (plotly.js inlined: it opens offline), one after another under a title.</summary>
    public static string Page(string title, IEnumerable<(string Heading, GenericChart Chart)> charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n");
        sb.Append("<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;color:#222}.chart{width:100%;height:460px}</style>\n");
        sb.Append("<script>").Append(LabPage.PlotlyJs().Replace("</script>", "<\\/script>")).Append("</script>\n</head><body>\n");
        sb.Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n");
        int n = 0;
        foreach (var (heading, chart) in charts)
        {
            sb.Append("<h2>").Append(WebUtility.HtmlEncode(heading)).Append("</h2>\n<div id=\"chart").Append(n).Append("\" class=\"chart\"></div>\n");
            sb.Append("<script>(function(){var fig=").Append(GenericChart.toFigureJson(chart).Replace("</", "<\\/")).Append(";Plotly.newPlot('chart").Append(n)
              .Append("',fig.data,fig.layout,{responsive:true});})();</script>\n");
            n++;
        }
        return sb.Append("</body></html>\n").ToString();
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
