namespace Workbench.Statistics;

/// <summary>
/// Evaluation metrics of MODEL.md §4: discrimination (AUC), accuracy of probabilities (Brier score,
/// calibration curve), campaign usefulness (precision in the top decile) and, for uplift models,
/// the Qini coefficient and uplift AUC (Radcliffe 2007; Gutierrez &amp; Gérardy 2017). All are exact and
/// deterministic: ties in scores are handled by averaging ranks, and orders break ties by index.
/// </summary>
public static class Metrics
{
    /// <summary>Area under the ROC curve: the probability that a random positive scores above a random negative (ties count half). NaN without both classes.</summary>
    public static double Auc(ReadOnlySpan<double> score, ReadOnlySpan<bool> label)
    {
        if (score.Length != label.Length) throw new ArgumentException("score and label lengths differ.");
        int n = score.Length;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = score.ToArray();
        Array.Sort(keys, order);
        double rankSumPos = 0; long pos = 0;
        int i = 0;
        while (i < n)
        {
            int j = i;
            while (j + 1 < n && keys[j + 1] == keys[i]) j++;
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) if (label[order[k]]) { rankSumPos += avgRank; pos++; }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }

    /// <summary>Brier score: mean squared difference between predicted probability and outcome.</summary>
    public static double Brier(ReadOnlySpan<double> p, ReadOnlySpan<bool> label)
    {
        if (p.Length != label.Length) throw new ArgumentException("p and label lengths differ.");
        double s = 0;
        for (int i = 0; i < p.Length; i++) { double d = p[i] - (label[i] ? 1 : 0); s += d * d; }
        return p.Length == 0 ? double.NaN : s / p.Length;
    }

    /// <summary>Calibration curve: for <paramref name="bins"/> equal-width bins of predicted probability, the mean prediction, the observed rate and the count.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(ReadOnlySpan<double> p, ReadOnlySpan<bool> label, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var sp = new double[bins]; var so = new double[bins]; var cnt = new long[bins];
        for (int i = 0; i < p.Length; i++)
        {
            int b = Math.Clamp((int)(p[i] * bins), 0, bins - 1);
            sp[b] += p[i]; so[b] += label[i] ? 1 : 0; cnt[b]++;
        }
        return Enumerable.Range(0, bins).Select(b => new CalibrationBin((b + 0.5) / bins, cnt[b] > 0 ? sp[b] / cnt[b] : double.NaN, cnt[b] > 0 ? so[b] / cnt[b] : double.NaN, cnt[b])).ToArray();
    }

    /// <summary>Share of positives among the top <paramref name="fraction"/> of scores (ties broken by index).</summary>
    public static double TopPrecision(ReadOnlySpan<double> score, ReadOnlySpan<bool> label, double fraction = 0.1)
    {
        int k = Math.Max(1, (int)Math.Round(score.Length * fraction));
        var order = Ranked(score);
        int hits = 0;
        for (int r = 0; r < k; r++) if (label[order[r]]) hits++;
        return (double)hits / k;
    }

    /// <summary>Indices by descending score, ties by index.</summary>
    internal static int[] Ranked(ReadOnlySpan<double> score)
    {
        var s = score.ToArray();
        var order = Enumerable.Range(0, s.Length).ToArray();
        Array.Sort(order, (a, b) => s[b] != s[a] ? s[b].CompareTo(s[a]) : a.CompareTo(b));
        return order;
    }

    /// <summary>
    /// The Qini curve of an uplift score on a randomised test: after targeting the top t units, the
    /// incremental positives Y_T(t) − Y_C(t)·N_T(t)/N_C(t). Returns the curve at <paramref name="points"/>
    /// evenly spaced fractions (0 .. 1), normalised by the number of units.
    /// </summary>
    public static double[] QiniCurve(ReadOnlySpan<double> uplift, ReadOnlySpan<bool> treated, ReadOnlySpan<bool> outcome, int points = 100)
    {
        var order = Ranked(uplift);
        int n = order.Length;
        var curve = new double[points + 1];
        double yt = 0, yc = 0, nt = 0, nc = 0;
        int next = 1;
        for (int r = 0; r < n; r++)
        {
            int i = order[r];
            if (treated[i]) { nt++; if (outcome[i]) yt++; } else { nc++; if (outcome[i]) yc++; }
            while (next <= points && r + 1 >= (long)next * n / points)
            {
                curve[next] = (yt - (nc > 0 ? yc * nt / nc : 0)) / n;
                next++;
            }
        }
        return curve;
    }

    /// <summary>Qini coefficient: area between the Qini curve and the straight line of random targeting (positive: the score finds responders).</summary>
    public static double Qini(ReadOnlySpan<double> uplift, ReadOnlySpan<bool> treated, ReadOnlySpan<bool> outcome, int points = 100)
    {
        var c = QiniCurve(uplift, treated, outcome, points);
        double area = 0, last = c[^1];
        for (int k = 1; k <= points; k++) area += (c[k] + c[k - 1]) / 2 / points - (last * (k - 0.5) / points) / points;
        return area;
    }

    /// <summary>Uplift AUC: area under the uplift curve (treated rate − control rate among the top t, times t), in [−1, 1]-scale units per unit.</summary>
    public static double UpliftAuc(ReadOnlySpan<double> uplift, ReadOnlySpan<bool> treated, ReadOnlySpan<bool> outcome, int points = 100)
    {
        var order = Ranked(uplift);
        int n = order.Length;
        double yt = 0, yc = 0, nt = 0, nc = 0, area = 0, prev = 0;
        int next = 1;
        for (int r = 0; r < n; r++)
        {
            int i = order[r];
            if (treated[i]) { nt++; if (outcome[i]) yt++; } else { nc++; if (outcome[i]) yc++; }
            while (next <= points && r + 1 >= (long)next * n / points)
            {
                double u = (nt > 0 && nc > 0 ? yt / nt - yc / nc : 0) * (r + 1) / n;
                area += (u + prev) / 2 / points; prev = u; next++;
            }
        }
        return area;
    }

    /// <summary>Pearson correlation (NaN when either side is constant).</summary>
    public static double Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length; my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my); }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}

/// <summary>One bin of a calibration curve.</summary>
public readonly record struct CalibrationBin(double Centre, double MeanPredicted, double ObservedRate, long Count);
