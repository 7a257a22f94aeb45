namespace Workbench.Statistics;

/// <summary>
/// Tests over replicates: Student's t test of a mean against zero and Holm's adjustment for a family of such tests. A chapter
/// that states verdicts on several comparisons from the same runs adjusts them together, so that the chance of calling any
/// true null "significant" stays at most α for the family (Holm 1979, Scandinavian Journal of Statistics 6(2)).
/// </summary>
public static class Significance
{
    /// <summary>
    /// Two-sided p-value of Student's t statistic <paramref name="t"/> with <paramref name="df"/> degrees of freedom:
    /// P(|T| ≥ |t|) = I_x(df/2, 1/2) with x = df / (df + t²), the regularized incomplete beta function.
    /// </summary>
    public static double StudentTwoSidedP(double t, int df)
    {
        if (df < 1) throw new ArgumentOutOfRangeException(nameof(df), df, "degrees of freedom must be at least 1.");
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        double x = df / (df + t * t);
        return Math.Clamp(RegularizedIncompleteBeta(df / 2.0, 0.5, x), 0, 1);
    }

    /// <summary>
    /// Two-sided p-value of the one-sample t test that the mean of <paramref name="values"/> (for example paired differences
    /// over replicates) is zero; NaN for fewer than two values; 0 or 1 when every value is the same (non-zero or zero).
    /// </summary>
    public static double MeanZeroP(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.ToArray();
        if (v.Length < 2) return double.NaN;
        double mean = v.Average();
        double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        if (sd == 0) return mean == 0 ? 1 : 0;
        return StudentTwoSidedP(mean / (sd / Math.Sqrt(v.Length)), v.Length - 1);
    }

    /// <summary>
    /// Holm's step-down adjustment of a family of p-values: sorted ascending, the k-th smallest (k from 0) is multiplied by
    /// m − k and the results are made non-decreasing and capped at 1. Reject a hypothesis at level α when its adjusted
    /// p-value is at most α. Returned in the order given; NaN stays NaN and does not count in m.
    /// </summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var adjusted = new double[pValues.Count];
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        for (int i = 0; i < pValues.Count; i++) if (double.IsNaN(pValues[i])) adjusted[i] = double.NaN;
        double running = 0;
        for (int k = 0; k < order.Length; k++)
        {
            double p = pValues[order[k]];
            if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(pValues), p, "p-values lie in [0, 1].");
            running = Math.Max(running, Math.Min(1, (order.Length - k) * p));
            adjusted[order[k]] = running;
        }
        return adjusted;
    }

    /// <summary>I_x(a, b) by its continued fraction (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.</summary>
    internal static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lnFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(lnFront) * ContinuedFraction(a, b, x) / a
            : 1 - Math.Exp(lnFront) * ContinuedFraction(b, a, 1 - x) / b;
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300, epsilon = 1e-15;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++)
        {
            int m2 = 2 * m;
            double step = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + step * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + step / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d; h *= d * c;
            step = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + step * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + step / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < epsilon) return h;
        }
        return h;
    }

    /// <summary>ln Γ(z) for z &gt; 0 (Lanczos approximation, g = 7, nine coefficients; relative error below 1e-14).</summary>
    internal static double LogGamma(double z)
    {
        ReadOnlySpan<double> c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (z < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * z))) - LogGamma(1 - z);
        z -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++) sum += c[i] / (z + i);
        double t = z + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (z + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
