using System.Collections.Immutable;
using Workbench.Random;

namespace Workbench.Campaigns;

/// <summary>Frame of a message.</summary>
public enum Frame { Gain, Loss }
/// <summary>Tone of a message.</summary>
public enum Tone { Positive, Contrast, Negative }
/// <summary>Emotion a message appeals to.</summary>
public enum Emotion { Hope, Fear, Anger }

/// <summary>One message variant (MODEL.md §5): issue × frame × tone × emotion × creative.</summary>
public readonly record struct Message(int Id, int Issue, Frame Frame, Tone Tone, Emotion Emotion, int Creative);

/// <summary>Parameters of the hidden truth about messages (MODEL.md §5).</summary>
public sealed record MessageSpaceSpec
{
    /// <summary>Creative variants per issue × frame × tone × emotion cell.</summary>
    [Param("Creative variants per issue × frame × tone × emotion", Min = 1, Max = 100_000)]
    public int Creatives { get; init; } = 20;
    /// <summary>Mean click/watch rate of a positive, hopeful message.</summary>
    [Param("Baseline engagement rate (click or watch) of a positive, hopeful message", Min = 0.0001, Max = 0.5, Unit = "probability")]
    public double BaseEngagement { get; init; } = 0.02;
    /// <summary>Engagement logit bonus of negative tone (contrast gets half).</summary>
    [Param("Engagement logit bonus of negative tone (contrast: half)", Min = -3, Max = 3)]
    public double NegativeEngagement { get; init; } = 0.5;
    /// <summary>Engagement logit bonus of anger (fear gets half).</summary>
    [Param("Engagement logit bonus of anger (fear: half)", Min = -3, Max = 3)]
    public double AngerEngagement { get; init; } = 0.4;
    /// <summary>Standard deviation of creative quality on the engagement logit.</summary>
    [Param("Spread of creative quality on the engagement logit", Min = 0, Max = 3)]
    public double CreativeEngagementSd { get; init; } = 0.3;
    /// <summary>Mean persuasion effect (change in P(vote for sponsor) per exposure) — Coppock, Hill &amp; Vavreck (2020): ≈ 0.007.</summary>
    [Param("Mean persuasion effect per exposure", Min = -0.1, Max = 0.1, Unit = "probability", Citation = "Coppock, Hill & Vavreck (2020) Sci. Adv. 6(36)")]
    public double MeanPersuasion { get; init; } = 0.007;
    /// <summary>Standard deviation of the persuasion effect across messages ("little heterogeneity").</summary>
    [Param("Spread of persuasion effects across messages", Min = 0, Max = 0.1, Unit = "probability")]
    public double PersuasionSd { get; init; } = 0.004;
    /// <summary>Persuasion penalty of negative tone (backlash), as a share of the mean effect.</summary>
    [Param("Persuasion lost by negative tone, as a share of the mean effect", Min = -1, Max = 2)]
    public double NegativeBacklash { get; init; } = 0.3;
    /// <summary>
    /// How much each variant's persuasion varies with the voter's observable attributes (<see cref="MessageTargeting.Attributes"/>:
    /// age band, gender, education, urban, income quintile, minority, health): the standard deviation, across attribute levels
    /// and summed over the attributes, of a per-variant multiplier of mean 1 (see <see cref="MessageSpace"/>). 0 (the default):
    /// a variant persuades everyone in proportion to issue salience and persuadability alone, so no observable attribute tells a
    /// campaign which variant to send to whom. An assumption, not a measurement: chapter 05 calibrates it so that targeting on
    /// one attribute beats the best single message by about 70%, the premium Tappin et al. (2023) report in one issue setting.
    /// </summary>
    [Param("Spread of each variant's persuasion across observable voter attributes (sd of a mean-1 multiplier; 0: no attribute predicts which variant persuades)", Min = 0, Max = 3,
        Citation = "assumption; chapter 05 calibrates it to Tappin et al. (2023) PNAS 120(25): one-attribute targeting ≈ +70% over the best single message")]
    public double AttributeHeterogeneity { get; init; }
    /// <summary>
    /// Standard deviation of one respondent's measured outcome in a persuasion pretest (<see cref="MessageTargeting"/>), on the
    /// persuasion scale. Default 0.07, ten times the mean effect: an average message moves the outcome by about a tenth of its
    /// standard deviation, the order of the average effects of survey persuasion experiments (an assumption).
    /// </summary>
    [Param("Sd of one respondent's measured outcome in a persuasion pretest (default: ten times the mean effect)", Min = 0, Max = 10, Unit = "probability",
        Citation = "assumption: average message effects of about 0.1 sd of the outcome, the order Coppock (2023) Persuasion in Parallel reports for survey persuasion experiments")]
    public double PretestOutcomeSd { get; init; } = 0.07;
}

