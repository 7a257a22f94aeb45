using Workbench.Electorate;
using Workbench.Random;

namespace Workbench.Data;

/// <summary>
/// Which voters of an uploaded list a platform matches to its users (custom audiences; MODEL.md §3, the "pairing of
/// voter profiles with social media user data" of International IDEA, Digital Microtargeting, 2018). A voter is matched
/// with probability logistic(a + ln(footprint) − 0.15·(age − 45)/10): rising with the digital footprint, falling with
/// age, with the intercept a set so that the mean probability equals the regime's match rate. Unmatched voters cannot
/// be reached through a custom audience. Each voter's draw comes from its own stream (seed, stream, voter), so the
/// match is the same for every campaign of a run and for any thread count.
/// </summary>
public static class CustomAudienceMatch
{
    private const uint Stream = StreamIds.CustomAudience;
    /// <summary>Log-odds change per decade of age above 45.</summary>
    public const double AgeSlopePerDecade = -0.15;
    private const int CalibrationSample = 100_000;

    /// <summary>Each voter's match probability for a mean rate (0..1).</summary>
    public static double[] Probabilities(Electorate.Electorate e, double meanRate)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!(meanRate >= 0 && meanRate <= 1)) throw new ArgumentOutOfRangeException(nameof(meanRate), meanRate, "the match rate is a share in [0, 1].");
        int n = e.VoterCount;
        var p = new double[n];
        if (meanRate >= 1) { Array.Fill(p, 1.0); return p; }
        if (meanRate <= 0) return p;
        var z = new double[n];
        for (int i = 0; i < n; i++)
            z[i] = Math.Log(Math.Max((double)e.DigitalFootprint[i], 1e-3)) + AgeSlopePerDecade * (e.Age[i] - 45) / 10.0;
        // Intercept by bisection on an evenly spaced subsample (every stride-th voter).
        int stride = Math.Max(1, n / CalibrationSample);
        double lo = -30, hi = 30;
        for (int it = 0; it < 60; it++)
        {
            double a = 0.5 * (lo + hi), sum = 0; int count = 0;
            for (int i = 0; i < n; i += stride) { sum += TurnoutModel.Logistic(a + z[i]); count++; }
            if (sum / count < meanRate) lo = a; else hi = a;
        }
        double intercept = 0.5 * (lo + hi);
        for (int i = 0; i < n; i++) p[i] = TurnoutModel.Logistic(intercept + z[i]);
        return p;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Electorate.Electorate, System.Collections.Concurrent.ConcurrentDictionary<(double, ulong), bool[]>> Cache = new();

    /// <summary>Whether each voter is matched, for a mean rate and a run seed (computed once per electorate, rate and seed; do not modify the array).</summary>
    public static bool[] Matched(Electorate.Electorate e, double meanRate, int? seed) =>
        Matched(e, meanRate, Workbench.Random.Seeds.Resolve(seed));

    internal static bool[] Matched(Electorate.Electorate e, double meanRate, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Cache.GetOrCreateValue(e).GetOrAdd((meanRate, seed), key => Compute(e, key.Item1, key.Item2));
    }

    private static bool[] Compute(Electorate.Electorate e, double meanRate, ulong seed)
    {
        var p = Probabilities(e, meanRate);
        var m = new bool[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] >= 1) { m[i] = true; continue; }
            if (p[i] <= 0) continue;
            var r = new RandomStream(seed, Stream, (ulong)i);
            m[i] = r.NextDouble() < p[i];
        }
        return m;
    }
}
