using System.Globalization;
using System.Text;
using Workbench.Random;
using Workbench.Suppression;
using Workbench.Tables;

namespace Workbench.Experiments;

/// <summary>The victim's seats lost under one system: baseline minus arm, measured two ways.</summary>
/// <param name="System">Electoral system.</param>
/// <param name="OverReplicates">Mean and 95% interval over the scenario's replicates (each its own campaign and election-day draw).</param>
/// <param name="PerReplicate">Seats lost in each replicate (the rows of <c>Simulation.Run</c>: arm minus baseline on the same draws, negated).</param>
/// <param name="OverDraws">Mean and 95% interval over the election-day draws of the one replicate studied in detail.</param>
/// <param name="PerDraw">Seats lost in each draw (draw 0 is the replicate's own election).</param>
public sealed record SeatsLost(string System, Estimate OverReplicates, IReadOnlyList<double> PerReplicate, Estimate OverDraws, IReadOnlyList<double> PerDraw);

/// <summary>One constituency: the measured probability that the arm changes its winner, beside the analytic heuristic.</summary>
/// <param name="Constituency">Constituency index (0-based).</param>
/// <param name="Margin">Expected winning margin of the seat (winner's minus runner-up's share of the sincere vote).</param>
/// <param name="FlipProbability">Share of draws in which the seat's winner with the arm differs from the baseline's.</param>
/// <param name="Low">Lower end of the 95% Wilson interval of <paramref name="FlipProbability"/>.</param>
/// <param name="High">Upper end of the 95% Wilson interval.</param>
/// <param name="VictimLossProbability">Share of draws in which the victim won the baseline and lost with the arm.</param>
/// <param name="VictimGainProbability">Share of draws in which the victim lost the baseline and won with the arm.</param>
/// <param name="ExpectedVotesLost">The victim's expected votes lost to demobilisation (<see cref="ConstituencyRisk"/>).</param>
/// <param name="Pivotality">Analytic pivotality: density at zero of a normal margin, per vote (<see cref="ConstituencyRisk"/>).</param>
/// <param name="RiskIndex">The heuristic suppression-risk index: expected votes lost × pivotality.</param>
public sealed record SeatFlip(int Constituency, double Margin, double FlipProbability, double Low, double High, double VictimLossProbability,
    double VictimGainProbability, double ExpectedVotesLost, double Pivotality, double RiskIndex);

/// <summary>Turnout of one group of voters: realised change with the arm, with its interval, and the model's expectation.</summary>
/// <param name="Dimension">segment, leaning, age, education, income, minority or urban.</param>
/// <param name="Group">The group.</param>
/// <param name="Voters">Voters in the group.</param>
/// <param name="BaselineTurnout">Realised baseline turnout, mean over draws (0–1).</param>
/// <param name="ChangePoints">Realised turnout with the arm minus without, in points: mean and 95% interval over draws.</param>
/// <param name="ExpectedChangePoints">The model's expected change in points (minus the mean drop in turnout probability).</param>
public sealed record GroupTurnout(string Dimension, string Group, int Voters, double BaselineTurnout, Estimate ChangePoints, double ExpectedChangePoints);

