using System.Collections.Immutable;
using Workbench.Random;

namespace Workbench.Networks;

/// <summary>
/// An undirected simple graph in compressed sparse row (CSR) form: the neighbours of node i are
/// <c>Targets[Offsets[i] .. Offsets[i+1]]</c>, sorted. Each edge is stored in both directions, so
/// 1M nodes and 10M CSR entries take about 44 MB. Immutable once built.
/// </summary>
public sealed class Graph
{
    /// <summary>Row offsets, length N+1. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<int> Offsets => OffsetsArray.Frozen();
    /// <summary>The array behind <see cref="Offsets"/>, for the library's own loops.</summary>
    internal int[] OffsetsArray { get; }
    /// <summary>Neighbour lists, concatenated. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<int> Targets => TargetsArray.Frozen();
    /// <summary>The array behind <see cref="Targets"/>, for the library's own loops.</summary>
    internal int[] TargetsArray { get; }
    /// <summary>Number of nodes.</summary>
    public int NodeCount => OffsetsArray.Length - 1;
    /// <summary>Number of undirected edges.</summary>
    public long EdgeCount => TargetsArray.LongLength / 2;
    /// <summary>True for a complete graph stored implicitly (no CSR arrays).</summary>
    public bool IsComplete { get; }

    private Graph(int[] offsets, int[] targets, bool complete) { OffsetsArray = offsets; TargetsArray = targets; IsComplete = complete; }

