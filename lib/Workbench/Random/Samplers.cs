using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Workbench.Random;

/// <summary>
/// Samplers over a <see cref="RandomStream"/> (extension methods on <c>ref RandomStream</c>,
/// so <c>rng.Gamma(2, 1)</c> advances the caller's stream). Every sampler is exact (no
/// normal approximations) and validates its parameters, naming the parameter and its range.
/// </summary>
public static class Samplers
{
    /// <summary>Uniform on [min, max).</summary>
    public static double Uniform(this ref RandomStream rng, double min, double max)
    {
        if (!(max > min) || double.IsInfinity(max - min))
            throw new ArgumentOutOfRangeException(nameof(max), max, $"max must be finite and exceed min ({min}).");
        return min + (max - min) * rng.NextDouble();
    }

    /// <summary>Normal with mean mu and standard deviation sigma ≥ 0.</summary>
    public static double Normal(this ref RandomStream rng, double mu, double sigma)
    {
        if (!(sigma >= 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and ≥ 0.");
        return mu + sigma * rng.Normal();
    }

    /// <summary>Log-normal: exp(N(mu, sigma²)).</summary>
    public static double LogNormal(this ref RandomStream rng, double mu, double sigma) => Math.Exp(rng.Normal(mu, sigma));

    /// <summary>Standard Gumbel (location 0, scale 1): the error of the multinomial logit.</summary>
    public static double Gumbel(this ref RandomStream rng) => -Math.Log(-Math.Log(rng.NextOpenDouble()));

    /// <summary>Gumbel with location mu and scale beta &gt; 0.</summary>
    public static double Gumbel(this ref RandomStream rng, double mu, double beta)
    {
        if (!(beta > 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be finite and > 0.");
        return mu + beta * rng.Gumbel();
    }

    /// <summary>Exponential with rate lambda &gt; 0.</summary>
    public static double Exponential(this ref RandomStream rng, double lambda)
    {
        if (!(lambda > 0) || double.IsInfinity(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be finite and > 0.");
        return -Math.Log(rng.NextOpenDouble()) / lambda;
    }

    /// <summary>Gamma with shape k &gt; 0 and scale theta &gt; 0 (Marsaglia &amp; Tsang 2000, ACM TOMS 26(3); shape &lt; 1 by the U^(1/k) boost).</summary>
    public static double Gamma(this ref RandomStream rng, double shape, double scale = 1.0)
    {
        if (!(shape > 0) || double.IsInfinity(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "shape must be finite and > 0.");
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be finite and > 0.");
        if (shape < 1.0)
        {
            double g = rng.Gamma(shape + 1.0, 1.0);
            return scale * g * Math.Pow(rng.NextOpenDouble(), 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do { x = rng.Normal(); v = 1.0 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = rng.NextOpenDouble();
            if (u < 1.0 - 0.0331 * x * x * x * x) return scale * d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1.0 - v + Math.Log(v))) return scale * d * v;
        }
    }

    /// <summary>Beta(a, b), a, b &gt; 0, as X/(X+Y) of two gammas.</summary>
    public static double Beta(this ref RandomStream rng, double a, double b)
    {
        if (!(a > 0) || double.IsInfinity(a)) throw new ArgumentOutOfRangeException(nameof(a), a, "a must be finite and > 0.");
        if (!(b > 0) || double.IsInfinity(b)) throw new ArgumentOutOfRangeException(nameof(b), b, "b must be finite and > 0.");
        double x = rng.Gamma(a), y = rng.Gamma(b);
        return x / (x + y);
    }

    /// <summary>Dirichlet(alpha) written into <paramref name="result"/> (same length as alpha; every alpha &gt; 0).</summary>
    public static void Dirichlet(this ref RandomStream rng, ReadOnlySpan<double> alpha, Span<double> result)
    {
        if (alpha.Length == 0) throw new ArgumentException("alpha must have at least one component.", nameof(alpha));
        if (result.Length != alpha.Length) throw new ArgumentException($"result has length {result.Length}; alpha has {alpha.Length}.", nameof(result));
        double sum = 0;
        for (int i = 0; i < alpha.Length; i++)
        {
            if (!(alpha[i] > 0) || double.IsInfinity(alpha[i]))
                throw new ArgumentOutOfRangeException(nameof(alpha), alpha[i], $"alpha[{i}] must be finite and > 0.");
            result[i] = rng.Gamma(alpha[i]);
            sum += result[i];
        }
        for (int i = 0; i < result.Length; i++) result[i] /= sum;
    }

    /// <summary>Poisson(lambda), lambda ≥ 0: multiplication for lambda &lt; 10, otherwise the PTRS transformed rejection of Hörmann (1993, Insurance: Math. Econ. 12).</summary>
    public static int Poisson(this ref RandomStream rng, double lambda)
    {
        if (!(lambda >= 0) || lambda > 1e9) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be in [0, 1e9].");
        if (lambda == 0) return 0;
        if (lambda < 10)
        {
            double l = Math.Exp(-lambda), p = 1.0;
            int k = 0;
            do { k++; p *= rng.NextDouble(); } while (p > l);
            return k - 1;
        }
        double slam = Math.Sqrt(lambda), loglam = Math.Log(lambda);
        double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = rng.NextDouble() - 0.5, v = rng.NextOpenDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return (int)k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.Log(v) + Math.Log(invalpha) - Math.Log(a / (us * us) + b) <= -lambda + k * loglam - LogFactorial(k))
                return (int)k;
        }
    }

    /// <summary>Binomial(n, p): exact. Large n is reduced by the beta-splitting recursion (Devroye 1986, ch. X.4), small n by inversion.</summary>
    public static long Binomial(this ref RandomStream rng, long n, double p)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be ≥ 0.");
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in [0, 1].");
        long k = 0;
        while (n > 40)
        {
            long a = 1 + n / 2, b = n + 1 - a;
            double x = rng.Beta(a, b);
            if (x >= p) { n = a - 1; p = x > 0 ? p / x : 0; }
            else { k += a; n = b - 1; p = (p - x) / (1 - x); }
        }
        for (long i = 0; i < n; i++) if (rng.NextDouble() < p) k++;
        return k;
    }

    /// <summary>An index drawn with probability proportional to <paramref name="weights"/> (linear scan; use <see cref="AliasTable"/> for repeated draws).</summary>
    public static int Categorical(this ref RandomStream rng, ReadOnlySpan<double> weights)
    {
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] >= 0) || double.IsInfinity(weights[i])) throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"weights[{i}] must be finite and ≥ 0.");
            total += weights[i];
        }
        if (!(total > 0)) throw new ArgumentException("weights must have a positive sum.", nameof(weights));
        double u = rng.NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        for (int i = weights.Length - 1; i >= 0; i--) if (weights[i] > 0) return i;
        return weights.Length - 1;
    }

    /// <summary>log(k!) by summation for small k, Stirling's series beyond.</summary>
    internal static double LogFactorial(double k)
    {
        if (k < 20)
        {
            double r = 0;
            for (int i = 2; i <= (int)k; i++) r += Math.Log(i);
            return r;
        }
        return (k + 0.5) * Math.Log(k) - k + 0.5 * Math.Log(2 * Math.PI) + 1.0 / (12 * k) - 1.0 / (360 * k * k * k);
    }
}

