using System.Collections.Immutable;
using Workbench.Data;
using Workbench.Random;
using Workbench.Behaviour;

namespace Workbench.Campaigns;

/// <summary>
/// What a campaign believes about each voter: estimated support for every party and estimated
/// turnout, built only from what its <see cref="DataRegime"/> lets it see (MODEL.md §3; the
/// primer's "collect, link, score" pipeline). Every voter attribute is read through
/// <see cref="VoterData"/>, so a banned attribute, a forbidden source or individual data under an
/// aggregated regime is simply unavailable; under an aggregated regime every feature is a cell
/// mean over at least k households. Published past results per constituency are public.
/// <para>The estimator is stratified means with shrinkage: a poll (random respondents, answering
/// with their phone-answering propensity, so biased toward the contactable) gives vote and turnout
/// intentions by group of observed attributes; group estimates are shrunk toward the national poll
/// mean and adjusted by the constituency's past result. Without polls or canvass data the campaign
/// knows only past results.</para>
/// <para>Contactability is estimated too: for each group of observed attributes the campaign knows the mean rate at which
/// attempts through each kind of channel become contacts (its records of past doors knocked, calls made, emails opened
/// and ads served, by segment). Planning reads only these estimates (<see cref="ContactProbability(ChannelSpec, int, int)"/>); whether an
/// attempt actually reaches a voter is decided at delivery with the voter's true propensity.</para>
/// </summary>
public sealed class CampaignKnowledge
{
    private CampaignKnowledge(int voters, int parties) { SupportArray = new float[(long)voters * parties]; TurnoutArray = new float[voters]; Parties = parties; }

    /// <summary>Number of parties.</summary>
    public int Parties { get; }
    /// <summary>Estimated probability that voter i votes for party j (if voting), at i·P + j. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> Support => SupportArray.Frozen();
    /// <summary>The array behind <see cref="Support"/>, for the library's own loops.</summary>
    internal float[] SupportArray { get; }
    /// <summary>Estimated turnout probability of each voter. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<float> Turnout => TurnoutArray.Frozen();
    /// <summary>The array behind <see cref="Turnout"/>, for the library's own loops.</summary>
    internal float[] TurnoutArray { get; }
    /// <summary>The regime the estimates respect.</summary>
    public DataRegime Regime { get; private init; } = null!;
    /// <summary>Respondents of the campaign's poll (0 when polls and canvass data are not allowed).</summary>
    public int PollRespondents { get; private init; }
    /// <summary>Attributes used, with the source each came from and whether it was a cell mean.</summary>
    public IReadOnlyList<string> Features { get; private init; } = [];
    /// <summary>Number of groups the estimator distinguished.</summary>
    public int Groups { get; private init; }
    /// <summary>
    /// Whether the campaign predicts the persuasion of its contacts with an uplift model (<see cref="WithUplift"/>) rather than
    /// deriving it from its estimated support.
    /// </summary>
    public bool HasUplift => _uplift is not null;
    /// <summary>The party whose uplift model this knowledge holds (−1 without one).</summary>
    public int UpliftSponsor { get; private set; } = -1;

    /// <summary>Predicted change in each voter's probability of supporting <see cref="UpliftSponsor"/> per unit of persuasion utility; null without an uplift model.</summary>
    private float[]? _uplift;

    /// <summary>The uplift model's prediction for voter <paramref name="i"/>: the change in the probability of supporting <see cref="UpliftSponsor"/> per unit of persuasion utility (NaN without an uplift model).</summary>
    public double PredictedUplift(int i) => _uplift is { } u ? u[i] : double.NaN;

    /// <summary>The uplift prediction for <paramref name="sponsor"/>'s contacts, or null when the knowledge has none for that party.</summary>
    internal float[]? UpliftFor(int sponsor) => sponsor == UpliftSponsor ? _uplift : null;

    /// <summary>The group of observed attributes each voter falls in (what the campaign can tell voters apart by).</summary>
    private int[] _group = [];
    /// <summary>Estimated contact rate per group and contact class (<see cref="ContactClasses"/> per group).</summary>
    private double[] _contactRate = [];

