using Workbench.Random;

namespace Workbench.Data;

/// <summary>One diagnosis of the electorate by canvassing a sample of neighbourhoods.</summary>
/// <param name="Method">"representative" or "random".</param>
/// <param name="Neighbourhoods">The neighbourhoods chosen.</param>
/// <param name="DoorsKnocked">Households whose door was knocked.</param>
/// <param name="Conversations">Voters spoken to (at home when the canvasser called).</param>
/// <param name="EstimatedShares">Party shares among the voters spoken to (their current vote intention).</param>
/// <param name="TrueShares">National shares of vote intention among all voters (known only in simulation).</param>
/// <param name="MeanAbsoluteError">Mean absolute error of the estimated shares, in points.</param>
/// <param name="Imbalance">Distance between the chosen neighbourhoods' public profile and the country's (lower is more representative).</param>
public sealed record AreaSample(string Method, IReadOnlyList<int> Neighbourhoods, int DoorsKnocked, int Conversations, IReadOnlyList<double> EstimatedShares, IReadOnlyList<double> TrueShares,
    double MeanAbsoluteError, double Imbalance);

/// <summary>
/// Representative area sampling (MODEL.md §3): choose neighbourhoods that together look like the country on public data —
/// the last election's results and turnout, age, education and urbanity, as published by area — and canvass doors there to
/// diagnose the electorate, as En Marche's "Grande Marche" did with 100,000 doors in 2016 (International IDEA, Digital
/// Microtargeting, 2018). The representative choice is greedy: add the neighbourhood that brings the voter-weighted profile of
/// the chosen set closest to the national profile. Compared with neighbourhoods drawn at random, on the same doors budget.
/// </summary>
public static class AreaSampling
{
    private const uint StreamPick = StreamIds.AreaPick, StreamDoors = StreamIds.AreaDoors;

    /// <summary>Public profile of each neighbourhood (and the country): past vote shares per party, past turnout, mean age / 100, high-education share, urban share.</summary>
    public static (double[][] Areas, int[] Voters, double[] Country) Profiles(Electorate.Electorate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        int A = e.NeighbourhoodCount, P = e.PartyCount, D = P + 4;
        var sum = new double[A][]; var voters = new int[A]; var country = new double[D];
        for (int a = 0; a < A; a++) sum[a] = new double[D];
        for (int i = 0; i < e.VoterCount; i++)
        {
            var row = sum[e.Neighbourhood[i]];
            voters[e.Neighbourhood[i]]++;
            if (e.PastVote[i] >= 0) row[e.PastVote[i]]++;
            row[P] += e.PastTurnout[i]; row[P + 1] += e.Age[i] / 100.0; row[P + 2] += e.Education[i] == 2 ? 1 : 0; row[P + 3] += e.Urban[i];
        }
        for (int a = 0; a < A; a++)
        {
            for (int d = 0; d < D; d++) country[d] += sum[a][d];
            if (voters[a] > 0) for (int d = 0; d < D; d++) sum[a][d] /= voters[a];
        }
        for (int d = 0; d < D; d++) country[d] /= Math.Max(1, e.VoterCount);
        return (sum, voters, country);
    }

    /// <summary>Chooses <paramref name="areas"/> neighbourhoods, representatively or at random, and canvasses <paramref name="doors"/> doors in them.</summary>
    public static AreaSample Sample(Electorate.Electorate e, int areas, int doors, bool representative, int? seed) =>
        Sample(e, areas, doors, representative, Workbench.Random.Seeds.Resolve(seed));

