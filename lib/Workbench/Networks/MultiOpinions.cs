using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Diagnostics;
using Workbench.Random;
using Workbench.Statistics;

namespace Workbench.Networks;

/// <summary>The result of a run on several issue dimensions: final opinions (row-major, node × dimension) and metrics.</summary>
public sealed record MultiOpinionRun(ImmutableArray<double> Opinions, int Dimensions, int Steps, bool Converged, long Interactions, double InteractionsPerSecond, IReadOnlyList<MetricRow> Series)
{
    /// <summary>Final metrics.</summary>
    public MultiOpinionMetrics Metrics => MultiOpinionMetrics.Of(Opinions.Raw(), Dimensions);

    /// <summary>The opinions on dimension <paramref name="d"/>.</summary>
    public double[] Dimension(int d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(d); ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(d, Dimensions);
        var x = new double[Opinions.Length / Dimensions];
        for (int i = 0; i < x.Length; i++) x[i] = Opinions[i * Dimensions + d];
        return x;
    }
}

/// <summary>
/// Metrics of opinions on several issues: per-dimension metrics (<see cref="OpinionMetrics"/>), major clusters in the joint
/// opinion space (points closer than <see cref="OpinionMetrics.ClusterGap"/> in Euclidean distance, single linkage; a cluster is
/// major with at least <see cref="OpinionMetrics.MajorShare"/> of agents), and issue alignment — the mean absolute correlation
/// between dimensions, the "constraint" of belief systems whose rise is a form of polarisation (Baldassarri &amp; Gelman 2008,
/// Am. J. Sociol. 114(2)).
/// </summary>
public sealed record MultiOpinionMetrics(IReadOnlyList<OpinionMetrics> PerDimension, int JointClusters, int JointMajorClusters, double Alignment)
{
    /// <summary>Computes the metrics of row-major opinions (node × dimension).</summary>
    public static MultiOpinionMetrics Of(double[] x, int dims)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = x.Length / dims;
        var cols = Enumerable.Range(0, dims).Select(d => { var c = new double[n]; for (int i = 0; i < n; i++) c[i] = x[(long)i * dims + d]; return c; }).ToArray();
        var per = cols.Select(c => OpinionMetrics.Of(c)).ToArray();
        // Joint single-linkage clusters: sweep points sorted on the first dimension; only points within the gap on it can link.
        var order = Enumerable.Range(0, n).OrderBy(i => cols[0][i]).ThenBy(i => i).ToArray();
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int a) { while (parent[a] != a) { parent[a] = parent[parent[a]]; a = parent[a]; } return a; }
        double gap2 = OpinionMetrics.ClusterGap * OpinionMetrics.ClusterGap;
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n && cols[0][order[b]] - cols[0][order[a]] <= OpinionMetrics.ClusterGap; b++)
            {
                double s = 0;
                for (int d = 0; d < dims; d++) { double t = x[(long)order[a] * dims + d] - x[(long)order[b] * dims + d]; s += t * t; }
                if (s <= gap2) { int ra = Find(order[a]), rb = Find(order[b]); if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb); }
            }
        var sizes = new Dictionary<int, int>();
        for (int i = 0; i < n; i++) { int r = Find(i); sizes[r] = sizes.GetValueOrDefault(r) + 1; }
        int major = sizes.Values.Count(s => s >= OpinionMetrics.MajorShare * n);
        double align = 0; int pairs = 0;
        for (int a = 0; a < dims; a++) for (int b = a + 1; b < dims; b++) { align += Math.Abs(Correlation(cols[a], cols[b])); pairs++; }
        return new MultiOpinionMetrics(per, sizes.Count, major, pairs > 0 ? align / pairs : 0);
    }

    /// <summary>Pearson correlation of two issues; 0 when either does not vary.</summary>
    private static double Correlation(double[] a, double[] b) => Statistics.Metrics.Correlation(a, b) is var r && double.IsNaN(r) ? 0 : r;

    internal void AddTo(List<MetricRow> rows, int replicate, int step)
    {
        for (int d = 0; d < PerDimension.Count; d++)
        {
            rows.Add(new(replicate, step, $"variance[{d}]", PerDimension[d].Variance));
            rows.Add(new(replicate, step, $"major_clusters[{d}]", PerDimension[d].MajorClusters));
        }
        rows.Add(new(replicate, step, "joint_major_clusters", JointMajorClusters));
        rows.Add(new(replicate, step, "alignment", Alignment));
    }
}

