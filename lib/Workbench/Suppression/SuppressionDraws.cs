using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Workbench.Behaviour;
using Workbench.Elections;

namespace Workbench.Suppression;

/// <summary>Voters grouped one way: every voter in exactly one group of the dimension.</summary>
/// <param name="Dimension">What the groups are: segment, leaning, age, education, income, minority or urban.</param>
/// <param name="Names">The groups' names.</param>
/// <param name="Of">The group of each voter (an index into <paramref name="Names"/>).</param>
public sealed record VoterGrouping(string Dimension, IReadOnlyList<string> Names, ImmutableArray<byte> Of);

/// <summary>One system's count over the draws: the victim's seats in the baseline minus its seats with the arm, per draw.</summary>
/// <param name="System">Electoral system.</param>
/// <param name="SeatsLost">Per draw: the victim's baseline seats minus its seats with the arm's campaigns (negative: seats gained).</param>
public sealed record SystemDraws(string System, ImmutableArray<double> SeatsLost);

/// <summary>One constituency over the draws: how often its winner differs between the baseline and the arm.</summary>
/// <param name="Constituency">Constituency index.</param>
/// <param name="Flips">Draws in which the constituency's plurality winner with the arm differs from the baseline's.</param>
/// <param name="VictimLost">Draws in which the victim won the baseline and lost with the arm.</param>
/// <param name="VictimWon">Draws in which the victim lost the baseline and won with the arm.</param>
public sealed record ConstituencyDraws(int Constituency, int Flips, int VictimLost, int VictimWon);

/// <summary>One group of voters over the draws: realised turnout without and with the arm.</summary>
/// <param name="Dimension">The grouping's dimension.</param>
/// <param name="Group">The group's name.</param>
/// <param name="Voters">Voters in the group.</param>
/// <param name="BaselineTurnout">Realised baseline turnout, mean over draws (0–1).</param>
/// <param name="ExpectedLoss">Mean drop in turnout probability from the arm's turnout shift (0–1; the model's expectation, not a draw).</param>
/// <param name="TurnoutChange">Per draw: realised turnout with the arm minus without (0–1 scale; same election-day numbers).</param>
public sealed record GroupDraws(string Dimension, string Group, int Voters, double BaselineTurnout, double ExpectedLoss, ImmutableArray<double> TurnoutChange);

/// <summary>
/// What re-drawing election day many times shows (MODEL.md §9; docs/regulation.md): each draw counts the baseline and the arm
/// on the same election-day numbers, so every difference is the arm's. Nothing here is multiplied by a pivotality.
/// </summary>
/// <param name="Victim">The victim party.</param>
/// <param name="Draws">Election-day draws.</param>
/// <param name="Systems">The victim's seats lost per draw, per system.</param>
/// <param name="Constituencies">Flips per constituency (plurality winners, ties to the earlier party as the FPTP count does).</param>
/// <param name="Groups">Turnout per voter group.</param>
public sealed record SuppressionDraws(string Victim, int Draws, IReadOnlyList<SystemDraws> Systems, IReadOnlyList<ConstituencyDraws> Constituencies,
    IReadOnlyList<GroupDraws> Groups);

/// <summary>
/// Measures suppression by re-drawing election day: for every seed, the baseline and the arm are counted on the same draws
/// (<see cref="ElectionDayModel.Vote(int?, float[], float[], int, bool[])"/>), and the victim's seats, each constituency's winner and every group's realised turnout
/// are compared. The sampling error of each figure is the spread over draws; it shrinks as draws grow.
/// </summary>
public static class SuppressionDrawing
{
    /// <summary>The largest number of draws one measurement accepts.</summary>
    public const int MaxDraws = 100_000;