/// <summary>
/// The space of message variants with each variant's hidden true engagement and persuasion
/// (MODEL.md §5; the primer's A/B tests of "40,000–50,000 variants" a day). Engagement is not
/// persuasion: negative and angry content engages more, while persuasion depends on the issue,
/// frame and creative and is, if anything, lower for negative tone. Per voter, engagement rises
/// with political interest, and persuasion scales with the salience the voter gives the issue and
/// with persuadability. With <see cref="MessageSpaceSpec.AttributeHeterogeneity"/> h above 0, variant m's persuasion of
/// voter i is also multiplied by 1 + h·Σₐ c(m, a, level of i on a)/√A over the A = 7 observable attributes of
/// <see cref="MessageTargeting.Attributes"/>, where each c is a standard normal draw per variant, attribute and level, centred
/// so that its mean over the electorate's voters is 0 — every variant keeps its mean (mean-preserving), but which variant
/// persuades most differs between, say, age bands: the heterogeneity a targeted campaign can exploit (Tappin et al. 2023).
/// </summary>
public sealed class MessageSpace
{
    private const uint StreamTruth = StreamIds.MessageTruth;
    private readonly double[] _engLogit, _pers;
    // With attribute heterogeneity: each voter's level on every attribute (A per voter), each variant's centred multipliers
    // scaled by h/√A (one per attribute level, variant-major), and per issue the salience-free sums behind AverageVariantPersuasion.
    private readonly byte[]? _levels;
    private readonly double[]? _het;
    private readonly double[] _issueSum, _issueHet;

    /// <summary>Every variant.</summary>
    public IReadOnlyList<Message> Messages { get; }
    /// <summary>The spec.</summary>
    public MessageSpaceSpec Spec { get; }
    /// <summary>The electorate messages are shown to.</summary>
    public Electorate.Electorate Electorate { get; }
    /// <summary>True mean engagement rate of each variant over the electorate. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<double> TrueEngagement => TrueEngagementArray.Frozen();
    /// <summary>The array behind <see cref="TrueEngagement"/>, for the library's own loops.</summary>
    internal double[] TrueEngagementArray { get; }
    /// <summary>True mean persuasion effect of each variant over the electorate. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<double> TruePersuasion => TruePersuasionArray.Frozen();
    /// <summary>The array behind <see cref="TruePersuasion"/>, for the library's own loops.</summary>
    internal double[] TruePersuasionArray { get; }

    private readonly double _meanPersuadability;

    /// <summary>Builds the space and its hidden truth from <paramref name="seed"/> (null means <see cref="Workbench.Random.Seeds.Default"/>).</summary>
    public MessageSpace(Electorate.Electorate e, MessageSpaceSpec? spec = null, int? seed = null) : this(e, spec, Workbench.Random.Seeds.Resolve(seed)) { }

