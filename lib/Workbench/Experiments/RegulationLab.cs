using System.Globalization;
using System.Text;
using Workbench.Experiments;

using Workbench.Regulation;

namespace Workbench.Experiments;

/// <summary>One row of the regulation lab's comparison: one campaign under one system in one scenario (means over replicates).</summary>
/// <param name="Scenario">Scenario card.</param><param name="Arm">Arm.</param><param name="System">Electoral system.</param><param name="Party">Sponsor.</param>
/// <param name="Precision">Targeting precision (share of contacted voters on target, judged with the truth).</param>
/// <param name="ShareChangePoints">Change in the sponsor's vote share (points).</param><param name="SeatChange">Change in the sponsor's seats.</param>
/// <param name="Gallagher">Gallagher disproportionality of the arm's result.</param><param name="InformationGini">Gini of campaign contacts per voter.</param>
/// <param name="Spend">Spend.</param><param name="CostPerVote">Spend per extra vote.</param><param name="CostPerSeat">Spend per extra seat.</param>
/// <param name="Violations">Violations of the regulation.</param><param name="Detected">Violations detected by oversight.</param>
/// <param name="TurnoutChangePoints">Change in national turnout against the baseline (points): negative when the campaigns demobilise more than they mobilise.</param>
public sealed record RegulationOutcome(string Scenario, string Arm, string System, string Party, double Precision, double ShareChangePoints, double SeatChange,
    double Gallagher, double InformationGini, double Spend, double? CostPerVote, double? CostPerSeat, int Violations, int Detected, double TurnoutChangePoints);

/// <summary>
/// The regulation lab (MODEL.md §10): runs scenarios that differ only in their regulation on identical electorates
/// and seeds (common random numbers) and compares, per campaign and system: targeting precision, vote and seat
/// effects, disproportionality, information inequality, spend, cost per vote and per seat, and violations detected.
/// </summary>
public static class RegulationLab
{
    /// <summary>Runs every scenario and tabulates the outcomes.</summary>
    public static IReadOnlyList<RegulationOutcome> Compare(IEnumerable<Scenario> scenarios, int? threads = null) =>
        scenarios.SelectMany(sc => Tabulate(Simulation.Run(sc, threads))).ToArray();

    /// <summary>The comparison rows of one simulation result.</summary>
    public static IEnumerable<RegulationOutcome> Tabulate(SimulationResult result)
    {
        var sc = result.Scenario;
        foreach (var ef in result.Effects().Where(x => x.Spend > 0))
        {
            var spend = result.Spend.Where(s => s.Arm == ef.Arm && s.Party == ef.Party).ToArray();
            var sys = result.SystemRows.Where(s => s.Arm == ef.Arm && s.System == ef.System).ToArray();
            var v = result.Violations.Where(x => x.Arm == ef.Arm && x.Party == ef.Party).ToArray();
            var turnout = result.Rows.Where(x => x.Arm == ef.Arm && x.System == ef.System && x.Party == ef.Party)
                .Join(result.Rows.Where(x => x.Arm == "baseline" && x.System == ef.System && x.Party == ef.Party), x => x.Replicate, y => y.Replicate, (x, y) => 100 * (x.Turnout - y.Turnout));
            yield return new RegulationOutcome(sc.Name, ef.Arm, ef.System, ef.Party, spend.Average(s => s.Precision), ef.ShareChangePoints.Mean, ef.SeatChange.Mean,
                sys.Average(s => s.Gallagher), sys.Average(s => s.InformationGini), ef.Spend, ef.CostPerVote, ef.CostPerSeat, v.Length, v.Count(x => x.Detected), turnout.Average());
        }
    }

    /// <summary>An HTML table of outcomes (for notebooks and reports).</summary>
    public static string ToHtml(IEnumerable<RegulationOutcome> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("<table><thead><tr><th>scenario</th><th>arm</th><th>system</th><th>party</th><th>precision</th><th>Δ share (pts)</th><th>Δ seats</th><th>Gallagher</th><th>information Gini</th><th>Δ turnout (pts)</th><th>spend</th><th>cost per vote</th><th>violations (detected)</th></tr></thead><tbody>");
        foreach (var r in rows)
            sb.Append("<tr><td>").Append(System.Net.WebUtility.HtmlEncode(r.Scenario)).Append("</td><td>").Append(System.Net.WebUtility.HtmlEncode(r.Arm)).Append("</td><td>")
              .Append(System.Net.WebUtility.HtmlEncode(r.System)).Append("</td><td>").Append(System.Net.WebUtility.HtmlEncode(r.Party)).Append("</td><td>")
              .Append(r.Precision.ToString("F3", ci)).Append("</td><td>").Append(r.ShareChangePoints.ToString("F2", ci)).Append("</td><td>").Append(r.SeatChange.ToString("F1", ci))
              .Append("</td><td>").Append(r.Gallagher.ToString("F2", ci)).Append("</td><td>").Append(r.InformationGini.ToString("F3", ci)).Append("</td><td>")
              .Append(r.TurnoutChangePoints.ToString("F3", ci)).Append("</td><td>").Append(r.Spend.ToString("N0", ci)).Append("</td><td>").Append(r.CostPerVote is double c ? c.ToString("N1", ci) : "—").Append("</td><td>")
              .Append(r.Violations.ToString(ci)).Append(" (").Append(r.Detected.ToString(ci)).Append(")</td></tr>");
        return sb.Append("</tbody></table>").ToString();
    }
}
