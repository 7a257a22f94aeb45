using Plotly.NET;
using Plotly.NET.CSharp;
using CChart = Plotly.NET.CSharp.Chart;

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
}