/// <summary>
/// Voter suppression priced as measured (MODEL.md §9; docs/regulation.md): the victim's seats lost with intervals over replicates
/// and over re-drawn election days, each constituency's measured flip probability beside the analytic pivotality, and the
/// realised turnout change of every voter group. <see cref="SuppressionStudy"/> computes it.
/// </summary>
/// <param name="Scenario">Scenario name.</param>
/// <param name="Arm">The arm whose campaigns demobilise.</param>
/// <param name="Victim">The victim party.</param>
/// <param name="Evidence">The scenario's evidence preset.</param>
/// <param name="DemobilisationPerPerson">Turnout change of the other side's leaners per person treated by the scenario's <c>demobilising-ads</c> channel: the evidence preset's (Aggarwal et al. 2023) unless the scenario overrides the channel.</param>
/// <param name="Replicates">Replicates of the scenario.</param>
/// <param name="Replicate">The replicate studied in detail (flips and groups).</param>
/// <param name="Draws">Election-day draws of that replicate.</param>
/// <param name="Seats">Seats lost per system.</param>
/// <param name="Constituencies">Every constituency, highest flip probability first (then pivotality, then index).</param>
/// <param name="Groups">Every group of every dimension, in dimension order.</param>
public sealed record SuppressionSeats(string Scenario, string Arm, string Victim, string Evidence, double DemobilisationPerPerson, int Replicates,
    int Replicate, int Draws, IReadOnlyList<SeatsLost> Seats, IReadOnlyList<SeatFlip> Constituencies, IReadOnlyList<GroupTurnout> Groups)
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The groups whose realised turnout fell most (most negative mean change first), at most <paramref name="count"/>.</summary>
    public IReadOnlyList<GroupTurnout> LosingMost(int count = 8) =>
        Groups.OrderBy(g => g.ChangePoints.Mean).ThenBy(g => g.Dimension, StringComparer.Ordinal).ThenBy(g => g.Group, StringComparer.Ordinal).Take(Math.Max(0, count)).ToArray();

    /// <summary>The seats lost under <paramref name="system"/>; an ArgumentException names the systems otherwise.</summary>
    public SeatsLost SeatsUnder(string system) => Seats.FirstOrDefault(s => s.System == system)
        ?? throw new ArgumentException($"No system named '{system}' (systems: {string.Join(", ", Seats.Select(s => s.System))}).", nameof(system));

    /// <summary>
    /// The whole study as one tidy table (written by <c>workbench suppression --out</c>): one row per measure and unit —
    /// <c>seats_lost</c> per system over replicates and over draws, <c>flip_probability</c> per constituency (with its
    /// pivotality and risk index beside it) and <c>turnout_change_points</c> per group (with the expected change).
    /// Columns that do not apply to a row are empty (text) or NaN (numbers).
    /// </summary>
    public ColumnTable ToTable()
    {
        var rows = new List<(string Measure, string System, string Dimension, string Group, int Constituency, string Over, int N, Estimate E, double Expected, double Margin, double Pivotality, double Risk, double Loss, double Gain)>();
        foreach (var s in Seats)
        {
            rows.Add(("seats_lost", s.System, "", "", -1, "replicates", s.PerReplicate.Count, s.OverReplicates, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
            rows.Add(("seats_lost", s.System, "", "", -1, "draws", s.PerDraw.Count, s.OverDraws, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
        }
        foreach (var c in Constituencies.OrderBy(c => c.Constituency))
            rows.Add(("flip_probability", "plurality", "", "", c.Constituency + 1, "draws", Draws, new Estimate(c.FlipProbability, c.Low, c.High), double.NaN, c.Margin,
                c.Pivotality, c.RiskIndex, c.VictimLossProbability, c.VictimGainProbability));
        foreach (var g in Groups)
            rows.Add(("turnout_change_points", "", g.Dimension, g.Group, -1, "draws", Draws, g.ChangePoints, g.ExpectedChangePoints, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
        TableColumn Col<T>(string name, Func<int, T> f) => new(name, Enumerable.Range(0, rows.Count).Select(f).ToArray());
        return new ColumnTable(
        [
            Col("scenario", _ => Scenario), Col("arm", _ => Arm), Col("victim", _ => Victim), Col("evidence", _ => Evidence), Col("replicate", _ => Replicate),
            Col("measure", i => rows[i].Measure), Col("system", i => rows[i].System), Col("dimension", i => rows[i].Dimension), Col("group", i => rows[i].Group),
            Col("constituency", i => rows[i].Constituency < 0 ? "" : rows[i].Constituency.ToString(Ci)), Col("over", i => rows[i].Over), Col("n", i => rows[i].N),
            Col("mean", i => rows[i].E.Mean), Col("low", i => rows[i].E.Low), Col("high", i => rows[i].E.High), Col("expected", i => rows[i].Expected),
            Col("margin", i => rows[i].Margin), Col("pivotality", i => rows[i].Pivotality), Col("risk_index", i => rows[i].Risk),
            Col("victim_loss_probability", i => rows[i].Loss), Col("victim_gain_probability", i => rows[i].Gain),
        ]);
    }

    /// <summary>
    /// The study as aligned text (what <c>workbench suppression</c> prints): seats lost per system with intervals, the
    /// <paramref name="top"/> seats most likely to flip beside their pivotality, and the <paramref name="groups"/> groups whose
    /// turnout fell most.
    /// </summary>
    public string ToText(int top = 10, int groups = 8)
    {
        var sb = new StringBuilder();
        sb.Append(Ci, $"Suppression: scenario {Scenario}, arm {Arm}, victim {Victim}, evidence {Evidence} (demobilisation {DemobilisationPerPerson.ToString("G4", Ci)} per person treated).\n");
        sb.Append(Ci, $"Seats lost by {Victim} (baseline minus arm on the same election-day draws): mean (95% interval).\n");
        sb.Append(string.Format(Ci, "  {0,-12} {1,-28} {2}\n", "system", $"over {Replicates} replicate(s)", $"over {Draws} draw(s) of replicate {Replicate}"));
        foreach (var s in Seats)
            sb.Append(string.Format(Ci, "  {0,-12} {1,-28} {2}\n", s.System, Interval(s.OverReplicates, "F2"), Interval(s.OverDraws, "F3")));
        int flipping = Constituencies.Count(c => c.FlipProbability > 0);
        sb.Append(Ci, $"\nSeats most likely to flip (replicate {Replicate}, {Draws} draws; {flipping} of {Constituencies.Count} flipped at least once). ");
        sb.Append("Measured flip probability (95% Wilson interval) beside the analytic pivotality and the heuristic risk index (expected votes lost × pivotality).\n");
        sb.Append(string.Format(Ci, "  {0,-12} {1,-12} {2,-24} {3,-14} {4,-14} {5,-12} {6}\n", "constituency", "margin (pts)", "P(flip)", $"P({Victim} loses)", "votes lost", "pivotality", "risk index"));
        foreach (var c in Constituencies.Take(Math.Max(0, top)))
            sb.Append(string.Format(Ci, "  {0,-12} {1,-12} {2,-24} {3,-14} {4,-14} {5,-12} {6}\n", c.Constituency + 1, (100 * c.Margin).ToString("F1", Ci),
                $"{c.FlipProbability.ToString("F3", Ci)} ({c.Low.ToString("F3", Ci)}, {c.High.ToString("F3", Ci)})", c.VictimLossProbability.ToString("F3", Ci),
                c.ExpectedVotesLost.ToString("F3", Ci), c.Pivotality.ToString("G3", Ci), c.RiskIndex.ToString("G3", Ci)));
        sb.Append(Ci, $"\nGroups whose turnout fell most: realised change with the arm minus without, in points, mean (95% interval) over {Draws} draws; the model's expected change beside it.\n");
        sb.Append(string.Format(Ci, "  {0,-10} {1,-22} {2,-9} {3,-10} {4,-28} {5}\n", "dimension", "group", "voters", "baseline", "change (pts)", "expected (pts)"));
        foreach (var g in LosingMost(groups))
            sb.Append(string.Format(Ci, "  {0,-10} {1,-22} {2,-9} {3,-10} {4,-28} {5}\n", g.Dimension, g.Group, g.Voters, g.BaselineTurnout.ToString("F3", Ci),
                Interval(g.ChangePoints, "F3"), g.ExpectedChangePoints.ToString("F3", Ci)));
        return sb.ToString();
    }

    private static string Interval(Estimate e, string f) => e.Low == e.High
        ? e.Mean.ToString(f, Ci)
        : $"{e.Mean.ToString(f, Ci)} ({e.Low.ToString(f, Ci)}, {e.High.ToString(f, Ci)})";
}

/// <summary>
/// Measures what a demobilising arm costs its victim (MODEL.md §9; docs/regulation.md, "Voter suppression"): seats lost over the
/// scenario's replicates (<see cref="Simulation.Run"/>), and, in one replicate, seats lost, each constituency's flip probability
/// and every voter group's realised turnout change over many re-drawn election days (<see cref="SuppressionDrawing"/>), with
/// the analytic pivotality of <see cref="SuppressionRisk"/> beside the flips for comparison.
/// </summary>
public static class SuppressionStudy
{
    /// <summary>Default election-day draws.</summary>
    public const int DefaultDraws = 200;

    /// <summary>Runs <paramref name="scenario"/> and studies arm <paramref name="arm"/> against <paramref name="victim"/> on <paramref name="draws"/> draws of replicate <paramref name="replicate"/>.</summary>
    public static SuppressionSeats Run(Scenario scenario, string arm, string victim, int draws = DefaultDraws, int replicate = 0, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Check(scenario, arm, draws);
        if (replicate < 0 || replicate >= scenario.Replicates) throw new ArgumentOutOfRangeException(nameof(replicate), replicate, $"replicate must be in 0..{scenario.Replicates - 1}.");
        var result = Simulation.Run(scenario, threads);
        return Measure(result, Simulation.Detail(scenario, replicate, threads), arm, victim, draws, threads);
    }

    /// <summary>
    /// As <see cref="Run"/>, reusing a simulation <paramref name="result"/> and one of its replicates in detail <paramref name="run"/>
    /// (both of the same scenario, e.g. from a notebook that already has them).
    /// </summary>
    public static SuppressionSeats Measure(SimulationResult result, ReplicateRun run, string arm, string victim, int draws = DefaultDraws, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(result); ArgumentNullException.ThrowIfNull(run); ArgumentNullException.ThrowIfNull(victim);
        var sc = result.Scenario;
        Check(sc, arm, draws);
        if (run.Scenario.Name != sc.Name || run.Scenario.Seed != sc.Seed || run.Scenario.Voters != sc.Voters || run.Replicate >= result.ReplicateSeeds.Count
            || result.ReplicateSeeds[run.Replicate] != run.SeedColumn || run.Scenario.Hash != sc.Hash || run.Scenario.Evidence != sc.Evidence)
            throw new ArgumentException($"The replicate run is not a replicate of the simulated scenario '{sc.Name}' (seed {sc.Seed}, {sc.Voters:N0} voters, evidence {sc.Evidence.Name}).", nameof(run));
        var model = run.Model;
        int v = model.Electorate.PartyNames.ToList().IndexOf(victim);
        if (v < 0) throw new ArgumentException($"'{victim}' is not a party of the electorate ({string.Join(", ", model.Electorate.PartyNames)}).", nameof(victim));
        int T = DeterministicParallel.ResolveThreads(threads);

        var armRun = run.Arm(run.ArmIndex(arm));
        var seeds = Enumerable.Range(0, draws).Select(run.DrawSeed).ToArray();
        var measured = SuppressionDrawing.Measure(model, armRun.TurnoutShift.Raw(), armRun.UtilityShift.Raw(), seeds, sc.Systems, victim, T);

        // The analytic heuristic on draw 0 (the replicate's own election), exactly what ReplicateRun.Suppression reports.
        int n = model.Electorate.VoterCount;
        var votedBase = new bool[n]; var votedArm = new bool[n];
        run.Vote(null, votedBase); run.Vote(armRun, votedArm);
        var heuristic = SuppressionRisk.Analyse(model, armRun.TurnoutShift.AsSpan(), votedBase, votedArm, victim).Constituencies.ToDictionary(c => c.Constituency);

        var baseline = result.Rows.Where(x => x.Arm == "baseline" && x.Party == victim).ToDictionary(x => (x.Replicate, x.System));
        var seats = sc.Systems.Select(s =>
        {
            var perReplicate = result.Rows.Where(x => x.Arm == arm && x.Party == victim && x.System == s.Name).OrderBy(x => x.Replicate)
                .Select(x => (double)(baseline[(x.Replicate, x.System)].Seats - x.Seats)).ToArray();
            var perDraw = measured.Systems.First(d => d.System == s.Name).SeatsLost;
            return new SeatsLost(s.Name, Stats.Interval(perReplicate), perReplicate, Stats.Interval(perDraw), perDraw);
        }).ToArray();
        var flips = measured.Constituencies.Select(c =>
        {
            var h = heuristic[c.Constituency];
            var (low, high) = Wilson(c.Flips, draws);
            return new SeatFlip(c.Constituency, run.MarginsArray[c.Constituency], c.Flips / (double)draws, low, high, c.VictimLost / (double)draws, c.VictimWon / (double)draws,
                h.ExpectedVotesLost, h.Pivotality, h.Risk);
        }).OrderByDescending(c => c.FlipProbability).ThenByDescending(c => c.Pivotality).ThenBy(c => c.Constituency).ToArray();
        var groups = measured.Groups.Select(g => new GroupTurnout(g.Dimension, g.Group, g.Voters, g.BaselineTurnout,
            Stats.Interval(g.TurnoutChange.Select(x => 100 * x)), -100 * g.ExpectedLoss)).ToArray();
        var demobilising = sc.EffectiveChannel("demobilising-ads");
        return new SuppressionSeats(sc.Name, arm, victim, sc.Evidence.Name, demobilising.OpponentTurnoutEffect ?? demobilising.TurnoutEffect, sc.Replicates, run.Replicate, draws, seats, flips, groups);
    }

    /// <summary>The 95% Wilson score interval of <paramref name="successes"/> in <paramref name="trials"/> (0 and 1 stay inside [0, 1]).</summary>
    public static (double Low, double High) Wilson(int successes, int trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "trials must be at least 1.");
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must be in 0..{trials}.");
        const double z = 1.959963984540054;
        double p = successes / (double)trials, z2n = z * z / trials;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.Sqrt(p * (1 - p) / trials + z2n / (4 * trials)) / (1 + z2n);
        return (successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }

    private static void Check(Scenario sc, string arm, int draws)
    {
        ArgumentNullException.ThrowIfNull(arm);
        if (draws < 1 || draws > SuppressionDrawing.MaxDraws) throw new ArgumentOutOfRangeException(nameof(draws), draws, $"draws must be between 1 and {SuppressionDrawing.MaxDraws:N0}.");
        if (!sc.Arms.Any(a => a.Name == arm)) throw new ArgumentException($"No arm named '{arm}' (arms: {string.Join(", ", sc.Arms.Select(a => a.Name))}).", nameof(arm));
    }
}