    internal MessageSpace(Electorate.Electorate e, MessageSpaceSpec? spec, ulong seed)
    {
        Spec = spec ?? new MessageSpaceSpec();
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(Spec, "$", errors);
        Parameters.ThrowIfAny(errors);
        Electorate = e;
        var list = new List<Message>();
        for (int k = 0; k < e.IssueCount; k++)
            foreach (var f in Enum.GetValues<Frame>()) foreach (var t in Enum.GetValues<Tone>()) foreach (var em in Enum.GetValues<Emotion>())
                for (int c = 0; c < Spec.Creatives; c++) list.Add(new Message(list.Count, k, f, t, em, c));
        Messages = list;
        int M = list.Count;
        _engLogit = new double[M]; _pers = new double[M];
        // Issue × frame fit: some issue/frame pairs persuade better than others.
        var fitRng = new RandomStream(seed, StreamTruth, 0);
        var fit = new double[e.IssueCount * 2];
        for (int q = 0; q < fit.Length; q++) fit[q] = fitRng.Normal() * Spec.PersuasionSd;
        double baseLogit = Math.Log(Spec.BaseEngagement / (1 - Spec.BaseEngagement));
        for (int m = 0; m < M; m++)
        {
            var msg = list[m];
            var rng = new RandomStream(seed, StreamTruth, (ulong)(m + 1));
            double tone = msg.Tone switch { Tone.Negative => Spec.NegativeEngagement, Tone.Contrast => Spec.NegativeEngagement / 2, _ => 0 };
            double emo = msg.Emotion switch { Emotion.Anger => Spec.AngerEngagement, Emotion.Fear => Spec.AngerEngagement / 2, _ => 0 };
            _engLogit[m] = baseLogit + tone + emo + rng.Normal() * Spec.CreativeEngagementSd;
            double backlash = msg.Tone == Tone.Negative ? Spec.NegativeBacklash * Spec.MeanPersuasion : 0;
            _pers[m] = Spec.MeanPersuasion + fit[msg.Issue * 2 + (int)msg.Frame] + rng.Normal() * Spec.PersuasionSd * 0.5 - backlash;
        }
        double ps = 0;
        for (int i = 0; i < e.VoterCount; i++) ps += (double)e.Persuadability[i];
        _meanPersuadability = Math.Max(1e-6, ps / e.VoterCount);
        int L = MessageTargeting.TotalLevels, A = MessageTargeting.Attributes.Count;
        _issueSum = new double[e.IssueCount];
        for (int m = 0; m < M; m++) _issueSum[list[m].Issue] += _pers[m];
        _issueHet = new double[e.IssueCount * L];
        if (Spec.AttributeHeterogeneity > 0)
        {
            _levels = MessageTargeting.LevelsOf(e);
            var shares = new double[L];
            for (int i = 0; i < e.VoterCount; i++) for (int a = 0; a < A; a++) shares[MessageTargeting.LevelOffset(a) + _levels[i * A + a]]++;
            for (int l = 0; l < L; l++) shares[l] /= e.VoterCount;
            _het = new double[M * L];
            double scale = Spec.AttributeHeterogeneity / Math.Sqrt(A);
            for (int m = 0; m < M; m++)
            {
                var rng = new RandomStream(seed, StreamIds.MessageHeterogeneity, (ulong)m);
                for (int a = 0; a < A; a++)
                {
                    int o = MessageTargeting.LevelOffset(a), levels = MessageTargeting.LevelCount(a);
                    double mean = 0;
                    for (int l = 0; l < levels; l++) { _het[m * L + o + l] = rng.Normal(); mean += shares[o + l] * _het[m * L + o + l]; }
                    for (int l = 0; l < levels; l++) _het[m * L + o + l] = (_het[m * L + o + l] - mean) * scale;
                }
                for (int l = 0; l < L; l++) _issueHet[list[m].Issue * L + l] += _pers[m] * _het[m * L + l];
            }
        }
        // Population means over a fixed, evenly spaced sample of voters.
        int step = Math.Max(1, e.VoterCount / 2000);
        TrueEngagementArray = new double[M]; TruePersuasionArray = new double[M];
        int count = 0;
        for (int i = 0; i < e.VoterCount; i += step)
        {
            count++;
            for (int m = 0; m < M; m++) { TrueEngagementArray[m] += Engagement(i, m); TruePersuasionArray[m] += Persuasion(i, m); }
        }
        for (int m = 0; m < M; m++) { TrueEngagementArray[m] /= count; TruePersuasionArray[m] /= count; }
    }

    /// <summary>Voter i's true probability of engaging with variant m.</summary>
    public double Engagement(int i, int m) => 1 / (1 + Math.Exp(-(_engLogit[m] + 1.2 * ((double)Electorate.Interest[i] - 0.5))));

    /// <summary>Voter i's true persuasion effect of variant m (change in P(vote for the sponsor)).</summary>
    public double Persuasion(int i, int m)
    {
        double p = _pers[m] * (double)Electorate.IssueSalience[i * Electorate.IssueCount + Messages[m].Issue] * Electorate.IssueCount
                 * (double)Electorate.Persuadability[i] / _meanPersuadability;
        return _het is null ? p : p * AttributeMultiplier(i, m);
    }

