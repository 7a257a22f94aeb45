using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Workbench.Random;

namespace Workbench.Networks;

/// <summary>Parameters of content spreading through a social graph (MODEL.md §8).</summary>
public sealed record CascadeOptions
{
    [Param("Probability that a voter who sees a post shares it onward when the post matches their opinion exactly.", Min = 0, Max = 1,
        Citation = "Kempe, Kleinberg & Tardos 2003 (independent cascade)")]
    public double Acceptance { get; init; } = 0.3;
    [Param("How fast sharing falls with the distance between the voter's opinion and the post's position: acceptance × exp(−decay × |x − c|).", Min = 0, Max = 100)]
    public double DistanceDecay { get; init; } = 6;
    [Param("Most cascade steps.", Min = 1, Max = 10000)]
    public int MaxSteps { get; init; } = 100;
    [Param("Half-width of a voter's opinion bubble: exposure counts as outside the bubble when |x − c| exceeds it.", Min = 0, Max = 1)]
    public double BubbleWidth { get; init; } = 0.25;
    [Param("Algorithmic bias γ of the platform's feed: a shared post reaches each neighbour with a weight ∝ (ε₀ + |x_i − x_j|)^−γ normalised to mean 1 over the sharer's neighbours (ε₀ = 0.01; each chance capped at 1). 0: every neighbour sees every share.",
        Min = 0, Max = 5, Citation = "Sîrbu, Pedreschi, Giannotti & Kertész 2019 (algorithmic bias, PLoS ONE 14(3)) as the model of ranking")]
    public double Ranking { get; init; }

    /// <summary>ε₀ in the ranking weight (ε₀ + |x_i − x_j|)^−γ: keeps the weight of a neighbour who agrees exactly finite (opinions lie in [0, 1]).</summary>
    public const double RankingEpsilon = 0.01;
}

/// <summary>Who saw political content and from whom.</summary>
/// <param name="Exposures">Times each node saw the content.</param>
/// <param name="Source">The seed whose content reached each node first (−1: never reached).</param>
/// <param name="FirstStep">The step each node first saw it (0 for directly targeted nodes, −1 never).</param>
/// <param name="Shares">Nodes that shared it onward.</param>
/// <param name="Steps">Steps until the cascade stopped.</param>
/// <param name="ReachedShare">Share of nodes that saw it at least once.</param>
/// <param name="OutsideBubbleShare">Among nodes that saw it, the share whose opinion is more than the bubble width from the content.</param>
/// <param name="ExposureGini">Gini coefficient of exposures over all nodes (0: everyone saw it equally often).</param>
public sealed record CascadeResult(ImmutableArray<int> Exposures, ImmutableArray<int> Source, ImmutableArray<int> FirstStep, long Shares, int Steps, double ReachedShare, double OutsideBubbleShare, double ExposureGini)
{
    /// <summary>Nodes that never saw the content: left without this political information.</summary>
    public int Unreached => FirstStep.Count(s => s < 0);
}

/// <summary>
/// Content cascades (MODEL.md §8): owned/earned posts spread from seed nodes by independent cascade
/// (Kempe, Kleinberg &amp; Tardos 2003): every node that shares gives each neighbour one exposure, and the
/// neighbour shares in turn with a probability that falls with the distance between its opinion and the
/// content's position — so earned media stays inside its bubble. Paid content is injected into targeted
/// nodes directly (each target is exposed whatever its opinion) and may then spread organically. With a ranked
/// feed (<see cref="CascadeOptions.Ranking"/> γ &gt; 0, the algorithmic bias of Sîrbu et al. 2019) a share reaches
/// each of the sharer's neighbours only with probability min(1, w), w ∝ (ε₀ + |x_sharer − x_neighbour|)^−γ with
/// mean 1 over the sharer's neighbours, so the feed favours those who already agree. Every draw
/// comes from a stream keyed by the edge, so the result does not depend on processing order.
/// </summary>
public static class Cascades
{
    private const uint StreamCascade = StreamIds.Cascade;

    /// <summary>Earned/owned media: a post at <paramref name="position"/> seeded by <paramref name="seeds"/>, who share it.</summary>
    public static CascadeResult Earned(Graph g, IReadOnlyList<double> opinion, IReadOnlyList<int> seeds, double position, CascadeOptions? options = null, int? seed = null) =>
        Run(g, opinion, seeds, position, options, Seeds.Resolve(seed), paid: false);

    internal static CascadeResult Earned(Graph g, IReadOnlyList<double> opinion, IReadOnlyList<int> seeds, double position, CascadeOptions? options, ulong seed) =>
        Run(g, opinion, seeds, position, options, seed, paid: false);

    /// <summary>Paid media: the post is shown to every target (exposure whatever their opinion); targets who accept it share it onward.</summary>
    public static CascadeResult Paid(Graph g, IReadOnlyList<double> opinion, IReadOnlyList<int> targets, double position, CascadeOptions? options = null, int? seed = null) =>
        Run(g, opinion, targets, position, options, Seeds.Resolve(seed), paid: true);

    internal static CascadeResult Paid(Graph g, IReadOnlyList<double> opinion, IReadOnlyList<int> targets, double position, CascadeOptions? options, ulong seed) =>
        Run(g, opinion, targets, position, options, seed, paid: true);

