using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Diagnostics;
using Workbench.Random;
using Workbench.Statistics;

namespace Workbench.Networks;

/// <summary>Opinion-dynamics models (MODEL.md §8).</summary>
public enum OpinionModel
{
    /// <summary>Deffuant et al. (2000, Adv. Complex Syst. 3): random pairs move together by μ when closer than ε (asynchronous).</summary>
    Deffuant,
    /// <summary>Hegselmann &amp; Krause (2002, JASSS 5(3)): everyone moves to the mean of neighbours within ε (synchronous).</summary>
    HegselmannKrause,
    /// <summary>Sîrbu et al. (2019, PLoS ONE 14(3)): Deffuant with partners chosen ∝ |Δ|^(−γ), the algorithmic bias of a recommender.</summary>
    AlgorithmicBias,
    /// <summary>DeGroot (1974, JASA 69): everyone moves to the mean of their neighbours and themselves (synchronous).</summary>
    DeGroot,
    /// <summary>Voter model (Holley &amp; Liggett 1975): a random node copies a random neighbour's opinion (asynchronous).</summary>
    Voter,
}

/// <summary>Parameters of an opinion-dynamics run.</summary>
public sealed record OpinionParameters
{
    [Param("Confidence bound ε: agents interact only if their opinions differ by less than ε.", Min = 0, Max = 1, Citation = "Deffuant et al. 2000")]
    public double Epsilon { get; init; } = 0.32;
    [Param("Convergence parameter μ: the fraction of the distance moved in an interaction.", Min = 0, Max = 0.5, Citation = "Deffuant et al. 2000")]
    public double Mu { get; init; } = 0.5;
    [Param("Algorithmic bias γ: partner choice ∝ |Δ|^(−γ); 0 is no bias.", Min = 0, Max = 10, Citation = "Sîrbu et al. 2019")]
    public double Gamma { get; init; }
    [Param("Steps; one asynchronous step is N pairwise interactions (as NDlib counts).", Min = 1, Max = 1e7)]
    public int Steps { get; init; } = 100;
    [Param("Convergence: stop when no opinion moved more than this in a step.", Min = 0, Max = 1)]
    public double Tolerance { get; init; } = 1e-5;
    [Param("Convergence window: stop only after this many consecutive steps in which no opinion moved more than the tolerance; 0 and 1 stop at the first such step. NDlib's steady state uses 1,000 steps with a tolerance of 10⁻⁵.", Min = 0, Max = 1e7, Citation = "NDlib, Rossetti et al. 2018")]
    public int SteadySteps { get; init; }
    [Param("Algorithmic bias: the distance floor of the partner weight max(|Δ|, floor)^(−γ), so that identical opinions get a finite weight. NDlib's implementation uses 10⁻⁵.", Min = 1e-12, Max = 1, Citation = "NDlib, Rossetti et al. 2018")]
    public double BiasFloor { get; init; } = 1e-4;
    [Param("Record metrics every this many steps.", Min = 1, Max = 1e7)]
    public int RecordEvery { get; init; } = 10;
    [Param("Record the metric time series at all (off for pure throughput runs: metrics sort all opinions).", Min = 0, Max = 1)]
    public bool RecordMetrics { get; init; } = true;

    /// <summary>Throws an ArgumentException naming any out-of-range parameter.</summary>
    public void Validate()
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(this, "$", errors);
        Parameters.ThrowIfAny(errors);
    }
}

/// <summary>One row of the tidy time series: (replicate, step, metric, value).</summary>
public readonly record struct MetricRow(int Replicate, int Step, string Metric, double Value);

/// <summary>The result of a run: final opinions, metrics, steps to convergence, throughput, the time series.</summary>
public sealed record OpinionRun(ImmutableArray<double> Opinions, int Steps, bool Converged, long Interactions, double InteractionsPerSecond, IReadOnlyList<MetricRow> Series)
{
    /// <summary>Final metrics.</summary>
    public OpinionMetrics Metrics => OpinionMetrics.Of(Opinions);
}

/// <summary>Runs opinion dynamics on a graph with 1-D opinions in [0, 1], seeded and deterministic.</summary>
public static class Opinions
{
    /// <summary>Initial opinions uniform on [0, 1].</summary>
    public static double[] Uniform(int n, int? seed) =>
        Uniform(n, Workbench.Random.Seeds.Resolve(seed));

    internal static double[] Uniform(int n, ulong seed)
    {
        var r = new RandomStream(seed, StreamIds.OpinionsInitial, 0);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.NextDouble();
        return x;
    }