    /// <summary>Contact classes estimated per group: doors answered, phones answered, emails opened, paid social reach, owned social reach, TV news audience.</summary>
    public const int ContactClasses = 6;

    /// <summary>
    /// The campaign's estimate of the probability that one attempt on voter <paramref name="i"/> through
    /// <paramref name="channel"/> becomes a contact: the mean true rate of the voter's group (measured when the knowledge was
    /// built), mail always arriving, and owned social reaching voters the campaign believes lean elsewhere only at
    /// <see cref="ChannelSpec.OutOfBubbleReach"/>. It never reads the voter's own propensity.
    /// </summary>
    public double ContactProbability(ChannelSpec channel, int i, int sponsor) => ContactProbability(channel, i, sponsor, ChannelSpec.OutOfBubbleReach);

    /// <summary>
    /// As <see cref="ContactProbability(ChannelSpec, int, int)"/>, with owned social reaching voters the campaign believes lean
    /// elsewhere at <paramref name="outOfBubbleReach"/> of its followers' rate (for a post spreading by cascade: what the
    /// campaign's page insights say an earlier post reached in the voter's constituency).
    /// </summary>
    public double ContactProbability(ChannelSpec channel, int i, int sponsor, double outOfBubbleReach)
    {
        ArgumentNullException.ThrowIfNull(channel);
        int o = _group[i] * ContactClasses;
        return channel.Kind switch
        {
            ChannelKind.Canvass => _contactRate[o],
            ChannelKind.Phone or ChannelKind.Robocall => _contactRate[o + 1],
            ChannelKind.Email => _contactRate[o + 2],
            ChannelKind.DirectMail or ChannelKind.SocialPressureMail => 1.0,
            ChannelKind.PaidSocial => _contactRate[o + 3],
            ChannelKind.OwnedSocial => _contactRate[o + 4] * (EstimatedLean(i) == sponsor ? 1.0 : outOfBubbleReach),
            ChannelKind.Tv => _contactRate[o + 5],
            _ => 0,
        };
    }

    /// <summary>The party the campaign believes voter <paramref name="i"/> most likely supports.</summary>
    public int EstimatedLean(int i)
    {
        long o = (long)i * Parties;
        int best = 0;
        for (int j = 1; j < Parties; j++) if (SupportArray[o + j] > SupportArray[o + best]) best = j;
        return best;
    }

    /// <summary>
    /// The same knowledge with the campaign's estimate of its own support and of turnout replaced by trained scores
    /// (<see cref="KnowledgeModel.Scored"/>): voter i's support for <paramref name="sponsor"/> becomes
    /// <paramref name="sponsorSupport"/>[i] and the other parties share the rest in the proportions of the stratified estimate;
    /// turnout becomes <paramref name="turnout"/>[i]. Contact-rate estimates are kept.
    /// </summary>
    public CampaignKnowledge WithScores(int sponsor, ReadOnlySpan<float> sponsorSupport, ReadOnlySpan<float> turnout)
    {
        int n = TurnoutArray.Length, P = Parties;
        if (sponsor < 0 || sponsor >= P) throw new ArgumentOutOfRangeException(nameof(sponsor), sponsor, $"sponsor must be a party index below {P}.");
        if (sponsorSupport.Length != n || turnout.Length != n) throw new ArgumentException($"scores must have one value per voter ({n}).");
        var k = Derived("ML.NET support and turnout scores");
        for (int i = 0; i < n; i++)
        {
            long o = (long)i * P;
            k.TurnoutArray[i] = Math.Clamp(turnout[i], 0.01f, 0.99f);
            double s = Math.Clamp(sponsorSupport[i], 0.001f, 0.999f), rest = 1 - SupportArray[o + sponsor];
            // Where the sponsor does not stand (estimate 0) or no other party does (rest 0), the stratified row stands.
            if (SupportArray[o + sponsor] <= 0 || rest <= 1e-9) { for (int j = 0; j < P; j++) k.SupportArray[o + j] = SupportArray[o + j]; continue; }
            for (int j = 0; j < P; j++) k.SupportArray[o + j] = j == sponsor ? (float)s : (float)(SupportArray[o + j] / rest * (1 - s));
        }
        return k;
    }

