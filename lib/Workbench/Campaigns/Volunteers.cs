using Workbench.Random;

namespace Workbench.Campaigns;

/// <summary>
/// Where a campaign's volunteers live and where they canvassed (<see cref="VolunteerSpec"/>).
/// </summary>
/// <param name="Home">Volunteers living in each constituency.</param>
/// <param name="Working">Volunteers canvassing in each constituency.</param>
/// <param name="Capacity">Door attempts the volunteers canvassing in each constituency can make (the canvass channel's capacity there).</param>
/// <param name="Travelling">Volunteers who canvass outside the constituency they live in.</param>
/// <param name="TravelHours">Hours all volunteers spend travelling.</param>
public sealed record VolunteerPlan(IReadOnlyList<int> Home, IReadOnlyList<int> Working, IReadOnlyList<double> Capacity, int Travelling, double TravelHours)
{
    /// <summary>Door attempts the campaign's canvass channel made in each constituency (set after delivery; empty before).</summary>
    public IReadOnlyList<double> Attempts { get; init; } = [];
    /// <summary>Total door attempts the volunteers can make.</summary>
    public double TotalCapacity => Capacity.Sum();
}

/// <summary>
/// Volunteers where they live (MODEL.md §6): placement in proportion to the sponsor's identifiers, constituency centroids on
/// the synthetic map, and routing at home or to the nearest winnable seat (Momentum's "My Nearest Marginal"; International
/// IDEA, <i>Digital Microtargeting</i>, 2018).
/// </summary>
public static class Volunteers
{
    /// <summary>
    /// Apportions <paramref name="count"/> volunteers to constituencies in proportion to the identifiers of party
    /// <paramref name="party"/> living there (Hamilton's largest remainders; equal remainders ordered by a draw seeded by
    /// <paramref name="seed"/>); the counts sum to <paramref name="count"/> exactly. With no identifiers at all, in proportion
    /// to voters.
    /// </summary>
    public static int[] Place(Electorate.Electorate e, int party, int count, int? seed) =>
        Place(e, party, count, Workbench.Random.Seeds.Resolve(seed));

    internal static int[] Place(Electorate.Electorate e, int party, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int C = e.ConstituencyCount, n = e.VoterCount;
        var weight = new long[C];
        for (int i = 0; i < n; i++) if (e.PartyId[i] == party) weight[e.Constituency[i]]++;
        if (weight.Sum() == 0) for (int i = 0; i < n; i++) weight[e.Constituency[i]]++;
        long total = weight.Sum();
        var home = new int[C];
        if (total == 0 || count == 0) return home;
        var remainder = new double[C];
        int placed = 0;
        for (int k = 0; k < C; k++)
        {
            // Exact integer quotient and remainder, so the apportionment does not depend on rounding.
            long q = Math.DivRem((long)count * weight[k], total, out long r);
            home[k] = (int)q; placed += (int)q;
            remainder[k] = (double)r / total;
        }
        var tieBreak = new double[C];
        for (int k = 0; k < C; k++) tieBreak[k] = new RandomStream(seed, StreamIds.VolunteerPlacement, (ulong)k).NextDouble();
        var order = Enumerable.Range(0, C).OrderByDescending(k => remainder[k]).ThenBy(k => tieBreak[k]).ThenBy(k => k).ToArray();
        for (int r = 0; placed < count; r++, placed++) home[order[r]]++;
        return home;
    }

    /// <summary>The centroid of each constituency on the synthetic map: the mean of its neighbourhoods' coordinates.</summary>
    public static (double[] X, double[] Y) Centroids(Electorate.Electorate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        int C = e.ConstituencyCount;
        var x = new double[C]; var y = new double[C]; var m = new int[C];
        for (int b = 0; b < e.NeighbourhoodCount; b++)
        {
            int k = e.NeighbourhoodConstituency[b];
            x[k] += e.NeighbourhoodX[b]; y[k] += e.NeighbourhoodY[b]; m[k]++;
        }
        for (int k = 0; k < C; k++) if (m[k] > 0) { x[k] /= m[k]; y[k] /= m[k]; }
        return (x, y);
    }