/// <summary>
/// Opinion dynamics on several issue dimensions at once (MODEL.md §8: "one or more issue dimensions"): opinions are points in
/// [0, 1]^D and distances Euclidean (the multidimensional bounded-confidence models surveyed by Lorenz 2007, Int. J. Mod. Phys. C
/// 18(12)). Deffuant and algorithmic bias: a random node and a neighbour (biased by distance^(−γ)) both move μ of the way towards
/// each other on every dimension when closer than ε; Hegselmann–Krause: every node moves to the mean of the neighbours within ε
/// (and itself); DeGroot: to the mean of all neighbours and itself; voter: a node copies a neighbour's whole opinion vector.
/// With one dimension every model draws the same random numbers and gives exactly the result of <see cref="Opinions.Run(OpinionModel, Graph, double[], OpinionParameters, int?, int, int)"/> (tested).
/// </summary>
public static class MultiOpinions
{
    /// <summary>Initial opinions uniform on [0, 1]^D (row-major; with D = 1 the same as <see cref="Opinions.Uniform(int, int?)"/>).</summary>
    public static double[] Uniform(int n, int dimensions, int? seed) =>
        Uniform(n, dimensions, Workbench.Random.Seeds.Resolve(seed));

    internal static double[] Uniform(int n, int dimensions, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        return Opinions.Uniform(checked(n * dimensions), seed);
    }

    /// <summary>Runs a model on <paramref name="dimensions"/> issues. Synchronous models use <paramref name="threads"/>; results do not depend on it.</summary>
    public static MultiOpinionRun Run(OpinionModel model, Graph g, double[] initial, int dimensions, OpinionParameters p, int? seed, int threads = 1, int replicate = 0) =>
        Run(model, g, initial, dimensions, p, Workbench.Random.Seeds.Resolve(seed), threads, replicate);