    /// <summary>
    /// The same knowledge with an uplift model for <paramref name="sponsor"/> (<see cref="KnowledgeModel.Uplift"/>): the campaign
    /// predicts the persuasion of a contact on voter i from <paramref name="upliftPerUtility"/>[i], the predicted change in the
    /// voter's probability of supporting the sponsor per unit of persuasion utility (a T-learner's uplift score on a randomised
    /// message test divided by the tested message's utility, <see cref="Workbench.Scoring.ScoringResult.TestedMessageUtility"/>),
    /// instead of deriving it from its estimated support through the choice model. A negative prediction (a voter the
    /// message is expected to put off) makes persuasion contacts on that voter worth less than nothing. Support, turnout,
    /// groups and contact-rate estimates are kept. Values that are not finite are refused.
    /// </summary>
    public CampaignKnowledge WithUplift(int sponsor, ReadOnlySpan<float> upliftPerUtility)
    {
        int n = TurnoutArray.Length, P = Parties;
        if (sponsor < 0 || sponsor >= P) throw new ArgumentOutOfRangeException(nameof(sponsor), sponsor, $"sponsor must be a party index below {P}.");
        if (upliftPerUtility.Length != n) throw new ArgumentException($"the uplift prediction must have one value per voter ({n}); got {upliftPerUtility.Length}.", nameof(upliftPerUtility));
        foreach (var u in upliftPerUtility) if (!float.IsFinite(u)) throw new ArgumentException("every uplift prediction must be a finite number.", nameof(upliftPerUtility));
        var k = Derived("ML.NET uplift model (T-learner on a randomised message test)");
        k.UpliftSponsor = sponsor;
        k._uplift = upliftPerUtility.ToArray();
        Array.Copy(TurnoutArray, k.TurnoutArray, n);
        Array.Copy(SupportArray, k.SupportArray, SupportArray.LongLength);
        return k;
    }

    /// <summary>
    /// The same knowledge seen through a biased poll: a house effect bⱼ ~ N(0, <paramref name="sd"/>) per party, centred over
    /// parties and drawn from <paramref name="seed"/>, added to every voter's estimated support for party j (clamped at 0 and
    /// renormalised), so the campaign's estimate of each party's share is off by about bⱼ in every constituency alike
    /// (<see cref="Behaviour.ForecastError.HouseEffect"/>). Turnout estimates, groups and contact rates are kept. With
    /// <paramref name="sd"/> 0 the knowledge itself is returned.
    /// </summary>
    public CampaignKnowledge WithHouseEffect(double sd, int? seed) =>
        WithHouseEffect(sd, Workbench.Random.Seeds.Resolve(seed));

    internal CampaignKnowledge WithHouseEffect(double sd, ulong seed)
    {
        if (!(sd >= 0) || double.IsInfinity(sd)) throw new ArgumentOutOfRangeException(nameof(sd), sd, "The house effect's standard deviation must be finite and 0 or more.");
        if (sd == 0) return this;
        int n = TurnoutArray.Length, P = Parties;
        var rng = new RandomStream(seed, StreamIds.HouseEffect, 0);
        var bias = new double[P];
        for (int j = 0; j < P; j++) bias[j] = sd * rng.Normal();
        double mean = bias.Average();
        for (int j = 0; j < P; j++) bias[j] -= mean;
        var k = Derived();
        Array.Copy(TurnoutArray, k.TurnoutArray, n);
        for (int i = 0; i < n; i++)
        {
            long o = (long)i * P;
            double total = 0;
            for (int j = 0; j < P; j++)
            {
                // A party the voter's row gives 0 (it does not stand there) stays at 0.
                double v = SupportArray[o + j] <= 0 ? 0 : Math.Max(0.001, SupportArray[o + j] + bias[j]);
                k.SupportArray[o + j] = (float)v; total += v;
            }
            if (total > 0) for (int j = 0; j < P; j++) k.SupportArray[o + j] = (float)(k.SupportArray[o + j] / total);
        }
        return k;
    }