    /// <summary>
    /// The groups voters are compared in: the victim's five segments (as <see cref="SuppressionRisk"/> defines them), leaning
    /// (to the victim or elsewhere), age band, education, income quintile, minority and urban.
    /// </summary>
    public static IReadOnlyList<VoterGrouping> Groupings(ElectionDayModel model, string victim)
    {
        ArgumentNullException.ThrowIfNull(model);
        var e = model.Electorate;
        int v = VictimIndex(e, victim), n = e.VoterCount;
        var segment = new byte[n]; var leaning = new byte[n]; var age = new byte[n]; var income = new byte[n];
        Span<double> prob = stackalloc double[e.PartyCount];
        for (int i = 0; i < n; i++)
        {
            model.Probabilities(i, prob);
            segment[i] = (byte)SuppressionRisk.Segment(prob[v], Workbench.Electorate.TurnoutModel.Logistic(model.TurnoutLogitArray[i]));
            leaning[i] = (byte)(model.LeanArray[i] == v ? 0 : 1);
            age[i] = (byte)Workbench.Electorate.ElectorateSpec.AgeBandOf(e.Age[i]);
            income[i] = (byte)Math.Clamp(e.IncomeQuintile[i] - 1, 0, 4);
        }
        return
        [
            new("segment", SuppressionRisk.SegmentNames, segment.Frozen()),
            new("leaning", [$"leans {victim}", "leans elsewhere"], leaning.Frozen()),
            new("age", Enumerable.Range(0, Workbench.Electorate.ElectorateSpec.AgeBandCount).Select(Workbench.Electorate.ElectorateSpec.AgeBandLabel).ToArray(), age.Frozen()),
            new("education", ["low", "middle", "high"], ((byte[])e.Education.Clone()).Frozen()),
            new("income", ["quintile 1", "quintile 2", "quintile 3", "quintile 4", "quintile 5"], income.Frozen()),
            new("minority", ["no", "yes"], ((byte[])e.Minority.Clone()).Frozen()),
            new("urban", ["rural", "urban"], ((byte[])e.Urban.Clone()).Frozen()),
        ];
    }