    /// <summary>Variant m's attribute multiplier for voter i (mean 1 over the electorate; exactly 1 without attribute heterogeneity).</summary>
    public double AttributeMultiplier(int i, int m)
    {
        if (_het is null) return 1;
        int A = MessageTargeting.Attributes.Count, L = MessageTargeting.TotalLevels;
        double x = 1;
        for (int a = 0; a < A; a++) x += _het[m * L + MessageTargeting.LevelOffset(a) + _levels![i * A + a]];
        return x;
    }

    /// <summary>Voter i's true persuasion effect averaged over every variant of the space (the "average message" for this voter).</summary>
    public double AverageVariantPersuasion(int i)
    {
        int K = Electorate.IssueCount, A = MessageTargeting.Attributes.Count, L = MessageTargeting.TotalLevels;
        double sum = 0;
        for (int k = 0; k < K; k++)
        {
            double s = _issueSum[k];
            if (_het is not null) for (int a = 0; a < A; a++) s += _issueHet[k * L + MessageTargeting.LevelOffset(a) + _levels![i * A + a]];
            sum += (double)Electorate.IssueSalience[i * K + k] * s;
        }
        return sum * K * (double)Electorate.Persuadability[i] / _meanPersuadability / Messages.Count;
    }
}

/// <summary>How an A/B test spends impressions across variants.</summary>
public enum TestStrategy
{
    /// <summary>Equal split: every variant gets the same impressions.</summary>
    Uniform,
    /// <summary>Epsilon-greedy: the best observed rate, exploring with probability ε.</summary>
    EpsilonGreedy,
    /// <summary>Thompson sampling with Beta posteriors (drawn by their normal approximation; posteriors updated once per batch): each impression goes to the variant with the highest posterior draw.</summary>
    Thompson,
}

/// <summary>The outcome of an A/B test.</summary>
/// <param name="Strategy">The strategy.</param>
/// <param name="Impressions">Impressions served.</param>
/// <param name="Clicks">Engagements observed.</param>
/// <param name="Regret">Expected engagements lost against always showing the truly most engaging variant.</param>
/// <param name="Chosen">The variant the test picks (highest observed rate among variants with enough impressions).</param>
/// <param name="ChosenEngagementRank">True engagement rank of the chosen variant (1 = best).</param>
/// <param name="ChosenPersuasion">True mean persuasion of the chosen variant.</param>
/// <param name="BestPersuasion">True mean persuasion of the most persuasive variant.</param>
/// <param name="EngagementPersuasionCorrelation">Correlation across variants of true engagement with true persuasion.</param>
/// <param name="ImpressionsPerVariant">Impressions each variant received.</param>
/// <param name="ObservedRate">Observed engagement rate of each variant.</param>
public sealed record AbTestResult(TestStrategy Strategy, long Impressions, long Clicks, double Regret, Message Chosen, int ChosenEngagementRank,
    double ChosenPersuasion, double BestPersuasion, double EngagementPersuasionCorrelation, ImmutableArray<long> ImpressionsPerVariant, ImmutableArray<double> ObservedRate);

/// <summary>A/B tests and bandits over a <see cref="MessageSpace"/> (MODEL.md §5): impressions go to random voters; the campaign observes only clicks.</summary>
public static class AbTest
{
    private const uint StreamTest = StreamIds.MessageTest;

    /// <summary>Posterior draws per batch in Thompson sampling (each serves an equal share of the batch).</summary>
    public const int ThompsonDrawsPerBatch = 8;

    /// <summary>Runs a test of <paramref name="impressions"/> impressions in batches of <paramref name="batch"/>.</summary>
    public static AbTestResult Run(MessageSpace space, TestStrategy strategy, long impressions, int? seed, int batch = 100, double epsilon = 0.1) =>
        Run(space, strategy, impressions, Workbench.Random.Seeds.Resolve(seed), batch, epsilon);