    /// <summary>
    /// The same knowledge with its estimated turnout and support replaced by <paramref name="turnout"/> and
    /// <paramref name="support"/> (i·P + j) — the campaign's estimates after what it expects other campaigns' plans to do
    /// (best-response rounds). Groups and contact-rate estimates are kept; the arrays are copied.
    /// </summary>
    internal CampaignKnowledge WithEstimates(float[] turnout, float[] support)
    {
        int n = TurnoutArray.Length, P = Parties;
        if (turnout.Length != n || support.LongLength != (long)n * P) throw new ArgumentException($"estimates must have one turnout per voter ({n}) and one support per voter and party ({(long)n * P}).");
        var k = Derived();
        Array.Copy(turnout, k.TurnoutArray, n);
        Array.Copy(support, k.SupportArray, support.LongLength);
        return k;
    }

    /// <summary>
    /// A knowledge sharing this one's regime, poll, features (with <paramref name="feature"/> appended when given), groups,
    /// contact-rate estimates and uplift model, with fresh support and turnout arrays for the caller to fill.
    /// </summary>
    private CampaignKnowledge Derived(string? feature = null) => new(TurnoutArray.Length, Parties)
    {
        Regime = Regime, PollRespondents = PollRespondents, Features = feature is null ? Features : [.. Features, feature], Groups = Groups,
        _group = _group, _contactRate = _contactRate, UpliftSponsor = UpliftSponsor, _uplift = _uplift,
    };

    /// <summary>Shrinkage strength: pseudo-respondents at the national mean added to each group.</summary>
    public const double Shrinkage = 20;

    private static readonly string[] Candidates = ["age", "education", "past_turnout", "urban", "income_quintile"];

    /// <summary>Builds the campaign's estimates. <paramref name="pollSize"/> is the number of voters the poll tries to reach (null: 2% of voters, between 2,000 and 20,000).</summary>
    public static CampaignKnowledge Build(Electorate.Electorate e, DataRegime regime, int? seed, int? pollSize = null) =>
        Build(e, regime, Workbench.Random.Seeds.Resolve(seed), pollSize);

    internal static CampaignKnowledge Build(Electorate.Electorate e, DataRegime regime, ulong seed, int? pollSize = null)
    {
        ArgumentNullException.ThrowIfNull(e); ArgumentNullException.ThrowIfNull(regime);
        var data = VoterData.Open(e, regime, null, 1UL);
        int n = e.VoterCount, P = e.PartyCount;
        var past = PastResults.Of(e);
        var (features, groups, group) = Grouping(e, regime, data);
        var poll = GroupPoll.Run(e, regime, seed, pollSize, group, groups);
        var rate = ContactRates(e, group, groups);
        var k0 = new CampaignKnowledge(n, P)
        {
            Regime = regime, PollRespondents = poll.Respondents, Features = features, Groups = groups, _group = group, _contactRate = rate,
        };
        var pollMean = poll.Mean; double pollTurn = poll.Turnout;
        if (poll.Respondents > 0) { for (int j = 0; j < P; j++) pollMean[j] /= poll.Respondents; pollTurn /= poll.Respondents; }
        else { Array.Copy(past.NationalShare, pollMean, P); pollTurn = past.NationalTurnout; }
        k0.Estimate(e, group, past, poll, pollMean, pollTurn);
        return k0;
    }

    /// <summary>Public: past results per constituency (with add-one smoothing) and nationally.</summary>
    /// <param name="Share">Per constituency and party: the smoothed past vote share (0 where the party does not stand).</param>
    /// <param name="NationalShare">Per party: the smoothed national past vote share.</param>
    /// <param name="NationalTurnout">The national past turnout.</param>
    /// <param name="Turnout">Per constituency: the sum of past turnout.</param>
    /// <param name="Voters">Per constituency: the number of voters.</param>
    private sealed record PastResults(double[] Share, double[] NationalShare, double NationalTurnout, double[] Turnout, double[] Voters)
    {
        public static PastResults Of(Electorate.Electorate e)
        {
            int n = e.VoterCount, P = e.PartyCount, C = e.ConstituencyCount;
            var past = new double[C * P]; var pastVoters = new double[C]; var pastTurn = new double[C];
            for (int i = 0; i < n; i++)
            {
                int k = e.Constituency[i];
                pastVoters[k]++; pastTurn[k] += e.PastTurnout[i];
                if (e.PastVote[i] >= 0) past[k * P + e.PastVote[i]]++;
            }
            var nationalPast = new double[P]; double nationalTurn = 0;
            for (int k = 0; k < C; k++) { for (int j = 0; j < P; j++) nationalPast[j] += past[k * P + j]; nationalTurn += pastTurn[k]; }
            double npSum = nationalPast.Sum();
            for (int j = 0; j < P; j++) nationalPast[j] = (nationalPast[j] + 1) / (npSum + P);
            nationalTurn /= n;
            var pastShare = new double[C * P];
            for (int k = 0; k < C; k++)
            {
                double s = 0;
                for (int j = 0; j < P; j++) s += past[k * P + j];
                for (int j = 0; j < P; j++) pastShare[k * P + j] = e.VoteModel.StandsArray[k * P + j] ? (past[k * P + j] + 1) / (s + P) : 0;
            }
            return new PastResults(pastShare, nationalPast, nationalTurn, pastTurn, pastVoters);
        }
    }

