using Workbench.Data;
using Workbench.Electorate;
using Workbench.Random;
using Workbench.Statistics;

namespace Workbench.Scoring;

/// <summary>Expected contact rates of one way of scheduling canvass visits and calls.</summary>
/// <param name="Plan">"random time", "scheduled by index" or "oracle" (scheduled by each voter's true chances), with the same capacity in every slot.</param>
/// <param name="CanvassContact">Mean true probability that the voter is home at the planned visit.</param>
/// <param name="PhoneAnswer">Mean true probability that the voter answers at the planned call.</param>
public sealed record SchedulePlan(string Plan, double CanvassContact, double PhoneAnswer);

/// <summary>The result of <see cref="TimeOfDay.Fit(Workbench.Electorate.Electorate, Workbench.Data.DataRegime, int, int?, Workbench.Data.DataQuality?)"/>.</summary>
/// <param name="Segments">Segment names: age bands the regime lets the campaign read, plus "age unknown".</param>
/// <param name="HomeIndex">Estimated probability of being home, [segment][slot].</param>
/// <param name="AnswerIndex">Estimated probability of answering the phone, [segment][slot].</param>
/// <param name="Attempts">Past canvass visits and calls per time slot the indexes were estimated from.</param>
/// <param name="HomeCorrelation">Correlation of the indexed with the true individual home probability, over voters and slots.</param>
/// <param name="Plans">Contact rates under each schedule.</param>
public sealed record TimeOfDayResult(IReadOnlyList<string> Segments, IReadOnlyList<IReadOnlyList<double>> HomeIndex, IReadOnlyList<IReadOnlyList<double>> AnswerIndex, int Attempts,
    double HomeCorrelation, IReadOnlyList<SchedulePlan> Plans);

/// <summary>
/// Probability indexes of being home and of answering the phone by time of day (MODEL.md §4; UK Labour's use of such
/// indexes to schedule canvassing and call centres, International IDEA, Digital Microtargeting, 2018). The campaign's
/// past canvass visits and calls — a random sample of voters per time slot, each recorded as at home / not, answered /
/// not — are pooled by the segments the regime lets it read (age band from the voter file or consumer data; one
/// "age unknown" segment otherwise), giving a smoothed rate per segment and slot. Canvassers and callers work the same
/// hours in every slot (a third of the voters each), so the index decides whom to visit when: the voters whose daytime
/// index is highest relative to the evening go by day. The true contact rates of that schedule are set against a random
/// slot and the oracle that schedules by each voter's true chances (only a simulation can).
/// </summary>
/// <remarks>
/// A voter's chance of answering a call in a slot is modelled as answers-phone × (0.4 + 0.6 × home in that slot): a
/// mobile rings away from home too, but less often reaches someone free to talk. This split is an assumption.
/// </remarks>
public static class TimeOfDay
{
    /// <summary>The three time slots of the electorate's home probabilities.</summary>
    public static IReadOnlyList<string> Slots { get; } = ["morning", "afternoon", "evening"];
    private const uint Stream = StreamIds.TimeOfDay;

    /// <summary>The true probability that voter <paramref name="i"/> answers a call in <paramref name="slot"/> (see remarks).</summary>
    public static double AnswerProbability(Electorate.Electorate e, int i, int slot) =>
        e.AnswersPhone[i] / 255.0 * (0.4 + 0.6 * e.HomeProbability[i * 3 + slot] / 255.0);

    /// <summary>Estimates the indexes from <paramref name="attemptsPerSlot"/> past visits and calls per slot and evaluates the schedules; <paramref name="seed"/> null means <see cref="Workbench.Random.Seeds.Default"/>.</summary>
    public static TimeOfDayResult Fit(Electorate.Electorate e, DataRegime regime, int attemptsPerSlot, int? seed, DataQuality? quality = null) =>
        Fit(e, regime, attemptsPerSlot, Workbench.Random.Seeds.Resolve(seed), quality);

