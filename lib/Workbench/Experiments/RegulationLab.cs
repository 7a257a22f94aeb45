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
/// <param name="Fines">Fines imposed on the campaign for detected violations (mean over replicates).</param>
/// <param name="TakenDown">Violations whose ads were taken down (count over replicates).</param>
public sealed record RegulationOutcome(string Scenario, string Arm, string System, string Party, double Precision, double ShareChangePoints, double SeatChange,
    double Gallagher, double InformationGini, double Spend, double? CostPerVote, double? CostPerSeat, int Violations, int Detected, double TurnoutChangePoints,
    double Fines = 0, int TakenDown = 0);

/// <summary>
/// One regulation card against a reference card (usually no regulation) for one campaign under one system, paired by replicate:
/// the scenarios share electorates, seeds and election-day draws (common random numbers), so each replicate's difference is
/// the rules' alone, and the interval is over replicates (mean and 95% Student t).
/// </summary>
/// <param name="Scenario">The card.</param><param name="Against">The reference card.</param><param name="Arm">Arm.</param>
/// <param name="System">Electoral system.</param><param name="Party">The campaign's party.</param>
/// <param name="SeatDifference">The party's seats under the card minus under the reference.</param>
/// <param name="ShareDifferencePoints">Its vote share difference (points).</param>
/// <param name="TurnoutDifferencePoints">National turnout difference (points).</param>
/// <param name="Replicates">Replicates paired.</param>
public sealed record RegulationContrast(string Scenario, string Against, string Arm, string System, string Party, Estimate SeatDifference,
    Estimate ShareDifferencePoints, Estimate TurnoutDifferencePoints, int Replicates);

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
                sys.Average(s => s.Gallagher), sys.Average(s => s.InformationGini), ef.Spend, ef.CostPerVote, ef.CostPerSeat, v.Length, v.Count(x => x.Detected), turnout.Average(),
                v.Sum(x => x.Sanction) / sc.Replicates, v.Count(x => x.TakenDown));
        }
    }

    /// <summary>
    /// Every card of <paramref name="results"/> against the card named <paramref name="reference"/>, per arm, system and campaigning
    /// party, paired by replicate. The cards must share voters, seed, replicates and electorate (the shipped regulation cards do)
    /// so that their replicates are the same electorates and draws; otherwise an ArgumentException says which differs.
    /// </summary>
    public static IReadOnlyList<RegulationContrast> Contrasts(IReadOnlyList<SimulationResult> results, string reference)
    {
        ArgumentNullException.ThrowIfNull(results);
        var refResult = results.FirstOrDefault(r => r.Scenario.Name == reference)
            ?? throw new ArgumentException($"No card named '{reference}' among the results ({string.Join(", ", results.Select(r => r.Scenario.Name))}).", nameof(reference));
        // Same electorates and draws show as identical baselines (no campaign) in every replicate, system and party.
        static string Baseline(SimulationResult r) => string.Join(";", r.Rows.Where(x => x.Arm == "baseline").Select(x => $"{x.Replicate},{x.System},{x.Party},{x.Votes},{x.Seats}"));
        string refBaseline = Baseline(refResult);
        var other = refResult.Rows.ToDictionary(x => (x.Arm, x.Replicate, x.System, x.Party));
        var list = new List<RegulationContrast>();
        foreach (var res in results.Where(r => r != refResult))
        {
            var (a, b) = (res.Scenario, refResult.Scenario);
            if (a.Voters != b.Voters || a.Seed != b.Seed || a.Replicates != b.Replicates || Baseline(res) != refBaseline)
                throw new ArgumentException($"Card '{a.Name}' cannot be paired with '{b.Name}': they differ in voters, seed, replicates or electorate (their baselines differ), so their replicates are not the same elections.", nameof(results));
            var campaigning = a.Arms.SelectMany(arm => arm.Campaigns.Select(c => (arm.Name, c.Party))).ToHashSet();
            foreach (var g in res.Rows.Where(x => campaigning.Contains((x.Arm, x.Party))).GroupBy(x => (x.Arm, x.System, x.Party)))
            {
                var d = g.Where(x => other.ContainsKey((x.Arm, x.Replicate, x.System, x.Party))).Select(x => (row: x, b: other[(x.Arm, x.Replicate, x.System, x.Party)])).ToArray();
                if (d.Length == 0) continue;
                // National turnout is the same on every party's row of an arm, replicate and system.
                list.Add(new RegulationContrast(a.Name, b.Name, g.Key.Arm, g.Key.System, g.Key.Party,
                    Stats.Interval(d.Select(x => (double)(x.row.Seats - x.b.Seats))), Stats.Interval(d.Select(x => 100 * (x.row.Share - x.b.Share))),
                    Stats.Interval(d.Select(x => 100 * (x.row.Turnout - x.b.Turnout))), d.Length));
            }
        }
        return list;
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
