using System.Collections.Immutable;
using Workbench.Elections;
using Workbench.Random;

namespace Workbench.Behaviour;

/// <summary>
/// The true model of an electorate on election day (MODEL.md §2, §6): each voter's turnout logit
/// and deterministic party utilities, cached once so that a baseline and any number of campaign
/// arms are counted on the same electorate with common random numbers: voter i always draws
/// its turnout uniform and its Gumbel shocks from stream (seed, <see cref="StreamElectionDay"/>, i),
/// so a campaign changes a ballot only where its shifts change the decision.
/// </summary>
public sealed class ElectionDayModel
{
    /// <summary>Stream id of election-day draws.</summary>
    public const uint StreamElectionDay = StreamIds.ElectionDay;

    /// <summary>The electorate.</summary>
    public Electorate.Electorate Electorate { get; }
    /// <summary>Turnout logit of each voter before campaigns. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> TurnoutLogit => TurnoutLogitArray.Frozen();
    /// <summary>The array behind <see cref="TurnoutLogit"/>, for the library's own loops.</summary>
    internal float[] TurnoutLogitArray { get; }
    /// <summary>Deterministic utilities (i·P + j); −∞ where the party does not stand. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> Utility => UtilityArray.Frozen();
    /// <summary>The array behind <see cref="Utility"/>, for the library's own loops.</summary>
    internal float[] UtilityArray { get; }
    /// <summary>The party each voter most probably votes for (its leaning). A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<sbyte> Lean => LeanArray.Frozen();
    /// <summary>The array behind <see cref="Lean"/>, for the library's own loops.</summary>
    internal sbyte[] LeanArray { get; }
    /// <summary>Mean persuadability (persuasion effects scale with persuadability / this mean).</summary>
    public double MeanPersuadability { get; }

    /// <summary>Builds the cached model (parallel over fixed chunks; identical for any thread count).</summary>
    public ElectionDayModel(Electorate.Electorate e, int threads = 1)
    {
        Electorate = e;
        int n = e.VoterCount, P = e.PartyCount;
        TurnoutLogitArray = new float[n]; UtilityArray = new float[(long)n * P]; LeanArray = new sbyte[n];
        var vm = e.VoteModel; var tm = e.TurnoutModel;
        DeterministicParallel.ForChunks(n, threads, (s, end) =>
        {
            Span<double> u = stackalloc double[P];
            for (int i = (int)s; i < end; i++)
            {
                TurnoutLogitArray[i] = (float)(tm.Intercept + tm.Index(e, i));
                vm.Utilities(e, i, u);
                int best = 0;
                for (int j = 0; j < P; j++) { UtilityArray[(long)i * P + j] = (float)u[j]; if (u[j] > u[best]) best = j; }
                LeanArray[i] = (sbyte)best;
            }
        });
        double ps = 0;
        for (int i = 0; i < n; i++) ps += (double)e.Persuadability[i];
        MeanPersuadability = Math.Max(1e-6, ps / Math.Max(1, n));
    }

    private double[]? _expectedShares;

    /// <summary>Each party's expected national vote share: Σ turnout × P(party) / Σ turnout (computed once, deterministically).</summary>
    public IReadOnlyList<double> ExpectedShares => _expectedShares ??= ComputeExpectedShares();

    private double[] ComputeExpectedShares()
    {
        int n = Electorate.VoterCount, P = Electorate.PartyCount;
        var sums = DeterministicParallel.MapReduce(n, 1, (s, end) =>
        {
            var acc = new double[P + 1];
            Span<double> q = stackalloc double[P];
            for (int i = (int)s; i < end; i++)
            {
                double t = Workbench.Electorate.TurnoutModel.Logistic(TurnoutLogitArray[i]);
                Probabilities(i, q);
                for (int j = 0; j < P; j++) acc[j] += t * q[j];
                acc[P] += t;
            }
            return acc;
        }, new double[P + 1], (a, b) => { for (int j = 0; j <= P; j++) a[j] += b[j]; return a; });
        return Enumerable.Range(0, P).Select(j => sums[P] > 0 ? sums[j] / sums[P] : 0).ToArray();
    }

    /// <summary>Probability that voter i votes for party j given utility shifts (nullable) — the logit of MODEL.md §2.</summary>
    public void Probabilities(int i, Span<double> result, ReadOnlySpan<float> shift = default)
    {
        int P = result.Length;
        for (int j = 0; j < P; j++) result[j] = UtilityArray[(long)i * P + j] + (shift.IsEmpty ? 0 : shift[j]);
        Workbench.Electorate.VoteModel.Softmax(result);
    }

    /// <summary>
    /// Samples every voter's ballot and counts votes per constituency. <paramref name="turnoutShift"/>
    /// (logit scale, per voter) and <paramref name="utilityShift"/> (i·P + j) may be null for the baseline;
    /// <paramref name="voted"/>, when given, records who voted.
    /// </summary>
    public Ballots Vote(int? seed, float[]? turnoutShift, float[]? utilityShift, int threads = 1, bool[]? voted = null) =>
        Vote(Workbench.Random.Seeds.Resolve(seed), turnoutShift, utilityShift, threads, voted);

    internal Ballots Vote(ulong seed, float[]? turnoutShift, float[]? utilityShift, int threads = 1, bool[]? voted = null)
    {
        var e = Electorate;
        int n = e.VoterCount, P = e.PartyCount, C = e.ConstituencyCount;
        var counts = DeterministicParallel.MapReduce(n, threads, (s, end) =>
        {
            var votes = new long[C * P + C];
            Span<double> u = stackalloc double[P];
            for (int i = (int)s; i < end; i++)
            {
                var rng = new RandomStream(seed, StreamElectionDay, (ulong)i);
                double logit = TurnoutLogitArray[i] + (turnoutShift is null ? 0 : turnoutShift[i]);
                double draw = rng.NextDouble();
                if (draw >= 1.0 / (1.0 + Math.Exp(-logit))) continue;
                if (voted is not null) voted[i] = true;
                int k = e.Constituency[i];
                for (int j = 0; j < P; j++) u[j] = UtilityArray[(long)i * P + j] + (utilityShift is null ? 0 : utilityShift[(long)i * P + j]);
                int choice = Workbench.Electorate.VoteModel.ChooseWithGumbel(u, ref rng);
                votes[k * P + choice]++;
                votes[C * P + k]++;
            }
            return votes;
        }, new long[C * P + C], (acc, part) => { for (int x = 0; x < acc.Length; x++) acc[x] += part[x]; return acc; });
        var byConstituency = new long[C][];
        var turnout = new long[C];
        for (int k = 0; k < C; k++) { byConstituency[k] = counts.AsSpan(k * P, P).ToArray(); turnout[k] = counts[C * P + k]; }
        var registered = new long[C];
        for (int k = 0; k < C; k++) registered[k] = e.ConstituencyStart[k + 1] - e.ConstituencyStart[k];
        return new Ballots(e.PartyNames, byConstituency.Frozen(), turnout.Frozen(), registered.Frozen());
    }
}