/// <summary>
/// Walker's alias method (Vose 1991, IEEE TSE 17(9)): O(1) draws from a fixed categorical
/// distribution. Immutable once built; share it across threads.
/// </summary>
public sealed class AliasTable
{
    private readonly double[] _prob;
    private readonly int[] _alias;

    /// <summary>Builds the table from non-negative weights with a positive sum.</summary>
    public AliasTable(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        if (n == 0) throw new ArgumentException("weights must not be empty.", nameof(weights));
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            if (!(weights[i] >= 0) || double.IsInfinity(weights[i])) throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"weights[{i}] must be finite and ≥ 0.");
            total += weights[i];
        }
        if (!(total > 0)) throw new ArgumentException("weights must have a positive sum.", nameof(weights));
        _prob = new double[n]; _alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>(); var large = new Stack<int>();
        for (int i = n - 1; i >= 0; i--)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1.0 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _prob[s] = scaled[s]; _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            (scaled[l] < 1.0 ? small : large).Push(l);
        }
        while (large.Count > 0) { int l = large.Pop(); _prob[l] = 1.0; _alias[l] = l; }
        while (small.Count > 0) { int s = small.Pop(); _prob[s] = 1.0; _alias[s] = s; }
    }

    /// <summary>Number of categories.</summary>
    public int Count => _prob.Length;

    /// <summary>
    /// The categories of many random words at once: <c>categories[v] = Sample((words[v] + ½)·2⁻³²)</c>, the same
    /// double-precision arithmetic (i = ⌊u·n⌋ and its fraction computed sixteen words per vector, then the table
    /// lookup per word), so the same categories as the one-at-a-time call.
    /// </summary>
    public void Sample(ReadOnlySpan<uint> words, Span<int> categories)
    {
        if (categories.Length < words.Length)
            throw new ArgumentException($"categories holds {categories.Length}; {words.Length} are needed.", nameof(categories));
        const double WordScale = 1.0 / 4294967296.0;
        int v = 0;
        Span<double> fraction = stackalloc double[16];
        Span<int> index = stackalloc int[16];
        var n = Vector512.Create((double)_prob.Length); var last = Vector512.Create((long)_prob.Length - 1);
        ref uint w0 = ref MemoryMarshal.GetReference(words);
        for (; v + 16 <= words.Length; v += 16)
        {
            var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref w0, (nuint)v));
            var uLo = (Vector512.ConvertToDouble(lo) + Vector512.Create(0.5)) * Vector512.Create(WordScale) * n;
            var uHi = (Vector512.ConvertToDouble(hi) + Vector512.Create(0.5)) * Vector512.Create(WordScale) * n;
            var iLo = Vector512.Min(Vector512.ConvertToInt64(uLo), last); var iHi = Vector512.Min(Vector512.ConvertToInt64(uHi), last);
            (uLo - Vector512.ConvertToDouble(iLo)).StoreUnsafe(ref MemoryMarshal.GetReference(fraction));
            (uHi - Vector512.ConvertToDouble(iHi)).StoreUnsafe(ref MemoryMarshal.GetReference(fraction), 8);
            Vector512.Narrow(iLo, iHi).StoreUnsafe(ref MemoryMarshal.GetReference(index));
            for (int l = 0; l < 16; l++)
            {
                int i = index[l], alias = _alias[i];
                categories[v + l] = fraction[l] < _prob[i] ? i : alias;
            }
        }
        for (; v < words.Length; v++) categories[v] = Sample((words[v] + 0.5) * WordScale);
    }

    /// <summary>Draws one category index.</summary>
    public int Sample(ref RandomStream rng) => Sample(rng.NextDouble());

    /// <summary>The category of a uniform number u in [0, 1) (for callers that draw their uniforms in bulk).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int Sample(double uniform)
    {
        double u = uniform * _prob.Length;
        int i = (int)u;
        if (i >= _prob.Length) i = _prob.Length - 1;
        return (u - i) < _prob[i] ? i : _alias[i];
    }
}