    internal static MultiOpinionRun Run(OpinionModel model, Graph g, double[] initial, int dimensions, OpinionParameters p, ulong seed, int threads = 1, int replicate = 0)
    {
        ArgumentNullException.ThrowIfNull(g); ArgumentNullException.ThrowIfNull(initial); ArgumentNullException.ThrowIfNull(p);
        if (dimensions is < 1 or > 50) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "dimensions must be between 1 and 50.");
        p.Validate();
        int n = g.NodeCount, D = dimensions;
        if (initial.Length != (long)n * D) throw new ArgumentException($"initial has {initial.Length} values; the graph has {n} nodes × {D} dimensions = {(long)n * D}.", nameof(initial));
        var x = (double[])initial.Clone();
        var next = new double[x.Length];
        var series = new List<MetricRow>();
        void Record(int step) { if (p.RecordMetrics) MultiOpinionMetrics.Of(x, D).AddTo(series, replicate, step); }
        Record(0);
        var rng = new RandomStream(seed, StreamIds.OpinionsRun, (ulong)replicate);
        var weights = new double[g.IsComplete ? n : Math.Max(1, Enumerable.Range(0, n).Select(g.Degree).DefaultIfEmpty(1).Max())];
        double eps2 = p.Epsilon * p.Epsilon;
        double Dist2(double[] v, int i, int j) { double s = 0; for (int d = 0; d < D; d++) { double t = v[(long)j * D + d] - v[(long)i * D + d]; s += t * t; } return s; }
        // Within the confidence bound: |Δ| < ε in one dimension (exactly as the one-dimensional model), ‖Δ‖² < ε² otherwise.
        bool Close(double[] v, int i, int j) => D == 1 ? Math.Abs(v[j] - v[i]) < p.Epsilon : Dist2(v, i, j) < eps2;
        int steps = 0, quiet = 0; bool converged = false; long interactions = 0;
        var sw = Stopwatch.StartNew();
        for (int s = 1; s <= p.Steps; s++)
        {
            double moved = 0;
            switch (model)
            {
                case OpinionModel.Deffuant:
                case OpinionModel.AlgorithmicBias:
                    for (int t = 0; t < n; t++)
                    {
                        int i = rng.NextInt(n), deg = g.Degree(i);
                        if (deg == 0) continue;
                        int j = model == OpinionModel.AlgorithmicBias && p.Gamma > 0 ? Biased(g, x, D, i, deg, p.Gamma, p.BiasFloor, weights, ref rng) : g.Neighbour(i, rng.NextInt(deg));
                        if (Close(x, i, j))
                            for (int d = 0; d < D; d++)
                            {
                                double step = p.Mu * (x[(long)j * D + d] - x[(long)i * D + d]);
                                x[(long)i * D + d] += step; x[(long)j * D + d] -= step;
                                moved = Math.Max(moved, Math.Abs(step));
                            }
                    }
                    interactions += n;
                    break;
                case OpinionModel.Voter:
                    for (int t = 0; t < n; t++)
                    {
                        int i = rng.NextInt(n), deg = g.Degree(i);
                        if (deg == 0) continue;
                        int j = g.Neighbour(i, rng.NextInt(deg));
                        for (int d = 0; d < D; d++) { moved = Math.Max(moved, Math.Abs(x[(long)j * D + d] - x[(long)i * D + d])); x[(long)i * D + d] = x[(long)j * D + d]; }
                    }
                    interactions += n;
                    break;
                case OpinionModel.HegselmannKrause:
                case OpinionModel.DeGroot:
                    bool hk = model == OpinionModel.HegselmannKrause;
                    var cur = x; var nxt = next;
                    moved = DeterministicParallel.MapReduce(n, threads, (a, b) =>
                    {
                        double m = 0;
                        Span<double> sum = stackalloc double[D];
                        for (long ii = a; ii < b; ii++)
                        {
                            int i = (int)ii, c = 1, deg = g.Degree(i);
                            for (int d = 0; d < D; d++) sum[d] = cur[(long)i * D + d];
                            for (int k = 0; k < deg; k++)
                            {
                                int j = g.Neighbour(i, k);
                                if (hk && !Close(cur, i, j)) continue;
                                for (int d = 0; d < D; d++) sum[d] += cur[(long)j * D + d];
                                c++;
                            }
                            for (int d = 0; d < D; d++) { nxt[(long)i * D + d] = sum[d] / c; m = Math.Max(m, Math.Abs(nxt[(long)i * D + d] - cur[(long)i * D + d])); }
                        }
                        return m;
                    }, 0.0, Math.Max, chunk: 8192);
                    (x, next) = (next, x);
                    interactions += g.IsComplete ? (long)n * (n - 1) : g.TargetsArray.LongLength;
                    break;
            }
            steps = s;
            if (s % p.RecordEvery == 0) Record(s);
            quiet = moved <= p.Tolerance ? quiet + 1 : 0;
            if (quiet >= Math.Max(1, p.SteadySteps) && model != OpinionModel.Voter) { converged = true; break; }
        }
        sw.Stop();
        if (steps % p.RecordEvery != 0) Record(steps);
        return new MultiOpinionRun(x.Frozen(), D, steps, converged, interactions, interactions / Math.Max(1e-9, sw.Elapsed.TotalSeconds), series);
    }

    /// <summary>Sîrbu et al.'s biased partner choice with Euclidean distance (distance floored at <see cref="OpinionParameters.BiasFloor"/>, as in the one-dimensional model).</summary>
    private static int Biased(Graph g, double[] x, int D, int i, int deg, double gamma, double floor, double[] w, ref RandomStream rng)
    {
        double total = 0;
        for (int k = 0; k < deg; k++)
        {
            int j = g.Neighbour(i, k);
            double s = 0;
            for (int d = 0; d < D; d++) { double t = x[(long)j * D + d] - x[(long)i * D + d]; s += t * t; }
            double dist = Math.Max(D == 1 ? Math.Abs(x[j] - x[i]) : Math.Sqrt(s), floor);
            double v = gamma == 1 ? 1 / dist : Math.Pow(dist, -gamma);
            total += v; w[k] = total;
        }
        double u = rng.NextDouble() * total;
        int lo = 0, hi = deg - 1;
        while (lo < hi) { int mid = (lo + hi) >> 1; if (w[mid] > u) hi = mid; else lo = mid + 1; }
        return g.Neighbour(i, lo);
    }
}