    /// <summary>
    /// Counts the baseline and the arm (its <paramref name="turnoutShift"/>, logit per voter, and <paramref name="utilityShift"/>,
    /// i·P + j) on every seed of <paramref name="drawSeeds"/> and compares them for <paramref name="victim"/> under each of
    /// <paramref name="systems"/>, per constituency and per group of <see cref="Groupings"/>. Deterministic for any
    /// <paramref name="threads"/>.
    /// </summary>
    public static SuppressionDraws Measure(ElectionDayModel model, float[] turnoutShift, float[] utilityShift, IReadOnlyList<ulong> drawSeeds,
        IReadOnlyList<ElectoralSystemSpec> systems, string victim, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(turnoutShift); ArgumentNullException.ThrowIfNull(utilityShift);
        ArgumentNullException.ThrowIfNull(drawSeeds); ArgumentNullException.ThrowIfNull(systems);
        var e = model.Electorate;
        int v = VictimIndex(e, victim), n = e.VoterCount, P = e.PartyCount, C = e.ConstituencyCount, D = drawSeeds.Count;
        if (D < 1 || D > MaxDraws) throw new ArgumentOutOfRangeException(nameof(drawSeeds), D, $"the number of draws must be between 1 and {MaxDraws:N0}.");
        if (turnoutShift.Length != n) throw new ArgumentException($"turnoutShift must have one entry per voter ({n}); got {turnoutShift.Length}.", nameof(turnoutShift));
        if (utilityShift.LongLength != (long)n * P) throw new ArgumentException($"utilityShift must have voters × parties entries ({(long)n * P}); got {utilityShift.LongLength}.", nameof(utilityShift));

        var groupings = Groupings(model, victim);
        var sizes = groupings.Select(g => new int[g.Names.Count]).ToArray();
        var expected = groupings.Select(g => new double[g.Names.Count]).ToArray();
        for (int i = 0; i < n; i++)
        {
            double loss = Workbench.Electorate.TurnoutModel.Logistic(model.TurnoutLogitArray[i]) - Workbench.Electorate.TurnoutModel.Logistic(model.TurnoutLogitArray[i] + turnoutShift[i]);
            for (int d = 0; d < groupings.Count; d++) { int g = groupings[d].Of[i]; sizes[d][g]++; expected[d][g] += loss; }
        }
        var seatsLost = systems.Select(_ => new double[D]).ToArray();
        var flips = new int[C]; var lost = new int[C]; var won = new int[C];
        var baseTurnout = groupings.Select(g => new double[g.Names.Count]).ToArray();
        var change = groupings.Select(g => Enumerable.Range(0, g.Names.Count).Select(_ => new double[D]).ToArray()).ToArray();
        var votedBase = new bool[n]; var votedArm = new bool[n];
        var counts = groupings.Select(g => new long[2 * g.Names.Count]).ToArray();
        for (int draw = 0; draw < D; draw++)
        {
            Array.Clear(votedBase); Array.Clear(votedArm);
            var b = model.Vote(drawSeeds[draw], null, null, threads, votedBase);
            var a = model.Vote(drawSeeds[draw], turnoutShift, utilityShift, threads, votedArm);
            for (int s = 0; s < systems.Count; s++)
                seatsLost[s][draw] = systems[s].Count(b, e).Seats[v] - systems[s].Count(a, e).Seats[v];
            for (int k = 0; k < C; k++)
            {
                int wb = Winner(b.Votes[k]), wa = Winner(a.Votes[k]);
                if (wb == wa) continue;
                flips[k]++;
                if (wb == v) lost[k]++;
                if (wa == v) won[k]++;
            }
            foreach (var c in counts) Array.Clear(c);
            for (int i = 0; i < n; i++)
            {
                if (votedBase[i] == votedArm[i] && !votedBase[i]) continue;
                for (int d = 0; d < groupings.Count; d++)
                {
                    int g = groupings[d].Of[i];
                    if (votedBase[i]) counts[d][2 * g]++;
                    if (votedArm[i]) counts[d][2 * g + 1]++;
                }
            }
            for (int d = 0; d < groupings.Count; d++)
                for (int g = 0; g < groupings[d].Names.Count; g++)
                {
                    int size = Math.Max(1, sizes[d][g]);
                    baseTurnout[d][g] += counts[d][2 * g] / (double)size;
                    change[d][g][draw] = (counts[d][2 * g + 1] - counts[d][2 * g]) / (double)size;
                }
        }
        var groups = new List<GroupDraws>();
        for (int d = 0; d < groupings.Count; d++)
            for (int g = 0; g < groupings[d].Names.Count; g++)
                groups.Add(new GroupDraws(groupings[d].Dimension, groupings[d].Names[g], sizes[d][g], baseTurnout[d][g] / D,
                    sizes[d][g] == 0 ? 0 : expected[d][g] / sizes[d][g], change[d][g].Frozen()));
        return new SuppressionDraws(victim, D, systems.Select((s, i) => new SystemDraws(s.Name, seatsLost[i].Frozen())).ToArray(),
            Enumerable.Range(0, C).Select(k => new ConstituencyDraws(k, flips[k], lost[k], won[k])).ToArray(), groups);
    }

    /// <summary>The plurality winner of one constituency's votes: the most votes, a tie to the earlier party (the FPTP count's more-votes rule).</summary>
    public static int Winner(IReadOnlyList<long> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        int best = 0;
        for (int j = 1; j < votes.Count; j++) if (votes[j] > votes[best]) best = j;
        return best;
    }

    private static int VictimIndex(Workbench.Electorate.Electorate e, string victim)
    {
        ArgumentNullException.ThrowIfNull(victim);
        int v = e.PartyNames.ToList().IndexOf(victim);
        if (v < 0) throw new ArgumentException($"'{victim}' is not a party of the electorate ({string.Join(", ", e.PartyNames)}).", nameof(victim));
        return v;
    }
}
