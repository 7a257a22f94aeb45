using Workbench.Random;

namespace Workbench.Networks;

/// <summary>Options of the layered social graph over an electorate (MODEL.md §8).</summary>
public sealed record ElectorateGraphOptions
{
    [Param("Ties per voter to random others in the same neighbourhood (local layer).", Min = 0, Max = 100)]
    public double NeighbourhoodDegree { get; init; } = 4;
    [Param("Mean online ties per voter (scaled by the voter's digital footprint).", Min = 0, Max = 500)]
    public double OnlineDegree { get; init; } = 10;
    [Param("Online party homophily: probability that an online tie goes to someone who votes for the same party.", Min = 0, Max = 1,
        Citation = "McPherson, Smith-Lovin & Cook 2001, Annual Review of Sociology 27 (homophily); Bakshy, Messing & Adamic 2015, Science 348")]
    public double PartyHomophily { get; init; } = 0.7;
    [Param("Online age homophily: of the ties not drawn by party, the probability that one goes to someone of the same age band.", Min = 0, Max = 1)]
    public double AgeHomophily { get; init; }
    [Param("Online issue homophily: of the remaining ties, the probability that one goes to someone close on the first issue (within 1% of voters in rank).", Min = 0, Max = 1)]
    public double IssueHomophily { get; init; }
    [Param("Include the household layer (members of a household are all tied).", Min = 0, Max = 1)]
    public bool Households { get; init; } = true;
}

/// <summary>Which layer an edge belongs to.</summary>
public enum Layer : byte { Household, Neighbourhood, Online }

/// <summary>A layered graph over an electorate: the union graph plus each layer on its own.</summary>
public sealed record LayeredGraph(Graph All, Graph Household, Graph Neighbourhood, Graph Online);

/// <summary>
/// Builds the social graph of an electorate: households (complete), neighbourhoods (local random
/// ties), and an online layer with homophily on party (a stochastic block model by sincere vote), age band
/// and closeness on the first issue, degree scaled by digital footprint. Deterministic for a seed: each voter draws from its own stream.
/// </summary>
public static class ElectorateGraph
{
    /// <summary>Builds the layered graph of <paramref name="e"/> (<paramref name="options"/> null: the defaults); <paramref name="seed"/> null means <see cref="Seeds.Default"/>.</summary>
    public static LayeredGraph Build(Workbench.Electorate.Electorate e, ElectorateGraphOptions? options = null, int? seed = null) =>
        Build(e, options, Seeds.Resolve(seed));

    internal static LayeredGraph Build(Workbench.Electorate.Electorate e, ElectorateGraphOptions? options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(e);
        var o = options ?? new ElectorateGraphOptions();
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(o, "$", errors);
        Parameters.ThrowIfAny(errors);
        int n = e.VoterCount;
        var hh = new List<(int, int)>(); var nb = new List<(int, int)>(); var on = new List<(int, int)>();
        // Households: contiguous voters.
        if (o.Households)
            for (int i = 0; i < n;)
            {
                int j = i;
                while (j < n && e.Household[j] == e.Household[i]) j++;
                for (int a = i; a < j; a++) for (int b = a + 1; b < j; b++) hh.Add((a, b));
                i = j;
            }
        // Neighbourhoods: contiguous voters; each voter ties to random others of its neighbourhood.
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j < n && e.Neighbourhood[j] == e.Neighbourhood[i]) j++;
            if (j - i > 1)
                for (int a = i; a < j; a++)
                {
                    var r = new RandomStream(seed, StreamIds.GraphOnline, (ulong)a);
                    int m = r.Poisson(o.NeighbourhoodDegree / 2);
                    for (int t = 0; t < m; t++) { int b = i + r.NextInt(j - i); if (b != a) nb.Add((a, b)); }
                }
            i = j;
        }
        // Online: party blocks by sincere vote, then age bands, then closeness on the first issue.
        var byParty = Enumerable.Range(0, e.PartyCount).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < n; i++) byParty[e.SincereVote[i]].Add(i);
        int Band(int i) => Workbench.Electorate.ElectorateSpec.AgeBandOf(e.Age[i]);
        var byAge = Enumerable.Range(0, 6).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < n; i++) byAge[Band(i)].Add(i);
        int[] issueOrder = [], issueRank = [];
        if (o.IssueHomophily > 0)
        {
            issueOrder = Enumerable.Range(0, n).OrderBy(i => e.Position(i, 0)).ThenBy(i => i).ToArray();
            issueRank = new int[n];
            for (int r = 0; r < n; r++) issueRank[issueOrder[r]] = r;
        }
        int window = Math.Max(1, n / 100);
        for (int a = 0; a < n; a++)
        {
            var r = new RandomStream(seed, StreamIds.GraphNeighbourhood, (ulong)a);
            double lambda = o.OnlineDegree / 2 * Math.Min(4.0, (double)e.DigitalFootprint[a]);
            int m = r.Poisson(lambda);
            var own = byParty[e.SincereVote[a]];
            for (int t = 0; t < m; t++)
            {
                int b;
                if (r.NextDouble() < o.PartyHomophily) b = own[r.NextInt(own.Count)];
                else if (o.AgeHomophily > 0 && r.NextDouble() < o.AgeHomophily) { var band = byAge[Band(a)]; b = band[r.NextInt(band.Count)]; }
                else if (o.IssueHomophily > 0 && r.NextDouble() < o.IssueHomophily) b = issueOrder[Math.Clamp(issueRank[a] + r.NextInt(-window, window + 1), 0, n - 1)];
                else b = r.NextInt(n);
                if (b != a) on.Add((a, b));
            }
        }
        var all = new List<(int, int)>(hh.Count + nb.Count + on.Count);
        all.AddRange(hh); all.AddRange(nb); all.AddRange(on);
        return new LayeredGraph(Graph.FromEdges(n, all), Graph.FromEdges(n, hh), Graph.FromEdges(n, nb), Graph.FromEdges(n, on));
    }

    /// <summary>
    /// Each voter's position on issue <paramref name="issue"/> as a rank in [0, 1] ((rank + 0.5) / n, ties broken by voter index):
    /// the opinion scale of cascades (<see cref="CascadeOptions"/>: sharing falls with distance on [0, 1]) and of the online
    /// layer's issue homophily. Ranks rather than raw positions, whose spread depends on the electorate spec, so that the
    /// cascade's distance decay means the same on every electorate.
    /// </summary>
    public static double[] IssueRanks(Workbench.Electorate.Electorate e, int issue = 0)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (issue < 0 || issue >= e.IssueCount) throw new ArgumentOutOfRangeException(nameof(issue), issue, $"the electorate has issues 0..{e.IssueCount - 1}.");
        int n = e.VoterCount;
        var order = Enumerable.Range(0, n).OrderBy(i => e.Position(i, issue)).ThenBy(i => i).ToArray();
        var rank = new double[n];
        for (int r = 0; r < n; r++) rank[order[r]] = (r + 0.5) / n;
        return rank;
    }

    /// <summary>
    /// Exposure diversity: the share of a voter's ties (in <paramref name="g"/>) to voters of another
    /// party, averaged over voters with at least one tie. 0 = perfect echo chamber.
    /// </summary>
    public static double CrossCuttingShare(Graph g, ReadOnlySpan<sbyte> party)
    {
        double sum = 0; int counted = 0;
        for (int i = 0; i < g.NodeCount; i++)
        {
            int d = g.Degree(i);
            if (d == 0) continue;
            int cross = 0;
            for (int k = 0; k < d; k++) if (party[g.Neighbour(i, k)] != party[i]) cross++;
            sum += (double)cross / d; counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }
}