    /// <summary>Runs a model. Synchronous models (HK, DeGroot) use <paramref name="threads"/> and give identical results for any count.</summary>
    public static OpinionRun Run(OpinionModel model, Graph g, double[] initial, OpinionParameters p, int? seed, int threads = 1, int replicate = 0) =>
        Run(model, g, initial, p, Workbench.Random.Seeds.Resolve(seed), threads, replicate);

    internal static OpinionRun Run(OpinionModel model, Graph g, double[] initial, OpinionParameters p, ulong seed, int threads = 1, int replicate = 0)
    {
        ArgumentNullException.ThrowIfNull(g); ArgumentNullException.ThrowIfNull(initial); ArgumentNullException.ThrowIfNull(p);
        p.Validate();
        if (initial.Length != g.NodeCount) throw new ArgumentException($"initial has {initial.Length} opinions; the graph has {g.NodeCount} nodes.", nameof(initial));
        var x = (double[])initial.Clone();
        var series = new List<MetricRow>();
        void Record(int step) { if (p.RecordMetrics) OpinionMetrics.Of(x).AddTo(series, replicate, step); }
        Record(0);
        var rng = new RandomStream(seed, StreamIds.OpinionsRun, (ulong)replicate);
        int n = g.NodeCount, steps = 0, quiet = 0;
        bool converged = false;
        long interactions = 0;
        var next = new double[n];
        var weights = new double[g.IsComplete ? n : Math.Max(1, MaxDegree(g))];
        var biasCache = model == OpinionModel.AlgorithmicBias && p.Gamma > 0 && g.IsComplete && n <= BiasWeightCache.MaxNodes ? new BiasWeightCache(n) : null;
        var sw = Stopwatch.StartNew();
        for (int s = 1; s <= p.Steps; s++)
        {
            double moved = 0;
            switch (model)
            {
                case OpinionModel.Deffuant:
                case OpinionModel.AlgorithmicBias:
                    if (!g.IsComplete)
                    {
                        moved = PairwiseCsr(g.OffsetsArray, g.TargetsArray, x, n, model == OpinionModel.AlgorithmicBias ? p.Gamma : 0, p.BiasFloor, p.Epsilon, p.Mu, weights, ref rng);
                        interactions += n;
                        break;
                    }
                    for (int t = 0; t < n; t++)
                    {
                        int i = rng.NextInt(n);
                        int d = g.Degree(i);
                        if (d == 0) continue;
                        int j = model == OpinionModel.AlgorithmicBias && p.Gamma > 0
                            ? (biasCache is null ? BiasedPartner(g, x, i, d, p.Gamma, p.BiasFloor, weights, ref rng) : biasCache.Partner(x, i, p.Gamma, p.BiasFloor, ref rng))
                            : g.Neighbour(i, rng.NextInt(d));
                        double delta = x[j] - x[i];
                        if (Math.Abs(delta) < p.Epsilon)
                        {
                            double step = p.Mu * delta;
                            x[i] += step; x[j] -= step;
                            moved = Math.Max(moved, Math.Abs(step));
                            if (step != 0) biasCache?.Moved();
                        }
                    }
                    interactions += n;
                    break;
                case OpinionModel.Voter:
                    for (int t = 0; t < n; t++)
                    {
                        int i = rng.NextInt(n), d = g.Degree(i);
                        if (d == 0) continue;
                        int j = g.Neighbour(i, rng.NextInt(d));
                        moved = Math.Max(moved, Math.Abs(x[j] - x[i]));
                        x[i] = x[j];
                    }
                    interactions += n;
                    break;
                case OpinionModel.HegselmannKrause:
                case OpinionModel.DeGroot:
                    bool hk = model == OpinionModel.HegselmannKrause;
                    double eps = p.Epsilon;
                    moved = Sweep(g, x, next, hk ? eps : double.PositiveInfinity, threads);
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
        return new OpinionRun(x.Frozen(), steps, converged, interactions, interactions / Math.Max(1e-9, sw.Elapsed.TotalSeconds), series);
    }

    /// <summary>
    /// One synchronous update of every node from <paramref name="x"/> into <paramref name="next"/>: the mean of the
    /// node's own opinion and its neighbours' within <paramref name="epsilon"/> (Hegselmann–Krause; DeGroot
    /// averaging when epsilon is +∞). Parallel over node ranges with identical results for any thread count.
    /// Returns the largest move. <see cref="Run(OpinionModel, Graph, double[], OpinionParameters, int?, int, int)"/> calls this once per step; it is public for experiments that
    /// step the dynamics themselves without allocating.
    /// </summary>
    public static double Sweep(Graph g, double[] x, double[] next, double epsilon, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(g); ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(next);
        int n = g.NodeCount;
        if (x.Length != n || next.Length != n) throw new ArgumentException($"x and next must have one entry per node ({n}).", nameof(x));
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive (+∞ for DeGroot averaging).");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be ≥ 1.");
        if (!g.IsComplete)
            return DeterministicParallel.MapReduce(n, threads, (a, b) => SweepCsr(g.OffsetsArray, g.TargetsArray, x, next, (int)a, (int)b, epsilon), 0.0, Math.Max, chunk: 8192);
        return DeterministicParallel.MapReduce(n, threads, (a, b) =>
        {
            double m = 0;
            for (long ii = a; ii < b; ii++)
            {
                int i = (int)ii;
                double sum = x[i]; int c = 1;
                int d = g.Degree(i);
                for (int k = 0; k < d; k++)
                {
                    double y = x[g.Neighbour(i, k)];
                    if (Math.Abs(y - x[i]) < epsilon) { sum += y; c++; }
                }
                next[i] = sum / c;
                m = Math.Max(m, Math.Abs(next[i] - x[i]));
            }
            return m;
        }, 0.0, Math.Max, chunk: 8192);
    }

    /// <summary>
    /// n asynchronous Deffuant / algorithmic-bias interactions on a CSR graph: the same random draws in the same
    /// order as the general loop (so the same result), with the adjacency read directly and the γ = 1 weight as
    /// a reciprocal. On a large graph every interaction waits for memory (a random node, its adjacency row, its
    /// neighbours' opinions), so the loop looks ahead: a copy of the random stream predicts the nodes of the next
    /// three interactions and their adjacency rows and opinions are prefetched in stages. The prediction only
    /// steers prefetches; the draws that decide the dynamics come from the stream itself, so a wrong guess costs
    /// time, never changes a result. Returns the largest move.
    /// </summary>
    private static unsafe double PairwiseCsr(int[] offsets, int[] targets, double[] x, int n, double gamma, double floor, double eps, double mu, double[] w, ref RandomStream rng)
    {
        const int Ahead = 3;
        bool partnerDraw = gamma > 0; // each interaction draws NextInt(n) then NextDouble (biased) or NextInt(d) (uniform)
        var ring = stackalloc int[Ahead];
        // One predicted interaction: its node, then (skipped) its partner draw.
        int Predict(ref RandomStream s) { int node = s.NextInt(n); if (partnerDraw) s.NextDouble(); else s.NextUInt32(); return node; }
        RandomStream peek = rng;
        for (int a = 0; a < Ahead; a++) ring[a] = Predict(ref peek);
        double moved = 0;
        fixed (double* px = x) fixed (int* pt = targets) fixed (int* po = offsets) fixed (double* pw = w)
        {
            for (int t = 0; t < n; t++)
            {
                int i = rng.NextInt(n);
                if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
                {
                    if (ring[t % Ahead] != i)
                    {
                        // Out of step (a rejected draw or an isolated node): predict again from here.
                        peek = rng;
                        if (partnerDraw) peek.NextDouble(); else peek.NextUInt32();
                        for (int a = 1; a <= Ahead; a++) ring[(t + a) % Ahead] = Predict(ref peek);
                    }
                    else ring[t % Ahead] = Predict(ref peek);
                    // Stage 3 (three ahead): the offsets of the node; stage 2: its adjacency row; stage 1: its neighbours' opinions.
                    int i3 = ring[t % Ahead], i2 = ring[(t + 2) % Ahead], i1 = ring[(t + 1) % Ahead];
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(po + i3);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(px + i3);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(pt + po[i2]);
                    int s1 = po[i1], e1 = po[i1 + 1];
                    for (int k = s1; k < e1; k++) System.Runtime.Intrinsics.X86.Sse.Prefetch0(px + pt[k]);
                }
                int start = po[i], d = po[i + 1] - start;
                if (d == 0) continue;
                int j;
                double xi = px[i];
                if (gamma > 0)
                {
                    double total = 0;
                    for (int k = 0; k < d; k++)
                    {
                        double dist = Math.Max(Math.Abs(px[pt[start + k]] - xi), floor);
                        total += gamma == 1 ? 1 / dist : Math.Pow(dist, -gamma);
                        pw[k] = total;
                    }
                    double u = rng.NextDouble() * total;
                    int lo = 0, hi = d - 1;
                    while (lo < hi) { int mid = (lo + hi) >> 1; if (pw[mid] > u) hi = mid; else lo = mid + 1; }
                    j = pt[start + lo];
                }
                else j = pt[start + rng.NextInt(d)];
                double delta = px[j] - xi;
                if (Math.Abs(delta) < eps)
                {
                    double step = mu * delta;
                    px[i] = xi + step; px[j] -= step;
                    moved = Math.Max(moved, Math.Abs(step));
                }
            }
        }
        return moved;
    }

    /// <summary>
    /// One synchronous bounded-confidence (HK) or averaging (DeGroot, eps = ∞) update of nodes [a, b) on a CSR graph:
    /// next_i = mean of x_i and the neighbours within eps. Branch-free inner loop (an unpredictable branch per edge
    /// costs more than the arithmetic); adds exactly the same terms in the same order as the plain loop, so the
    /// result is bit-identical. Returns the largest move.
    /// </summary>
    private static unsafe double SweepCsr(int[] offsets, int[] targets, double[] x, double[] next, int a, int b, double eps)
    {
        // Neighbours' opinions are random reads in a large array: prefetch the opinion PrefetchDistance edges ahead
        // so that several misses are in flight at once. Prefetches never change a value read.
        const int PrefetchDistance = 48;
        double m = 0;
        int e = offsets[a], lastEdge = targets.Length - 1;
        bool prefetch = System.Runtime.Intrinsics.X86.Sse.IsSupported && lastEdge >= 0;
        fixed (double* px = x) fixed (int* pt = targets)
        {
            for (int i = a; i < b; i++)
            {
                int end = offsets[i + 1];
                double xi = px[i], sum = xi;
                int c = 1;
                for (; e < end; e++)
                {
                    if (prefetch) System.Runtime.Intrinsics.X86.Sse.Prefetch0(px + pt[Math.Min(e + PrefetchDistance, lastEdge)]);
                    double y = px[pt[e]];
                    bool inside = Math.Abs(y - xi) < eps;
                    int w = *(byte*)&inside;
                    sum += w * y; c += w;
                }
                double v = sum / c;
                next[i] = v;
                m = Math.Max(m, Math.Abs(v - xi));
            }
        }
        return m;
    }

    private static int MaxDegree(Graph g)
    {
        int m = 0;
        for (int i = 0; i < g.NodeCount; i++) m = Math.Max(m, g.Degree(i));
        return m;
    }

    /// <summary>
    /// The partner weights of the algorithmic-bias draw on a small complete graph, remembered between interactions. A weight
    /// depends only on the two opinions, so it is recomputed only when either opinion changed since it was last computed
    /// (exact comparison of the opinions it was computed from), and a node's cumulative weights are reused whole when no
    /// opinion has moved since they were summed: the same values, added in the same order, as <see cref="BiasedPartner"/>,
    /// so the same draws and bit-identical runs. With strong bias most interactions pair identical opinions and move
    /// nothing; the draw is then a binary search over remembered sums.
    /// </summary>
    private sealed class BiasWeightCache(int n)
    {
        /// <summary>Largest graph cached (three n × (n − 1) arrays of doubles: 24 MB at 1,024 nodes).</summary>
        public const int MaxNodes = 1024;
        private readonly double[] _rowX = Enumerable.Repeat(double.NaN, n).ToArray();
        private readonly double[] _colX = new double[(long)n * (n - 1)];
        private readonly double[] _w = new double[(long)n * (n - 1)];
        private readonly double[] _cum = new double[(long)n * (n - 1)];
        private readonly long[] _summedAt = Enumerable.Repeat(-1L, n).ToArray();
        private long _moves;

        /// <summary>Call when an opinion has changed: every remembered sum is then stale.</summary>
        public void Moved() => _moves++;

        public int Partner(double[] x, int i, double gamma, double floor, ref RandomStream rng)
        {
            long b = (long)i * (n - 1);
            if (_summedAt[i] != _moves)
            {
                double xi = x[i], total = 0;
                bool rowValid = _rowX[i] == xi;
                for (int k = 0; k < n - 1; k++)
                {
                    double xm = x[k < i ? k : k + 1];
                    double v;
                    if (rowValid && _colX[b + k] == xm) v = _w[b + k];
                    else
                    {
                        double dist = Math.Max(Math.Abs(xm - xi), floor);
                        v = gamma == 1 ? 1 / dist : Math.Pow(dist, -gamma);
                        _w[b + k] = v; _colX[b + k] = xm;
                    }
                    total += v; _cum[b + k] = total;
                }
                _rowX[i] = xi; _summedAt[i] = _moves;
            }
            double u = rng.NextDouble() * _cum[b + n - 2];
            int lo = 0, hi = n - 2;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (_cum[b + mid] > u) hi = mid; else lo = mid + 1; }
            return lo < i ? lo : lo + 1;
        }
    }