    /// <summary>The complete graph K_n, stored implicitly: every node is a neighbour of every other.</summary>
    public static Graph Complete(int n)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "a complete graph needs at least 2 nodes.");
        return new Graph(new int[n + 1], [], complete: true);
    }

    /// <summary>Degree of node i.</summary>
    public int Degree(int i) => IsComplete ? NodeCount - 1 : OffsetsArray[i + 1] - OffsetsArray[i];

    /// <summary>The k-th neighbour of node i.</summary>
    public int Neighbour(int i, int k) => IsComplete ? (k < i ? k : k + 1) : TargetsArray[OffsetsArray[i] + k];

    /// <summary>Mean degree.</summary>
    public double MeanDegree => IsComplete ? NodeCount - 1 : (double)TargetsArray.Length / NodeCount;

    /// <summary>Builds a graph from undirected edges (self-loops and duplicates dropped), by counting sort.</summary>
    public static Graph FromEdges(int n, IReadOnlyList<(int A, int B)> edges)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be ≥ 1.");
        var deg = new int[n + 1];
        foreach (var (a, b) in edges)
        {
            if ((uint)a >= n || (uint)b >= n) throw new ArgumentOutOfRangeException(nameof(edges), $"edge ({a},{b}) has a node outside 0..{n - 1}.");
            if (a == b) continue;
            deg[a]++; deg[b]++;
        }
        var offsets = new int[n + 1];
        for (int i = 0; i < n; i++) offsets[i + 1] = offsets[i] + deg[i];
        var targets = new int[offsets[n]];
        var fill = (int[])offsets.Clone();
        foreach (var (a, b) in edges)
        {
            if (a == b) continue;
            targets[fill[a]++] = b; targets[fill[b]++] = a;
        }
        // Sort and deduplicate each row, then compact.
        var newOffsets = new int[n + 1];
        int w = 0;
        for (int i = 0; i < n; i++)
        {
            Array.Sort(targets, offsets[i], offsets[i + 1] - offsets[i]);
            int start = w;
            for (int k = offsets[i]; k < offsets[i + 1]; k++)
                if (w == start || targets[w - 1] != targets[k]) targets[w++] = targets[k];
            newOffsets[i + 1] = w;
        }
        Array.Resize(ref targets, w);
        return new Graph(newOffsets, targets, false);
    }

    /// <summary>Erdős–Rényi G(n, p) with p = meanDegree/(n−1), by geometric skipping over node pairs (Batagelj &amp; Brandes 2005, Phys. Rev. E 71).</summary>
    public static Graph ErdosRenyi(int n, double meanDegree, int? seed) =>
        ErdosRenyi(n, meanDegree, Workbench.Random.Seeds.Resolve(seed));

    internal static Graph ErdosRenyi(int n, double meanDegree, ulong seed)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be ≥ 2.");
        Parameters.Require(nameof(meanDegree), meanDegree, 0, n - 1);
        double p = meanDegree / (n - 1);
        var edges = new List<(int, int)>((int)Math.Min(int.MaxValue / 4, (long)(n * meanDegree / 2 * 1.1) + 16));
        if (p <= 0) return FromEdges(n, edges);
        var rng = new RandomStream(seed, StreamIds.GraphErdosRenyi, 0);
        double logq = Math.Log(1 - Math.Min(p, 1 - 1e-15));
        long v = 1, w = -1;
        while (v < n)
        {
            w += 1 + (long)Math.Floor(Math.Log(rng.NextOpenDouble()) / logq);
            while (w >= v && v < n) { w -= v; v++; }
            if (v < n) edges.Add(((int)v, (int)w));
        }
        return FromEdges(n, edges);
    }

    /// <summary>Watts–Strogatz small world: a ring lattice of even degree k, each edge rewired with probability beta (Watts &amp; Strogatz 1998, Nature 393).</summary>
    public static Graph WattsStrogatz(int n, int k, double beta, int? seed) =>
        WattsStrogatz(n, k, beta, Workbench.Random.Seeds.Resolve(seed));

    internal static Graph WattsStrogatz(int n, int k, double beta, ulong seed)
    {
        if (k < 2 || k % 2 != 0 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be even, ≥ 2 and < n.");
        Parameters.Require(nameof(beta), beta, 0, 1);
        var rng = new RandomStream(seed, StreamIds.GraphWattsStrogatz, 0);
        var edges = new List<(int, int)>(n * k / 2);
        var seen = new HashSet<long>();
        for (int i = 0; i < n; i++)
            for (int j = 1; j <= k / 2; j++)
            {
                int a = i, b = (i + j) % n;
                if (rng.NextDouble() < beta)
                {
                    for (int tries = 0; tries < 32; tries++)
                    {
                        int c = rng.NextInt(n);
                        if (c != a && !seen.Contains(Key(a, c))) { b = c; break; }
                    }
                }
                if (seen.Add(Key(a, b))) edges.Add((a, b));
            }
        return FromEdges(n, edges);
    }

    private static long Key(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;

    /// <summary>Barabási–Albert preferential attachment: each new node links to m existing nodes chosen proportionally to degree (Barabási &amp; Albert 1999, Science 286).</summary>
    public static Graph BarabasiAlbert(int n, int m, int? seed) =>
        BarabasiAlbert(n, m, Workbench.Random.Seeds.Resolve(seed));

    internal static Graph BarabasiAlbert(int n, int m, ulong seed)
    {
        if (m < 1 || m >= n) throw new ArgumentOutOfRangeException(nameof(m), m, "m must be in 1..n−1.");
        var rng = new RandomStream(seed, StreamIds.GraphBarabasiAlbert, 0);
        var edges = new List<(int, int)>(n * m);
        var ends = new List<int>(2 * n * m); // every edge endpoint: sampling uniformly from it is degree-proportional
        for (int i = 0; i <= m; i++) for (int j = 0; j < i; j++) { edges.Add((i, j)); ends.Add(i); ends.Add(j); }
        var chosen = new HashSet<int>();
        for (int v = m + 1; v < n; v++)
        {
            chosen.Clear();
            while (chosen.Count < m) chosen.Add(ends[rng.NextInt(ends.Count)]);
            foreach (var t in chosen.Order()) { edges.Add((v, t)); ends.Add(v); ends.Add(t); }
        }
        return FromEdges(n, edges);
    }

    /// <summary>
    /// Stochastic block model (Holland, Laskey &amp; Leinhardt 1983, Soc. Networks 5): nodes in consecutive blocks of
    /// the given sizes; a pair in blocks (a, b) is tied with probability p[a, b]. Edges of each block pair are drawn
    /// by geometric skipping over its pairs, so sparse graphs of millions of nodes are cheap.
    /// </summary>
    public static Graph StochasticBlockModel(IReadOnlyList<int> blockSizes, double[,] p, int? seed) =>
        StochasticBlockModel(blockSizes, p, Workbench.Random.Seeds.Resolve(seed));

    internal static Graph StochasticBlockModel(IReadOnlyList<int> blockSizes, double[,] p, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(blockSizes); ArgumentNullException.ThrowIfNull(p);
        int B = blockSizes.Count;
        if (B == 0 || p.GetLength(0) != B || p.GetLength(1) != B) throw new ArgumentException($"p must be {B}×{B} for {B} blocks.", nameof(p));
        if (blockSizes.Any(s => s < 1)) throw new ArgumentOutOfRangeException(nameof(blockSizes), "every block needs at least one node.");
        for (int a = 0; a < B; a++) for (int b = 0; b < B; b++)
        {
            Parameters.Require($"p[{a},{b}]", p[a, b], 0, 1);
            if (p[a, b] != p[b, a]) throw new ArgumentException($"p must be symmetric: p[{a},{b}] ≠ p[{b},{a}].", nameof(p));
        }
        var start = new int[B + 1];
        for (int a = 0; a < B; a++) start[a + 1] = checked(start[a] + blockSizes[a]);
        var edges = new List<(int, int)>();
        for (int a = 0; a < B; a++)
            for (int b = a; b < B; b++)
            {
                double q = p[a, b];
                if (q <= 0) continue;
                var rng = new RandomStream(seed, StreamIds.GraphBlocks, (ulong)(a * B + b));
                long pairs = a == b ? (long)blockSizes[a] * (blockSizes[a] - 1) / 2 : (long)blockSizes[a] * blockSizes[b];
                double logq = Math.Log(1 - Math.Min(q, 1 - 1e-15));
                for (long k = -1; ;)
                {
                    k += q >= 1 ? 1 : 1 + (long)Math.Floor(Math.Log(rng.NextOpenDouble()) / logq);
                    if (k >= pairs) break;
                    int u, v;
                    if (a == b)
                    {
                        // k-th pair (u > v) of the block in row-major order of the lower triangle.
                        long r = (long)Math.Floor((1 + Math.Sqrt(1 + 8.0 * k)) / 2);
                        while (r * (r - 1) / 2 > k) r--;
                        while ((r + 1) * r / 2 <= k) r++;
                        u = start[a] + (int)r; v = start[a] + (int)(k - r * (r - 1) / 2);
                    }
                    else { u = start[a] + (int)(k / blockSizes[b]); v = start[b] + (int)(k % blockSizes[b]); }
                    edges.Add((u, v));
                }
            }
        return FromEdges(start[B], edges);
    }

    /// <summary>
    /// Homophilous preferential attachment: as Barabási–Albert, but each of a new node's m ties goes, with
    /// probability <paramref name="homophily"/>, to a node of its own group (chosen proportionally to degree within
    /// the group), otherwise to any node proportionally to degree (after Karimi et al. 2018, Sci. Rep. 8).
    /// </summary>
    public static Graph HomophilousPreferentialAttachment(IReadOnlyList<int> group, int m, double homophily, int? seed) =>
        HomophilousPreferentialAttachment(group, m, homophily, Workbench.Random.Seeds.Resolve(seed));

    internal static Graph HomophilousPreferentialAttachment(IReadOnlyList<int> group, int m, double homophily, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(group);
        int n = group.Count;
        if (m < 1 || m >= n) throw new ArgumentOutOfRangeException(nameof(m), m, "m must be in 1..n−1.");
        Parameters.Require(nameof(homophily), homophily, 0, 1);
        var rng = new RandomStream(seed, StreamIds.GraphHomophilous, 0);
        var edges = new List<(int, int)>(n * m);
        var ends = new List<int>(2 * n * m);
        var groupEnds = new Dictionary<int, List<int>>();
        List<int> G(int v) => groupEnds.TryGetValue(group[v], out var l) ? l : groupEnds[group[v]] = [];
        void Tie(int a, int b) { edges.Add((a, b)); ends.Add(a); ends.Add(b); G(a).Add(a); G(b).Add(b); }
        for (int i = 0; i <= m; i++) for (int j = 0; j < i; j++) Tie(i, j);
        var chosen = new HashSet<int>();
        for (int v = m + 1; v < n; v++)
        {
            chosen.Clear();
            var own = G(v);
            for (int tries = 0; chosen.Count < m && tries < 64 * m; tries++)
            {
                int t = own.Count > 0 && rng.NextDouble() < homophily ? own[rng.NextInt(own.Count)] : ends[rng.NextInt(ends.Count)];
                if (t != v) chosen.Add(t);
            }
            foreach (var t in chosen.Order()) Tie(v, t);
        }
        return FromEdges(n, edges);
    }
}