    /// <summary>Observed features, discretised (each read goes through the regime), and each voter's group: the cell of
    /// the features' levels.</summary>
    private static (List<string> Features, int Groups, int[] Group) Grouping(Electorate.Electorate e, DataRegime regime, VoterData data)
    {
        int n = e.VoterCount;
        var features = new List<string>();
        var codes = new List<(byte[] Code, int Levels)>();
        foreach (var attr in Candidates)
        {
            // Only sources with a record for every voter (voter file, consumer data); polls are labels, platforms never hand data over.
            if (data.UsableSource(attr, s => s is DataSource.VoterFile or DataSource.ConsumerData) is not DataSource source) continue;
            var values = data.PerVoter(attr, source);
            var (code, levels) = Discretise(attr, values);
            codes.Add((code, levels));
            features.Add($"{attr} ({Kebab(source)}{(regime.Aggregated ? $", cell mean of ≥{regime.MinimumUnitHouseholds} households" : "")})");
        }
        int groups = 1;
        foreach (var (_, l) in codes) groups *= l;
        var group = new int[n];
        for (int i = 0; i < n; i++)
        {
            int g = 0;
            foreach (var (code, l) in codes) g = g * l + code[i];
            group[i] = g;
        }
        return (features, groups, group);
    }

    /// <summary>The poll's counts.</summary>
    /// <param name="Votes">Per group and party: the respondents who support the party.</param>
    /// <param name="Answered">Per group: the respondents.</param>
    /// <param name="Voting">Per group: the respondents who will vote.</param>
    /// <param name="Mean">Per party: the respondents who support it (a count; the caller turns it into a share).</param>
    /// <param name="Turnout">The respondents who will vote (a count).</param>
    /// <param name="Respondents">The number of respondents.</param>
    private sealed record GroupPoll(double[] Votes, double[] Answered, double[] Voting, double[] Mean, double Turnout, int Respondents)
    {
        /// <summary>The poll: random attempts, answered with the phone-answering propensity (none when the regime allows
        /// neither polls nor canvassing).</summary>
        public static GroupPoll Run(Electorate.Electorate e, DataRegime regime, ulong seed, int? pollSize, int[] group, int groups)
        {
            int n = e.VoterCount, P = e.PartyCount;
            bool polls = regime.AllowedSources.Contains(DataSource.Polls) || regime.AllowedSources.Contains(DataSource.Canvass);
            var gVotes = new double[groups * P]; var gN = new double[groups]; var gTurn = new double[groups];
            var pollMean = new double[P]; double pollTurn = 0; int respondents = 0;
            if (polls)
            {
                int attempts = pollSize ?? Math.Clamp(n / 50, 2000, 20000);
                attempts = Math.Min(attempts, n);
                var rng = new RandomStream(seed, StreamIds.CampaignKnowledge, 0);
                for (int a = 0; a < attempts; a++)
                {
                    int i = rng.NextInt(n);
                    if (!rng.Bernoulli(e.AnswersPhone[i] / 255.0)) continue;
                    respondents++;
                    int g = group[i], v = e.SincereVote[i];
                    bool turn = rng.Bernoulli((double)e.TurnoutPropensity[i]);
                    gN[g]++; gVotes[g * P + v]++; pollMean[v]++;
                    if (turn) { gTurn[g]++; pollTurn++; }
                }
            }
            return new GroupPoll(gVotes, gN, gTurn, pollMean, pollTurn, respondents);
        }
    }