    /// <summary>
    /// Routes the volunteers living in each constituency (<paramref name="home"/>). <see cref="Routing.Home"/>: each canvasses at
    /// home. <see cref="Routing.NearestMarginal"/>: volunteers are taken one at a time in a seeded order, and each goes to the
    /// constituency where the door attempts they can make there (<see cref="VolunteerSpec.Attempts"/>, fewer the farther it is)
    /// add most value, given the volunteers already sent there: <paramref name="attemptValues"/> lists, per constituency, the
    /// value of each door attempt the allocator would buy there, best first (the allocator's own values of canvassing), so a
    /// seat fills up and the next volunteer may do better elsewhere. A volunteer who can add nothing anywhere stays home.
    /// </summary>
    public static VolunteerPlan Route(Electorate.Electorate e, VolunteerSpec spec, int[] home, IReadOnlyList<double[]> attemptValues, int? seed) =>
        Route(e, spec, home, attemptValues, Workbench.Random.Seeds.Resolve(seed));

    internal static VolunteerPlan Route(Electorate.Electorate e, VolunteerSpec spec, int[] home, IReadOnlyList<double[]> attemptValues, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(spec); ArgumentNullException.ThrowIfNull(home); ArgumentNullException.ThrowIfNull(attemptValues);
        int C = e.ConstituencyCount;
        if (home.Length != C || attemptValues.Count != C) throw new ArgumentException($"home and attemptValues need one entry per constituency ({C}).");
        var working = new int[C]; var capacity = new double[C];
        double atHome = spec.Attempts(0);
        if (spec.Routing == Routing.Home)
        {
            for (int k = 0; k < C; k++) { working[k] = home[k]; capacity[k] = home[k] * atHome; }
            return new VolunteerPlan((int[])home.Clone(), working, capacity, 0, 0);
        }
        var (cx, cy) = Centroids(e);
        // Cumulative value of the first x attempts in each constituency (piecewise linear between whole attempts).
        var prefix = new double[C][];
        for (int k = 0; k < C; k++)
        {
            var v = attemptValues[k];
            var p = prefix[k] = new double[v.Length + 1];
            for (int a = 0; a < v.Length; a++) p[a + 1] = p[a] + Math.Max(0, v[a]);
        }
        static double Cumulative(double[] p, double x)
        {
            if (x >= p.Length - 1) return p[^1];
            int f = (int)Math.Floor(x);
            return p[f] + (x - f) * (p[f + 1] - p[f]);
        }
        // Volunteers in a seeded order (each identified by home constituency and rank there).
        var volunteers = new List<(double Key, int Home, int Index)>();
        int id = 0;
        for (int k = 0; k < C; k++)
            for (int j = 0; j < home[k]; j++, id++)
                volunteers.Add((new RandomStream(seed, StreamIds.VolunteerOrder, (ulong)id).NextDouble(), k, id));
        volunteers.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Index.CompareTo(b.Index));
        var used = new double[C];
        int travelling = 0; double travelHours = 0;
        foreach (var (_, h, _) in volunteers)
        {
            int best = h;
            double bestGain = Cumulative(prefix[h], used[h] + atHome) - Cumulative(prefix[h], used[h]), bestAttempts = atHome;
            for (int t = 0; t < C; t++)
            {
                if (t == h) continue;
                double d = Math.Sqrt((cx[t] - cx[h]) * (cx[t] - cx[h]) + (cy[t] - cy[h]) * (cy[t] - cy[h]));
                double a = spec.Attempts(d);
                if (a <= 0) continue;
                double gain = Cumulative(prefix[t], used[t] + a) - Cumulative(prefix[t], used[t]);
                if (gain > bestGain) { best = t; bestGain = gain; bestAttempts = a; }
            }
            used[best] += bestAttempts; capacity[best] += bestAttempts; working[best]++;
            if (best != h)
            {
                travelling++;
                double d = Math.Sqrt((cx[best] - cx[h]) * (cx[best] - cx[h]) + (cy[best] - cy[h]) * (cy[best] - cy[h]));
                double journey = Math.Min(spec.SessionHours * 60, d * spec.TravelMinutesPerMapUnit);
                travelHours += spec.HoursPerVolunteer / spec.SessionHours * journey / 60;
            }
        }
        return new VolunteerPlan((int[])home.Clone(), working, capacity, travelling, travelHours);
    }
}