    internal static AbTestResult Run(MessageSpace space, TestStrategy strategy, long impressions, ulong seed, int batch = 100, double epsilon = 0.1)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(impressions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        Parameters.Require(nameof(epsilon), epsilon, 0, 1);
        int M = space.Messages.Count, n = space.Electorate.VoterCount;
        var shown = new long[M]; var clicks = new long[M];
        var rng = new RandomStream(seed, StreamTest, 0);
        double best = space.TrueEngagementArray.Max(), regret = 0;
        long totalClicks = 0, served = 0, round = 0;
        var draws = new double[M]; var order = new int[M]; var sdCache = new double[M];
        while (served < impressions)
        {
            int b = (int)Math.Min(batch, impressions - served);
            int[] arms = new int[b];
            switch (strategy)
            {
                case TestStrategy.Uniform:
                    for (int x = 0; x < b; x++) arms[x] = (int)((served + x) % M);
                    break;
                case TestStrategy.EpsilonGreedy:
                {
                    int leader = 0; double lr = -1;
                    for (int m = 0; m < M; m++) { double r = shown[m] > 0 ? (double)clicks[m] / shown[m] : 1.0; if (r > lr) { lr = r; leader = m; } }
                    for (int x = 0; x < b; x++) arms[x] = rng.NextDouble() < epsilon ? rng.NextInt(M) : leader;
                    break;
                }
                default:
                {
                    // Posterior Beta(1 + clicks, 1 + misses) per variant, drawn by its normal approximation;
                    // variants whose upper bound (mean + 3 sd) is below the best lower bound are dropped for this batch.
                    var tr = new RandomStream(seed, StreamIds.MessageTestRound, (ulong)round);
                    double bestLower = double.NegativeInfinity;
                    for (int m = 0; m < M; m++)
                    {
                        double a = 1 + clicks[m], c = 1 + shown[m] - clicks[m], mean = a / (a + c);
                        double sd = Math.Sqrt(a * c / ((a + c) * (a + c) * (a + c + 1)));
                        draws[m] = mean; order[m] = 0;
                        bestLower = Math.Max(bestLower, mean - 3 * sd);
                        sdCache[m] = sd;
                    }
                    int candidates = 0;
                    for (int m = 0; m < M; m++) if (draws[m] + 3 * sdCache[m] >= bestLower) order[candidates++] = m;
                    // Eight posterior draws per batch; each serves an eighth of the batch's impressions.
                    int groups = Math.Min(b, ThompsonDrawsPerBatch);
                    for (int gIdx = 0; gIdx < groups; gIdx++)
                    {
                        int pick = order[0]; double top = double.NegativeInfinity;
                        for (int q = 0; q < candidates; q++)
                        {
                            int m = order[q];
                            double v = draws[m] + sdCache[m] * tr.Normal();
                            if (v > top) { top = v; pick = m; }
                        }
                        for (int x = gIdx * b / groups; x < (gIdx + 1) * b / groups; x++) arms[x] = pick;
                    }
                    break;
                }
            }
            for (int x = 0; x < b; x++)
            {
                int m = arms[x], i = rng.NextInt(n);
                double p = space.Engagement(i, m);
                shown[m]++;
                if (rng.NextDouble() < p) { clicks[m]++; totalClicks++; }
                regret += best - space.TrueEngagementArray[m];
            }
            served += b; round++;
        }
        long minShown = Math.Max(1, impressions / M / 2);
        int chosen = 0; double chosenRate = -1;
        var rate = new double[M];
        for (int m = 0; m < M; m++)
        {
            rate[m] = shown[m] > 0 ? (double)clicks[m] / shown[m] : 0;
            // Rank by the posterior mean, among variants shown enough to judge.
            double post = (clicks[m] + 1.0) / (shown[m] + 2.0);
            if (shown[m] >= Math.Min(minShown, shown.Max()) && post > chosenRate) { chosenRate = post; chosen = m; }
        }
        int rank = 1 + space.TrueEngagementArray.Count(v => v > space.TrueEngagementArray[chosen]);
        return new AbTestResult(strategy, served, totalClicks, regret, space.Messages[chosen], rank, space.TruePersuasionArray[chosen],
            space.TruePersuasionArray.Max(), Correlation(space.TrueEngagementArray, space.TruePersuasionArray), shown.Frozen(), rate.Frozen());
    }

    /// <summary>Pearson correlation (0 when either side is constant).</summary>
    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double r = Workbench.Statistics.Metrics.Correlation(x.ToArray(), y.ToArray());
        return double.IsNaN(r) ? 0 : r;
    }
}