    /// <summary>Contactability by group: the campaign's records of past attempts (mean true rate per group and class).</summary>
    private static double[] ContactRates(Electorate.Electorate e, int[] group, int groups)
    {
        int n = e.VoterCount;
        var rate = new double[groups * ContactClasses]; var size = new double[groups];
        var probe = new ChannelSpec[] { new() { Kind = ChannelKind.Canvass }, new() { Kind = ChannelKind.Phone }, new() { Kind = ChannelKind.Email },
                                        new() { Kind = ChannelKind.PaidSocial }, new() { Kind = ChannelKind.OwnedSocial }, new() { Kind = ChannelKind.Tv } };
        for (int i = 0; i < n; i++)
        {
            int o = group[i] * ContactClasses;
            size[group[i]]++;
            // Owned social: the reach among followers (the bubble factor is applied from the campaign's own estimate of lean).
            for (int c = 0; c < ContactClasses; c++) rate[o + c] += c == 4 ? probe[c].ContactProbability(e, i, e.PartyId[i]) : probe[c].ContactProbability(e, i, 0);
        }
        for (int g = 0; g < groups; g++) for (int c = 0; c < ContactClasses; c++) rate[g * ContactClasses + c] /= Math.Max(1, size[g]);
        return rate;
    }

    /// <summary>Per voter: group estimate × constituency adjustment, normalised over standing parties.</summary>
    private void Estimate(Electorate.Electorate e, int[] group, PastResults past, GroupPoll poll, double[] pollMean, double pollTurn)
    {
        int n = e.VoterCount, P = e.PartyCount;
        var est = new double[P];
        for (int i = 0; i < n; i++)
        {
            int g = group[i], k = e.Constituency[i];
            double sum = 0;
            for (int j = 0; j < P; j++)
            {
                double pg = (poll.Votes[g * P + j] + Shrinkage * pollMean[j]) / (poll.Answered[g] + Shrinkage);
                est[j] = pg * past.Share[k * P + j] / past.NationalShare[j];
                sum += est[j];
            }
            for (int j = 0; j < P; j++) SupportArray[(long)i * P + j] = (float)(sum > 0 ? est[j] / sum : 1.0 / P);
            double tg = (poll.Voting[g] + Shrinkage * pollTurn) / (poll.Answered[g] + Shrinkage);
            double adj = past.NationalTurnout > 0 ? past.Turnout[k] / past.Voters[k] / past.NationalTurnout : 1;
            TurnoutArray[i] = (float)Math.Clamp(tg * adj, 0.01, 0.99);
        }
    }

    private static string Kebab(DataSource s) => s switch
    {
        DataSource.VoterFile => "voter-file", DataSource.Canvass => "canvass", DataSource.ConsumerData => "consumer-data",
        DataSource.PlatformTargeting => "platform-targeting", DataSource.Polls => "polls", _ => s.ToString(),
    };

    private static (byte[] Code, int Levels) Discretise(string attr, float[] v)
    {
        var code = new byte[v.Length];
        int levels;
        switch (attr)
        {
            case "age":
                levels = Workbench.Electorate.ElectorateSpec.AgeBandCount;
                for (int i = 0; i < v.Length; i++) code[i] = (byte)Workbench.Electorate.ElectorateSpec.AgeBandOf(v[i]);
                break;
            case "past_turnout": case "urban":
                levels = 3; // 0, mixed (cell means), 1
                for (int i = 0; i < v.Length; i++) code[i] = (byte)(v[i] < 1 / 3f ? 0 : v[i] < 2 / 3f ? 1 : 2);
                break;
            case "education":
                levels = 3;
                for (int i = 0; i < v.Length; i++) code[i] = (byte)Math.Clamp((int)MathF.Round(v[i]), 0, 2);
                break;
            default: // income quintile 1..5
                levels = 5;
                for (int i = 0; i < v.Length; i++) code[i] = (byte)Math.Clamp((int)MathF.Round(v[i]) - 1, 0, 4);
                break;
        }
        return (code, levels);
    }
}