    private static CascadeResult Run(Graph g, IReadOnlyList<double> x, IReadOnlyList<int> seeds, double c, CascadeOptions? options, ulong seed, bool paid)
    {
        ArgumentNullException.ThrowIfNull(g); ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(seeds);
        var o = options ?? new CascadeOptions();
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(o, "$", errors);
        Parameters.ThrowIfAny(errors);
        int n = g.NodeCount;
        if (x.Count != n) throw new ArgumentException($"opinion has {x.Count} values for {n} nodes.", nameof(x));
        var exposures = new int[n]; var source = new int[n]; var first = new int[n]; var shared = new bool[n];
        Array.Fill(source, -1); Array.Fill(first, -1);
        double Accept(int v) => o.Acceptance * Math.Exp(-o.DistanceDecay * Math.Abs(x[v] - c));
        var frontier = new List<int>();
        var feed = new List<double>();
        foreach (var s in seeds.Distinct().Order())
        {
            if (s < 0 || s >= n) throw new ArgumentOutOfRangeException(nameof(seeds), s, $"seed {s} is not a node (0..{n - 1}).");
            exposures[s]++; source[s] = s; first[s] = 0;
            bool sharesIt = !paid || new RandomStream(seed, StreamCascade, (ulong)s).NextDouble() < Accept(s);
            if (sharesIt) { shared[s] = true; frontier.Add(s); }
        }
        long shares = frontier.Count;
        int step = 0;
        while (frontier.Count > 0 && step < o.MaxSteps)
        {
            step++;
            var next = new List<int>();
            foreach (int u in frontier)
            {
                int d = g.Degree(u);
                if (o.Ranking > 0) FeedWeights(g, x, u, o.Ranking, feed);
                for (int k = 0; k < d; k++)
                {
                    int v = g.Neighbour(u, k);
                    // A ranked feed shows the share to v with probability min(1, w): one draw per edge, on its own stream,
                    // so the unranked cascade (γ = 0) draws exactly what it always drew.
                    if (o.Ranking > 0 && feed[k] < 1
                        && new RandomStream(seed, StreamIds.CascadeFeed, ((ulong)(uint)u << 32) | (uint)k).NextDouble() >= feed[k]) continue;
                    exposures[v]++;
                    if (first[v] < 0) { first[v] = step; source[v] = source[u]; }
                    if (shared[v]) continue;
                    // One draw per directed edge attempt (u → v), keyed by u and the edge's slot.
                    var r = new RandomStream(seed, StreamIds.CascadeEdge, ((ulong)(uint)u << 32) | (uint)k);
                    if (r.NextDouble() < Accept(v)) { shared[v] = true; next.Add(v); }
                }
            }
            next.Sort();
            shares += next.Count;
            frontier = next;
        }
        int reached = 0, outside = 0;
        for (int v = 0; v < n; v++) if (first[v] >= 0) { reached++; if (Math.Abs(x[v] - c) > o.BubbleWidth) outside++; }
        return new CascadeResult(exposures.Frozen(), source.Frozen(), first.Frozen(), shares, step, n == 0 ? 0 : (double)reached / n, reached == 0 ? 0 : (double)outside / reached,
            NetworkMetrics.Gini(exposures.Select(e => (double)e).ToArray()));
    }

    /// <summary>
    /// The ranking weights of <paramref name="u"/>'s neighbours, in slot order: (ε₀ + |x_u − x_v|)^−γ divided by
    /// their mean over u's neighbours (so the weights average 1).
    /// </summary>
    private static void FeedWeights(Graph g, IReadOnlyList<double> x, int u, double gamma, List<double> weights)
    {
        weights.Clear();
        int d = g.Degree(u);
        double sum = 0;
        for (int k = 0; k < d; k++)
        {
            double w = Math.Pow(CascadeOptions.RankingEpsilon + Math.Abs(x[u] - x[g.Neighbour(u, k)]), -gamma);
            weights.Add(w); sum += w;
        }
        double mean = sum / d;
        for (int k = 0; k < d; k++) weights[k] /= mean;
    }
}

/// <summary>Network-level measures of filter bubbles (MODEL.md §8).</summary>
public static class NetworkMetrics
{
    /// <summary>
    /// Echo-chamber index: the Pearson correlation between a node's opinion and the mean opinion of its
    /// neighbours (Cota et al. 2019, PNAS 116(48)); near 0 on a random graph, near 1 when everyone hears only
    /// people who think alike. Nodes without neighbours are left out.
    /// </summary>
    public static double EchoChamberIndex(Graph g, IReadOnlyList<double> opinion)
    {
        var own = new List<double>(); var neigh = new List<double>();
        for (int i = 0; i < g.NodeCount; i++)
        {
            int d = g.Degree(i);
            if (d == 0) continue;
            double s = 0;
            for (int k = 0; k < d; k++) s += opinion[g.Neighbour(i, k)];
            own.Add(opinion[i]); neigh.Add(s / d);
        }
        return Workbench.Statistics.Metrics.Correlation(own.ToArray(), neigh.ToArray());
    }

    /// <summary>Exposure diversity: the mean absolute opinion difference across ties (0: every tie agrees).</summary>
    public static double ExposureDiversity(Graph g, IReadOnlyList<double> opinion)
    {
        double s = 0; long m = 0;
        for (int i = 0; i < g.NodeCount; i++)
            for (int k = 0; k < g.Degree(i); k++) { s += Math.Abs(opinion[i] - opinion[g.Neighbour(i, k)]); m++; }
        return m == 0 ? 0 : s / m;
    }

    /// <summary>Gini coefficient of non-negative amounts (0: all equal; → 1: one holds everything). 0 when all are zero.</summary>
    public static double Gini(IReadOnlyList<double> amounts)
    {
        var a = amounts.ToArray();
        if (a.Any(v => v < 0)) throw new ArgumentException("Gini needs non-negative amounts.", nameof(amounts));
        Array.Sort(a);
        double total = a.Sum();
        if (a.Length == 0 || total == 0) return 0;
        double weighted = 0;
        for (int i = 0; i < a.Length; i++) weighted += (i + 1) * a[i];
        return 2 * weighted / (a.Length * total) - (a.Length + 1.0) / a.Length;
    }
}
