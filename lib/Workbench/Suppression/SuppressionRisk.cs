using Workbench.Campaigns;
using Workbench.Behaviour;

namespace Workbench.Suppression;

/// <summary>Turnout of one of the victim's classical segments, before and after the campaigns of an arm.</summary>
/// <param name="Segment">base, mobilisation-targets, persuadables, opponents or unlikely (by the victim's true support and turnout).</param>
/// <param name="Voters">Voters in the segment.</param>
/// <param name="BaselineTurnout">Realised turnout without campaigns.</param>
/// <param name="ArmTurnout">Realised turnout with the arm's campaigns (same election-day draws).</param>
/// <param name="ExpectedTurnoutLoss">Mean drop in turnout probability.</param>
/// <param name="Risk">Suppression-risk index of the segment, a heuristic: the sum over its voters of expected turnout loss × support for the victim × pivotality of their seat. It is large wherever pivotality is large by construction; the measured seat flips are in <see cref="SuppressionDrawing"/>.</param>
public sealed record SegmentTurnout(string Segment, int Voters, double BaselineTurnout, double ArmTurnout, double ExpectedTurnoutLoss, double Risk);

/// <summary>Suppression risk in one constituency: the victim's expected lost votes, its seat's pivotality, and their product.</summary>
/// <param name="Constituency">Constituency index.</param>
/// <param name="ExpectedVotesLost">Victim's expected votes lost to demobilisation.</param>
/// <param name="Pivotality">Density at zero of the victim's expected winning (or losing) margin, per vote.</param>
/// <param name="Risk">Expected votes lost × pivotality, a heuristic (a first-order approximation of the probability that suppression flips the seat against the victim, large wherever the seat is close by construction); <see cref="SuppressionDrawing.Measure"/> measures the flips.</param>
public sealed record ConstituencyRisk(int Constituency, double ExpectedVotesLost, double Pivotality, double Risk);

/// <summary>A suppression-risk report for one victim party (MODEL.md §9).</summary>
/// <param name="Victim">The targeted party.</param>
/// <param name="Segments">Turnout by the victim's segments.</param>
/// <param name="Constituencies">Risk per constituency, highest first.</param>
/// <param name="VictimTurnoutChange">Change in realised turnout among voters who lean to the victim.</param>
/// <param name="OthersTurnoutChange">Change in realised turnout among everyone else.</param>
public sealed record SuppressionReport(string Victim, IReadOnlyList<SegmentTurnout> Segments, IReadOnlyList<ConstituencyRisk> Constituencies,
    double VictimTurnoutChange, double OthersTurnoutChange)
{
    /// <summary>The turnout gap the campaign opened: victim's change minus others'.</summary>
    public double TurnoutGap => VictimTurnoutChange - OthersTurnoutChange;
}