/// <summary>
/// A multivariate normal distribution N(mean, covariance), sampled through the Cholesky
/// factor of the covariance. Used for correlated voter traits (e.g. the Big Five).
/// </summary>
public sealed class MultivariateNormal
{
    private readonly double[] _mean;
    private readonly double[] _chol; // lower-triangular, row-major n×n

    /// <summary>Dimension.</summary>
    public int Dimension => _mean.Length;

    /// <summary>The mean vector.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The lower-triangular Cholesky factor L of the covariance, row-major n×n.</summary>
    internal double[] Factor => _chol;

    /// <summary>Builds the distribution; throws if the covariance is not symmetric positive definite.</summary>
    public MultivariateNormal(double[] mean, double[,] covariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        int n = mean.Length;
        if (n == 0) throw new ArgumentException("mean must not be empty.", nameof(mean));
        if (covariance.GetLength(0) != n || covariance.GetLength(1) != n)
            throw new ArgumentException($"covariance must be {n}×{n}; it is {covariance.GetLength(0)}×{covariance.GetLength(1)}.", nameof(covariance));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(covariance[i, j] - covariance[j, i]) > 1e-12 * (1 + Math.Abs(covariance[i, j])))
                    throw new ArgumentException($"covariance must be symmetric: [{i},{j}] = {covariance[i, j]} but [{j},{i}] = {covariance[j, i]}.", nameof(covariance));
        _mean = (double[])mean.Clone();
        _chol = Cholesky(covariance, n);
    }

    /// <summary>Builds a distribution from standard deviations and a correlation matrix.</summary>
    public static MultivariateNormal FromCorrelation(double[] mean, double[] sd, double[,] correlation)
    {
        int n = mean.Length;
        if (sd.Length != n) throw new ArgumentException($"sd has length {sd.Length}; mean has {n}.", nameof(sd));
        var cov = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                cov[i, j] = correlation[i, j] * sd[i] * sd[j];
        return new MultivariateNormal(mean, cov);
    }

    private static double[] Cholesky(double[,] a, int n)
    {
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    if (!(sum > 0)) throw new ArgumentException($"covariance is not positive definite (pivot {i} = {sum}).", "covariance");
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else l[i * n + j] = sum / l[j * n + j];
            }
        }
        return l;
    }

    /// <summary>Writes one draw into <paramref name="result"/> (length = <see cref="Dimension"/>).</summary>
    public void Sample(ref RandomStream rng, Span<double> result)
    {
        int n = _mean.Length;
        if (result.Length != n) throw new ArgumentException($"result has length {result.Length}; the dimension is {n}.", nameof(result));
        Span<double> z = n <= 64 ? stackalloc double[n] : new double[n];
        for (int i = 0; i < n; i++) z[i] = rng.Normal();
        for (int i = 0; i < n; i++)
        {
            double s = _mean[i];
            for (int k = 0; k <= i; k++) s += _chol[i * n + k] * z[k];
            result[i] = s;
        }
    }
}

/// <summary>A sampler that draws one value from a stream: <c>(ref RandomStream r) =&gt; r.Gamma(2)</c>.</summary>
public delegate double Sampler(ref RandomStream rng);

/// <summary>Helpers for drawing whole samples, e.g. to chart a distribution in a notebook.</summary>
public static class Sampling
{
    /// <summary>Draws <paramref name="count"/> values from a fresh stream (seed, <paramref name="streamId"/>, index 0); <paramref name="seed"/> null means <see cref="Seeds.Default"/>.</summary>
    public static double[] Draw(Sampler sampler, int count, int? seed, uint streamId = 0) => Draw(sampler, count, Seeds.Resolve(seed), streamId);

    internal static double[] Draw(Sampler sampler, int count, ulong seed, uint streamId = 0)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rng = new RandomStream(seed, streamId);
        var result = new double[count];
        for (int i = 0; i < count; i++) result[i] = sampler(ref rng);
        return result;
    }
}