    internal static AreaSample Sample(Electorate.Electorate e, int areas, int doors, bool representative, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (areas < 1 || areas > e.NeighbourhoodCount) throw new ArgumentOutOfRangeException(nameof(areas), areas, $"areas must be between 1 and the number of neighbourhoods ({e.NeighbourhoodCount}).");
        if (doors < 1) throw new ArgumentOutOfRangeException(nameof(doors), doors, "doors must be positive.");
        var (profile, voters, country) = Profiles(e);
        int A = e.NeighbourhoodCount, D = country.Length;
        var chosen = new List<int>();
        var rng = new RandomStream(seed, StreamPick, 0);
        if (representative)
        {
            // Greedy: the running voter-weighted profile moves toward the country's. Ties broken by index (deterministic);
            // the first neighbourhood is the closest single one.
            var acc = new double[D]; long n = 0;
            var used = new bool[A];
            for (int step = 0; step < areas; step++)
            {
                int best = -1; double bestDist = double.PositiveInfinity;
                for (int a = 0; a < A; a++)
                {
                    if (used[a] || voters[a] == 0) continue;
                    double dist = 0;
                    for (int d = 0; d < D; d++) { double m = (acc[d] + profile[a][d] * voters[a]) / (n + voters[a]) - country[d]; dist += m * m; }
                    if (dist < bestDist) { bestDist = dist; best = a; }
                }
                if (best < 0) break;
                used[best] = true; chosen.Add(best); n += voters[best];
                for (int d = 0; d < D; d++) acc[d] += profile[best][d] * voters[best];
            }
        }
        else
        {
            var pool = Enumerable.Range(0, A).Where(a => voters[a] > 0).ToArray();
            for (int k = 0; k < Math.Min(areas, pool.Length); k++) { int j = k + rng.NextInt(pool.Length - k); (pool[k], pool[j]) = (pool[j], pool[k]); chosen.Add(pool[k]); }
        }
        // The chosen set's profile against the country's.
        var mix = new double[D]; long mixVoters = 0;
        foreach (var a in chosen) { mixVoters += voters[a]; for (int d = 0; d < D; d++) mix[d] += profile[a][d] * voters[a]; }
        double imbalance = Math.Sqrt(Enumerable.Range(0, D).Sum(d => Math.Pow(mix[d] / Math.Max(1, mixVoters) - country[d], 2)));

        // Canvass: knock doors at random among the chosen neighbourhoods' households; everyone at home in the evening answers.
        var set = chosen.ToHashSet();
        var households = new List<(int First, int End)>();
        for (int i = 0; i < e.VoterCount;)
        {
            int h = e.Household[i], j = i;
            while (j < e.VoterCount && e.Household[j] == h) j++;
            if (set.Contains(e.Neighbourhood[i])) households.Add((i, j));
            i = j;
        }
        int P = e.PartyCount;
        var counts = new double[P]; int talked = 0, knocked = 0;
        var drng = new RandomStream(seed, StreamDoors, representative ? 1UL : 0UL);
        for (int k = 0; k < Math.Min(doors, households.Count); k++)
        {
            int j = k + drng.NextInt(households.Count - k);
            (households[k], households[j]) = (households[j], households[k]);
            knocked++;
            for (int i = households[k].First; i < households[k].End; i++)
                if (drng.NextDouble() < e.HomeProbability[i * 3 + 2] / 255.0 && e.SincereVote[i] >= 0) { counts[e.SincereVote[i]]++; talked++; }
        }
        var truth = new double[P];
        int all = 0;
        for (int i = 0; i < e.VoterCount; i++) if (e.SincereVote[i] >= 0) { truth[e.SincereVote[i]]++; all++; }
        for (int p = 0; p < P; p++) { truth[p] /= Math.Max(1, all); counts[p] /= Math.Max(1, talked); }
        double mae = 100 * Enumerable.Range(0, P).Average(p => Math.Abs(counts[p] - truth[p]));
        return new AreaSample(representative ? "representative" : "random", chosen.ToArray(), knocked, talked, counts, truth, mae, imbalance);
    }

    /// <summary>Both methods over <paramref name="replicates"/> seeds (the random choice and the doors vary with the seed).</summary>
    public static IReadOnlyList<AreaSample> Compare(Electorate.Electorate e, int areas, int doors, int? seed, int replicates = 10) =>
        Compare(e, areas, doors, Workbench.Random.Seeds.Resolve(seed), replicates);

    internal static IReadOnlyList<AreaSample> Compare(Electorate.Electorate e, int areas, int doors, ulong seed, int replicates = 10)
    {
        if (replicates is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "replicates must be between 1 and 10,000.");
        return Enumerable.Range(0, replicates).SelectMany(r => new[] { true, false }.Select(rep => Sample(e, areas, doors, rep, Seeds.Derive(seed, (ulong)r)))).ToArray();
    }
}