    /// <summary>
    /// Sîrbu et al.'s biased partner choice: neighbour j with probability ∝ max(|x_i − x_j|, floor)^(−γ)
    /// (the floor, <see cref="OpinionParameters.BiasFloor"/>, gives identical opinions a finite weight; NDlib's
    /// implementation floors at 10⁻⁵, the library's default is 10⁻⁴). Exact categorical draw over the neighbours.
    /// </summary>
    private static int BiasedPartner(Graph g, double[] x, int i, int d, double gamma, double floor, double[] w, ref RandomStream rng)
    {
        double total = 0, xi = x[i];
        for (int k = 0; k < d; k++)
        {
            double dist = Math.Max(Math.Abs(x[g.Neighbour(i, k)] - xi), floor);
            double v = gamma == 1 ? 1 / dist : Math.Pow(dist, -gamma);
            total += v; w[k] = total;
        }
        double u = rng.NextDouble() * total;
        int lo = 0, hi = d - 1;
        while (lo < hi) { int mid = (lo + hi) >> 1; if (w[mid] > u) hi = mid; else lo = mid + 1; }
        return g.Neighbour(i, lo);
    }
}

/// <summary>Polarisation and fragmentation metrics of a set of 1-D opinions.</summary>
public sealed record OpinionMetrics(double Mean, double Variance, double Bimodality, int Clusters, int MajorClusters, double EstebanRay)
{
    /// <summary>Opinions closer than this belong to the same cluster.</summary>
    public const double ClusterGap = 0.01;
    /// <summary>A major cluster holds at least this share of agents (Deffuant et al. 2000 count major clusters, ignoring a few extremists).</summary>
    public const double MajorShare = 0.02;

