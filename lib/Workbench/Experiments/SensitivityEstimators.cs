using Workbench.Random;

namespace Workbench.Experiments;

public static partial class Sensitivity
{
    /// <summary>S1 and ST of every parameter for one metric, with bootstrap percentile intervals (NaN when the metric is undefined in a run or constant).</summary>
    private static IEnumerable<SobolIndex> SobolIndices(SensitivityDesign design, string metric, double[] y, bool usable, int bootstrap, double confidence, int? threads)
    {
        int k = design.Parameters.Count, n = design.Samples, per = k + 2;
        if (!usable)
            return design.Parameters.Select(p => new SobolIndex(metric, p.Name, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN));
        var yA = new double[n]; var yB = new double[n]; var yAB = new double[k][];
        for (int i = 0; i < k; i++) yAB[i] = new double[n];
        for (int j = 0; j < n; j++)
        {
            yA[j] = y[j * per];
            for (int i = 0; i < k; i++) yAB[i][j] = y[j * per + 1 + i];
            yB[j] = y[j * per + per - 1];
        }
        var all = Enumerable.Range(0, n).ToArray();
        var s1 = new double[k]; var st = new double[k];
        SobolEstimate(yA, yB, yAB, all, s1, st);
        // Bootstrap: resample the N rows with replacement (the same rows for every parameter), B times.
        var bs1 = new double[bootstrap][]; var bst = new double[bootstrap][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = DeterministicParallel.ResolveThreads(threads) };
        Parallel.For(0, bootstrap, options, b =>
        {
            var rng = new RandomStream(Seeds.Resolve(design.Seed), BootstrapStream, (ulong)b);
            var rows = new int[n];
            for (int j = 0; j < n; j++) rows[j] = rng.NextInt(n);
            bs1[b] = new double[k]; bst[b] = new double[k];
            SobolEstimate(yA, yB, yAB, rows, bs1[b], bst[b]);
        });
        double lo = (1 - confidence) / 2, hi = 1 - lo;
        return Enumerable.Range(0, k).Select(i =>
        {
            var a = bs1.Select(r => r[i]).ToArray(); var t = bst.Select(r => r[i]).ToArray();
            return new SobolIndex(metric, design.Parameters[i].Name, s1[i], Percentile(a, lo), Percentile(a, hi), st[i], Percentile(t, lo), Percentile(t, hi));
        }).ToArray();
    }

    /// <summary>
    /// The estimators on the rows <paramref name="rows"/>: V = variance of f(A) and f(B) together; S1_i = mean of
    /// f(B)·(f(A_B^i) − f(A)) / V (Saltelli et al. 2010); ST_i = mean of (f(A) − f(A_B^i))² / (2V) (Jansen 1999).
    /// Outputs are centred on the mean of f(A) and f(B) first, which leaves both estimators' expectations unchanged and
    /// keeps the first-order one accurate when the output's mean is large against its spread.
    /// </summary>
    internal static void SobolEstimate(double[] yA, double[] yB, double[][] yAB, int[] rows, Span<double> s1, Span<double> st)
    {
        int n = rows.Length;
        double mean = 0;
        foreach (int r in rows) mean += yA[r] + yB[r];
        mean /= 2.0 * n;
        double v = 0;
        foreach (int r in rows) v += (yA[r] - mean) * (yA[r] - mean) + (yB[r] - mean) * (yB[r] - mean);
        v /= 2.0 * n;
        for (int i = 0; i < yAB.Length; i++)
        {
            double first = 0, total = 0;
            var ab = yAB[i];
            foreach (int r in rows)
            {
                first += (yB[r] - mean) * (ab[r] - yA[r]);
                total += (yA[r] - ab[r]) * (yA[r] - ab[r]);
            }
            s1[i] = v > 0 ? first / n / v : double.NaN;
            st[i] = v > 0 ? total / (2.0 * n) / v : double.NaN;
        }
    }

    /// <summary>The <paramref name="p"/> quantile of the finite values (linear interpolation between order statistics, Hyndman &amp; Fan type 7); NaN when none is finite.</summary>
    internal static double Percentile(double[] values, double p)
    {
        var x = values.Where(double.IsFinite).ToArray();
        if (x.Length == 0) return double.NaN;
        Array.Sort(x);
        double h = (x.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        return lo + 1 < x.Length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
    }

    /// <summary>μ, μ* and σ of the elementary effects of every parameter for one metric.</summary>
    private static IEnumerable<MorrisIndex> MorrisIndices(SensitivityDesign design, string metric, double[] y, bool usable)
    {
        int k = design.Parameters.Count;
        var effects = Enumerable.Range(0, k).Select(_ => new List<double>()).ToArray();
        if (usable)
            for (int run = 0; run < design.Runs; run++)
            {
                int i = design.Varied[run];
                if (i < 0) continue;
                double du = design.Unit[run][i] - design.Unit[run - 1][i];
                effects[i].Add((y[run] - y[run - 1]) / du);
            }
        return Enumerable.Range(0, k).Select(i =>
        {
            var e = effects[i];
            if (e.Count == 0) return new MorrisIndex(metric, design.Parameters[i].Name, double.NaN, double.NaN, double.NaN);
            double mu = e.Average(), muStar = e.Average(Math.Abs);
            double sigma = e.Count > 1 ? Math.Sqrt(e.Sum(x => (x - mu) * (x - mu)) / (e.Count - 1)) : double.NaN;
            return new MorrisIndex(metric, design.Parameters[i].Name, mu, muStar, sigma);
        }).ToArray();
    }
}
