using Workbench.Random;

namespace Workbench.Campaigns;

/// <summary>
/// Psychographic targeting (MODEL.md §5; the primer's Cambridge Analytica case): personality inferred from the digital
/// footprint, and paid-social ads whose appeal matches the inferred dominant Big Five trait.
/// <para>Inference (Youyou, Kosinski &amp; Stillwell 2015, PNAS 112: r ≈ 0.56 from about 300 likes): each trait is observed as
/// r·z + √(1 − r²)·ε with ε standard normal, where r = accuracy × √footprint (the footprint's median is 1), capped at 0.9 —
/// fewer likes, lower accuracy (an assumption about the shape). The campaign's appeal targets the trait with the largest
/// inferred score; the message is congruent when that is also the voter's true dominant trait.</para>
/// <para>Effect: a congruent ad persuades by (1 + gain) times the ordinary ad (the evidence preset's
/// <see cref="Behaviour.EvidenceSet.PsychographicGain"/>: Zarouali et al. 2022 small, Matz et al. 2017 ≈ 40% more clicks as an
/// upper bound); an incongruent one as the ordinary ad (no backlash, an assumption).</para>
/// </summary>
public static class Psychographics
{
    /// <summary>Big Five traits per voter.</summary>
    public const int Traits = 5;
    /// <summary>Highest accuracy of inference, whatever the footprint.</summary>
    public const double MaxAccuracy = 0.9;

    /// <summary>Each voter's true dominant trait (largest standardised score; ties to the first).</summary>
    public static byte[] TrueDominant(Electorate.Electorate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var d = new byte[e.VoterCount];
        for (int i = 0; i < d.Length; i++)
        {
            int best = 0;
            for (int k = 1; k < Traits; k++) if (e.BigFive[i * Traits + k] > e.BigFive[i * Traits + best]) best = k;
            d[i] = (byte)best;
        }
        return d;
    }

    /// <summary>Each voter's dominant trait as the campaign infers it at <paramref name="accuracy"/> (see the class remarks), seeded per voter.</summary>
    public static byte[] InferredDominant(Electorate.Electorate e, double accuracy, int? seed) =>
        InferredDominant(e, accuracy, Workbench.Random.Seeds.Resolve(seed));

    internal static byte[] InferredDominant(Electorate.Electorate e, double accuracy, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(e);
        Parameters.Require(nameof(accuracy), accuracy, 0, MaxAccuracy);
        var d = new byte[e.VoterCount];
        for (int i = 0; i < d.Length; i++)
        {
            double r = Math.Min(MaxAccuracy, accuracy * Math.Sqrt(Math.Max(0, (double)e.DigitalFootprint[i])));
            double noise = Math.Sqrt(1 - r * r), best = double.NegativeInfinity;
            var rng = new RandomStream(seed, StreamIds.Psychographics, (ulong)i);
            for (int k = 0; k < Traits; k++)
            {
                double z = r * (double)e.BigFive[i * Traits + k] + noise * rng.Normal();
                if (z > best) { best = z; d[i] = (byte)k; }
            }
        }
        return d;
    }

    /// <summary>
    /// Per-voter persuasion factors of a psychographic campaign's paid ads, normalised to mean 1 over the electorate (the
    /// campaign's expected gain goes into the channel's effect; these spread it: congruent voters get more), and the share of
    /// voters whose inferred dominant trait is the true one.
    /// </summary>
    public static (float[] Factors, double MeanGain, double MatchShare) Factors(Electorate.Electorate e, double accuracy, double gain, int? seed) =>
        Factors(e, accuracy, gain, Workbench.Random.Seeds.Resolve(seed));

    internal static (float[] Factors, double MeanGain, double MatchShare) Factors(Electorate.Electorate e, double accuracy, double gain, ulong seed)
    {
        Parameters.Require(nameof(gain), gain, 0, 5);
        var truth = TrueDominant(e); var inferred = InferredDominant(e, accuracy, seed);
        int n = e.VoterCount, matches = 0;
        for (int i = 0; i < n; i++) if (truth[i] == inferred[i]) matches++;
        double share = n > 0 ? (double)matches / n : 0, mean = 1 + gain * share;
        var f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float)((truth[i] == inferred[i] ? 1 + gain : 1) / mean);
        return (f, mean, share);
    }
}