    internal static TimeOfDayResult Fit(Electorate.Electorate e, DataRegime regime, int attemptsPerSlot, ulong seed, DataQuality? quality = null)
    {
        ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(regime);
        if (attemptsPerSlot < 10 || attemptsPerSlot > 10_000_000)
            throw new ArgumentOutOfRangeException(nameof(attemptsPerSlot), attemptsPerSlot, "attempts per slot must be between 10 and 10,000,000.");
        if (!regime.AllowedSources.Contains(DataSource.Canvass))
            throw new ArgumentException($"regime '{regime.Name}' does not allow canvass records, from which the indexes are estimated.", nameof(regime));
        int n = e.VoterCount, S = Slots.Count;
        var data = VoterData.Open(e, regime, quality, seed);
        // Segments: the age band where the regime lets the campaign read age per voter (or per cell), else one segment.
        var ageSource = data.UsableSource("age", s => s is DataSource.VoterFile or DataSource.ConsumerData);
        float[]? age = ageSource is { } src ? data.PerVoter("age", src) : null;
        int bands = ElectorateSpec.AgeBandCount;
        var segments = Enumerable.Range(0, bands).Select(b => $"age {ElectorateSpec.AgeBandLower[b]}–{ElectorateSpec.AgeBandUpper[b] - 1}").Append("age unknown").ToArray();
        var seg = new int[n];
        for (int i = 0; i < n; i++) seg[i] = age is null || float.IsNaN(age[i]) ? bands : ElectorateSpec.AgeBandOf(age[i]);

        var homeHits = new double[segments.Length * S]; var homeTries = new double[segments.Length * S];
        var callHits = new double[segments.Length * S]; var callTries = new double[segments.Length * S];
        var rng = new RandomStream(seed, Stream, 0);
        for (int s = 0; s < S; s++)
            for (int a = 0; a < attemptsPerSlot; a++)
            {
                int i = rng.NextInt(n), k = seg[i] * S + s;
                homeTries[k]++; if (rng.NextDouble() < e.HomeProbability[i * 3 + s] / 255.0) homeHits[k]++;
                int c = rng.NextInt(n); int kc = seg[c] * S + s;
                callTries[kc]++; if (rng.NextDouble() < AnswerProbability(e, c, s)) callHits[kc]++;
            }
        // Smoothed rates: segments with few attempts shrink toward the slot's overall rate.
        double[][] Index(double[] hits, double[] tries)
        {
            var result = new double[segments.Length][];
            for (int g = 0; g < segments.Length; g++)
            {
                result[g] = new double[S];
                for (int s = 0; s < S; s++)
                {
                    double allHits = 0, allTries = 0;
                    for (int h = 0; h < segments.Length; h++) { allHits += hits[h * S + s]; allTries += tries[h * S + s]; }
                    double prior = allTries > 0 ? allHits / allTries : 0.5;
                    result[g][s] = (hits[g * S + s] + 5 * prior) / (tries[g * S + s] + 5);
                }
            }
            return result;
        }
        var homeIndex = Index(homeHits, homeTries);
        var answerIndex = Index(callHits, callTries);

        // Correlation of indexed with true home probability over (voter, slot).
        var indexed = new double[n * S]; var truth = new double[n * S];
        for (int i = 0; i < n; i++)
            for (int s = 0; s < S; s++) { indexed[i * S + s] = homeIndex[seg[i]][s]; truth[i * S + s] = e.HomeProbability[i * 3 + s] / 255.0; }
        double corr = Metrics.Correlation(indexed, truth);
        if (double.IsNaN(corr)) corr = 0; // a constant index carries no information

        // Schedules. Canvassers and callers have the same capacity in every slot (a third of the voters each), so the
        // question is whom to visit when: voters whose daytime chance is highest relative to the evening go by day.
        int[] Assign(Func<int, int, double> value)
        {
            var slot = new int[n];
            Array.Fill(slot, S - 1);
            int cap = n / S;
            var free = Enumerable.Range(0, n).ToList();
            for (int t = 0; t < S - 1; t++)
            {
                int tt = t;
                var chosen = free.OrderByDescending(i => value(i, tt) - value(i, S - 1)).ThenBy(i => i).Take(cap).ToHashSet();
                foreach (int i in chosen) slot[i] = t;
                free = free.Where(i => !chosen.Contains(i)).ToList();
            }
            return slot;
        }
        double TrueHome(int i, int s) => e.HomeProbability[i * 3 + s] / 255.0;
        double Mean(int[] slot, Func<int, int, double> truth) { double sum = 0; for (int i = 0; i < n; i++) sum += truth(i, slot[i]); return sum / n; }
        double RandomMean(Func<int, int, double> truth) { double sum = 0; for (int i = 0; i < n; i++) for (int s = 0; s < S; s++) sum += truth(i, s); return sum / (n * S); }
        Func<int, int, double> trueCall = (i, s) => AnswerProbability(e, i, s);
        var plans = new[]
        {
            new SchedulePlan("random time", RandomMean(TrueHome), RandomMean(trueCall)),
            new SchedulePlan("scheduled by index", Mean(Assign((i, s) => homeIndex[seg[i]][s]), TrueHome), Mean(Assign((i, s) => answerIndex[seg[i]][s]), trueCall)),
            new SchedulePlan("oracle", Mean(Assign(TrueHome), TrueHome), Mean(Assign(trueCall), trueCall)),
        };
        return new TimeOfDayResult(segments, homeIndex, answerIndex, attemptsPerSlot, corr, plans);
    }
}
