namespace Workbench.Electorate;

/// <summary>
/// Iterative proportional fitting (Deming &amp; Stephan 1940, Ann. Math. Stat. 11(4)) of a
/// three-way table to its one-way marginals: the seed table carries the association structure
/// (e.g. education with income), the fit matches the target marginals while keeping the seed's
/// odds ratios.
/// </summary>
public static class Ipf
{
    /// <summary>
    /// Fits <paramref name="table"/> (dimensions a×b×c, row-major, positive) in place to the
    /// marginals; returns the number of sweeps. Stops when every marginal is within
    /// <paramref name="tolerance"/> or after <paramref name="maxSweeps"/>.
    /// </summary>
    public static int Fit(double[] table, ReadOnlySpan<double> m0, ReadOnlySpan<double> m1, ReadOnlySpan<double> m2,
        double tolerance = 1e-10, int maxSweeps = 200)
    {
        int a = m0.Length, b = m1.Length, c = m2.Length;
        if (table.Length != a * b * c) throw new ArgumentException($"table has {table.Length} cells; marginals imply {a}×{b}×{c}.", nameof(table));
        Span<double> sum = stackalloc double[Math.Max(a, Math.Max(b, c))];
        for (int sweep = 1; sweep <= maxSweeps; sweep++)
        {
            double worst = 0;
            // dimension 0
            sum.Clear();
            for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++) sum[i] += table[(i * b + j) * c + k];
            for (int i = 0; i < a; i++) { worst = Math.Max(worst, Math.Abs(sum[i] - m0[i])); double f = sum[i] > 0 ? m0[i] / sum[i] : 0; for (int j = 0; j < b; j++) for (int k = 0; k < c; k++) table[(i * b + j) * c + k] *= f; }
            // dimension 1
            sum.Clear();
            for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++) sum[j] += table[(i * b + j) * c + k];
            for (int j = 0; j < b; j++) { worst = Math.Max(worst, Math.Abs(sum[j] - m1[j])); double f = sum[j] > 0 ? m1[j] / sum[j] : 0; for (int i = 0; i < a; i++) for (int k = 0; k < c; k++) table[(i * b + j) * c + k] *= f; }
            // dimension 2
            sum.Clear();
            for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++) sum[k] += table[(i * b + j) * c + k];
            for (int k = 0; k < c; k++) { worst = Math.Max(worst, Math.Abs(sum[k] - m2[k])); double f = sum[k] > 0 ? m2[k] / sum[k] : 0; for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) table[(i * b + j) * c + k] *= f; }
            if (worst < tolerance) return sweep;
        }
        return maxSweeps;
    }

    /// <summary>The one-way marginal of dimension <paramref name="dim"/> (0, 1 or 2) of an a×b×c table.</summary>
    public static double[] Marginal(double[] table, int a, int b, int c, int dim)
    {
        var m = new double[dim == 0 ? a : dim == 1 ? b : c];
        for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) for (int k = 0; k < c; k++)
            m[dim == 0 ? i : dim == 1 ? j : k] += table[(i * b + j) * c + k];
        return m;
    }
}
