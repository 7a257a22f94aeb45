namespace Workbench.Statistics;

/// <summary>Mean and 95% confidence interval (Student t over replicates).</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Low">Lower end of the 95% interval.</param>
/// <param name="High">Upper end of the 95% interval.</param>
public readonly record struct MeanInterval(double Mean, double Low, double High);

/// <summary>Replicate intervals: the one Student-t interval every summary of the library uses.</summary>
public static class Intervals
{
    /// <summary>Mean with a 95% Student-t interval (a single value gives a zero-width interval; none gives NaN).</summary>
    public static MeanInterval Mean95(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.ToArray();
        if (v.Length == 0) return new MeanInterval(double.NaN, double.NaN, double.NaN);
        double mean = v.Average();
        if (v.Length == 1) return new MeanInterval(mean, mean, mean);
        double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        double half = TQuantile975(v.Length - 1) * sd / Math.Sqrt(v.Length);
        return new MeanInterval(mean, mean - half, mean + half);
    }

    /// <summary>The 97.5% quantile of Student's t with <paramref name="df"/> degrees of freedom (Hill's 1970 series approximation; exact table for df ≤ 10).</summary>
    public static double TQuantile975(int df)
    {
        ReadOnlySpan<double> table = [double.NaN, 12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281];
        if (df < 1) throw new ArgumentOutOfRangeException(nameof(df));
        if (df <= 10) return table[df];
        const double z = 1.959963984540054;
        double g1 = (Math.Pow(z, 3) + z) / 4, g2 = (5 * Math.Pow(z, 5) + 16 * Math.Pow(z, 3) + 3 * z) / 96;
        double g3 = (3 * Math.Pow(z, 7) + 19 * Math.Pow(z, 5) + 17 * Math.Pow(z, 3) - 15 * z) / 384;
        return z + g1 / df + g2 / (df * (double)df) + g3 / Math.Pow(df, 3);
    }
}