/// <summary>
/// Voter-suppression risk (MODEL.md §9): compares one replicate's baseline with an arm whose campaigns demobilise
/// (e.g. the built-in <c>demobilising-ads</c> channel, calibrated to Aggarwal et al. 2023), using the true model —
/// which voters lean to the victim, how much each one's turnout probability fell, and how pivotal each seat is.
/// Both elections draw the same election-day numbers, so differences in realised turnout are the campaign's alone.
/// </summary>
public static class SuppressionRisk
{
    /// <summary>
    /// Analyses one arm's demobilisation for victim party <paramref name="victim"/>: <paramref name="turnoutShift"/> is the
    /// arm's turnout-logit shift per voter, <paramref name="votedBase"/> and <paramref name="votedArm"/> who voted without and
    /// with the arm's campaigns on the same election-day draws. <c>ReplicateRun.Suppression</c> in Experiments supplies them.
    /// </summary>
    public static SuppressionReport Analyse(ElectionDayModel model, ReadOnlySpan<float> turnoutShift, bool[] votedBase, bool[] votedArm, string victim,
        double marginUncertainty = 0.05)
    {
        ArgumentNullException.ThrowIfNull(model);
        var e = model.Electorate; var m = model;
        int v = e.PartyNames.ToList().IndexOf(victim);
        if (v < 0) throw new ArgumentException($"'{victim}' is not a party of the electorate ({string.Join(", ", e.PartyNames)}).", nameof(victim));
        int n = e.VoterCount, P = e.PartyCount, C = e.ConstituencyCount;
        if (turnoutShift.Length != n || votedBase.Length != n || votedArm.Length != n)
            throw new ArgumentException($"turnoutShift, votedBase and votedArm must have one entry per voter ({n}).");

        // One pass: each voter's support for the victim, turnout loss and segment, and the constituency totals.
        var segOf = new int[n]; var pV = new double[n]; var loss = new double[n];
        var lost = new double[C]; var votes = new double[C]; var share = new double[C * P];
        Span<double> prob = stackalloc double[P];
        for (int i = 0; i < n; i++)
        {
            m.Probabilities(i, prob);
            pV[i] = prob[v];
            double p0 = Logistic(m.TurnoutLogitArray[i]), p1 = Logistic(m.TurnoutLogitArray[i] + turnoutShift[i]);
            loss[i] = p0 - p1;
            segOf[i] = Segment(pV[i], p0);
            int k = e.Constituency[i];
            votes[k] += p0;
            for (int j = 0; j < P; j++) share[k * P + j] += p0 * prob[j];
            lost[k] += loss[i] * pV[i];
        }
        // Per constituency: the victim's expected lost votes and its seat's pivotality.
        var risks = new ConstituencyRisk[C];
        for (int k = 0; k < C; k++)
        {
            double best = double.NegativeInfinity;
            for (int j = 0; j < P; j++) if (j != v) best = Math.Max(best, share[k * P + j]);
            double margin = (share[k * P + v] - best) / Math.Max(1, votes[k]);
            double pivot = CampaignEngine.Pivotality(margin, marginUncertainty, votes[k]);
            risks[k] = new ConstituencyRisk(k, lost[k], pivot, lost[k] * pivot);
        }
        var names = SegmentNames;
        var segments = Enumerable.Range(0, 5).Select(s =>
        {
            var idx = Enumerable.Range(0, n).Where(i => segOf[i] == s).ToArray();
            return new SegmentTurnout(names[s], idx.Length, idx.Length == 0 ? 0 : idx.Count(i => votedBase[i]) / (double)idx.Length,
                idx.Length == 0 ? 0 : idx.Count(i => votedArm[i]) / (double)idx.Length, idx.Length == 0 ? 0 : idx.Average(i => loss[i]), idx.Sum(i => loss[i] * pV[i] * risks[e.Constituency[i]].Pivotality));
        }).ToArray();

        double Change(Func<int, bool> who)
        {
            int count = 0, b = 0, c = 0;
            for (int i = 0; i < n; i++) if (who(i)) { count++; if (votedBase[i]) b++; if (votedArm[i]) c++; }
            return count == 0 ? 0 : (c - b) / (double)count;
        }
        return new SuppressionReport(victim, segments, risks.OrderByDescending(r => r.Risk).ThenBy(r => r.Constituency).ToArray(),
            Change(i => m.LeanArray[i] == v), Change(i => m.LeanArray[i] != v));
    }

    /// <summary>The victim's classical segments, in the order of <see cref="Segment"/>.</summary>
    public static IReadOnlyList<string> SegmentNames { get; } = ["base", "mobilisation-targets", "persuadables", "opponents", "unlikely"];

    /// <summary>
    /// The segment (an index into <see cref="SegmentNames"/>) of a voter with probability <paramref name="support"/> of voting for the
    /// victim and turnout probability <paramref name="turnout"/>: base (support ≥ 0.6, turnout ≥ 0.6), mobilisation targets (support
    /// ≥ 0.6, turnout below), persuadables (support 0.3–0.6), opponents (support below 0.3, turnout ≥ 0.6), unlikely (the rest).
    /// </summary>
    public static int Segment(double support, double turnout) =>
        support >= 0.6 ? (turnout >= 0.6 ? 0 : 1) : support >= 0.3 ? 2 : (turnout >= 0.6 ? 3 : 4);

    private static double Logistic(double x) => Workbench.Electorate.TurnoutModel.Logistic(x);
}