    /// <summary>Computes the metrics.</summary>
    public static OpinionMetrics Of(IReadOnlyList<double> x)
    {
        int n = x.Count;
        double mean = x.Average();
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in x) { double d = v - mean; m2 += d * d; m3 += d * d * d; m4 += d * d * d * d; }
        m2 /= n; m3 /= n; m4 /= n;
        double skew = m2 > 0 ? m3 / Math.Pow(m2, 1.5) : 0, kurt = m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
        // Sample bimodality coefficient (SAS): (g² + 1) / (k + 3(n−1)²/((n−2)(n−3))); > 5/9 suggests bimodality.
        double bc = n > 3 ? (skew * skew + 1) / (kurt + 3.0 * (n - 1) * (n - 1) / ((n - 2.0) * (n - 3.0))) : 0;
        var sorted = x.OrderBy(v => v).ToArray();
        var sizes = new List<(double Centre, int Size)>();
        int start = 0;
        for (int i = 1; i <= n; i++)
            if (i == n || sorted[i] - sorted[i - 1] > ClusterGap)
            {
                double c = 0; for (int k = start; k < i; k++) c += sorted[k];
                sizes.Add((c / (i - start), i - start)); start = i;
            }
        int major = sizes.Count(s => s.Size >= MajorShare * n);
        // Esteban & Ray (1994, Econometrica 62(4)) polarisation over clusters, α = 1.6, K = 1.
        double er = 0;
        foreach (var a in sizes) foreach (var b in sizes)
            er += Math.Pow((double)a.Size / n, 2.6) * ((double)b.Size / n) * Math.Abs(a.Centre - b.Centre);
        return new OpinionMetrics(mean, m2, bc, sizes.Count, major, er);
    }

    internal void AddTo(List<MetricRow> rows, int replicate, int step)
    {
        rows.Add(new(replicate, step, "variance", Variance));
        rows.Add(new(replicate, step, "bimodality", Bimodality));
        rows.Add(new(replicate, step, "clusters", Clusters));
        rows.Add(new(replicate, step, "major_clusters", MajorClusters));
        rows.Add(new(replicate, step, "esteban_ray", EstebanRay));
    }
}
