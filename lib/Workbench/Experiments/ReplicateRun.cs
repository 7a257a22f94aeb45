using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Workbench.Campaigns;
using Workbench.Data;
using Workbench.Random;
using Workbench.Behaviour;
using Workbench.Elections;

namespace Workbench.Experiments;

/// <summary>The campaigns of one arm in one replicate: their shifts on every voter, outcomes, contacts and violations.</summary>
public sealed record ArmRun(string Name, ImmutableArray<float> TurnoutShift, ImmutableArray<float> UtilityShift, IReadOnlyDictionary<string, CampaignOutcome> Outcomes,
    ImmutableArray<int> ContactsPerVoter, IReadOnlyList<Workbench.Regulation.Violation> Violations)
{
    /// <summary>The best-response rounds the campaigns played (null when the arm's <see cref="Arm.Rounds"/> is 1).</summary>
    public BestResponseReport? BestResponse { get; init; }
}

/// <summary>
/// One replicate of a scenario: its electorate, election-day model and data view, able to run any arm and to
/// count ballots with common random numbers (the baseline and every arm draw the same election-day numbers).
/// </summary>
public sealed class ReplicateRun
{
    private readonly Scenario _sc;
    private readonly ulong _rs;
    private readonly int _threads;
    private readonly ResponseModel _responses;
    private readonly VoterData _data;
    private readonly Workbench.Networks.Graph? _online;

    internal ReplicateRun(Scenario sc, int replicate, ulong rs, Electorate.Electorate? shared, int threads, CancellationToken ct)
    {
        _sc = sc; _rs = rs; _threads = threads; Replicate = replicate;
        Electorate = shared ?? Workbench.Electorate.Electorates.Generate(sc.Electorate, sc.Voters, RunSeeds.OwnElectorate(rs), threads, cancellationToken: ct);
        Model = new ElectionDayModel(Electorate, threads);
        _responses = new ResponseModel(Model);
        _data = VoterData.Open(Electorate, sc.EffectiveRegime, null, 1UL);
        MarginsArray = [.. Electorate.Summarize().Margins];
        ClosestQuarter = Enumerable.Range(0, MarginsArray.Length).OrderBy(k => MarginsArray[k]).ThenBy(k => k).Take(Math.Max(1, MarginsArray.Length / 4)).ToHashSet();
        _online = sc.Arms.Any(a => a.Campaigns.Any(c => c.Strategy == Strategy.Influencer
                || c.Channels.Any(name => sc.Channel(name) is { Kind: ChannelKind.OwnedSocial, Spread: Spread.Cascade })))
            ? Workbench.Networks.ElectorateGraph.Build(Electorate, sc.Network.Graph, Seeds.Derive(rs, SeedLabels.Replicate.Network)).Online : null;
    }

    /// <summary>The replicate's index.</summary>
    public int Replicate { get; }
    /// <summary>The replicate's seed as written to results.</summary>
    public long SeedColumn => RunSeeds.Column(_rs);
    /// <summary>The electorate.</summary>
    public Electorate.Electorate Electorate { get; }
    /// <summary>Its election-day model.</summary>
    public ElectionDayModel Model { get; }
    /// <summary>Expected winning margin of each constituency. A read-only view of the library's array (no copy).</summary>
    public ImmutableArray<double> Margins => MarginsArray.Frozen();
    /// <summary>The array behind <see cref="Margins"/>, for the library's own loops.</summary>
    internal double[] MarginsArray { get; }
    /// <summary>The closest quarter of constituencies by that margin.</summary>
    public IReadOnlySet<int> ClosestQuarter { get; }
    private ulong ElectionSeed => Seeds.Derive(_rs, SeedLabels.Replicate.Election);
    /// <summary>Number of arms in the scenario.</summary>
    public int ArmCount => _sc.Arms.Count;
    /// <summary>The name of arm <paramref name="a"/>.</summary>
    public string ArmName(int a) => _sc.Arms[a].Name;

    /// <summary>The scenario.</summary>
    public Scenario Scenario => _sc;

    /// <summary>
    /// Runs arm <paramref name="a"/>'s campaigns (in order), returning their combined shifts; with <paramref name="recordDeliveries"/>,
    /// outcomes keep per-voter deliveries (for the ad archive). With <see cref="Arm.Rounds"/> above 1 the campaigns first play
    /// best-response rounds (<see cref="Workbench.Campaigns.BestResponse"/>) and each then delivers its final plan once.
    /// A party's campaign draws the same random numbers in every arm — its poll, its knowledge, its contact draws, oversight's
    /// detections (seeds keyed by replicate and party, not by arm) — so two arms differ only by what their specs change
    /// (common random numbers across arms as well as across systems).
    /// </summary>
    public ArmRun Arm(int a, bool recordDeliveries = false)
    {
        var arm = _sc.Arms[a];
        var e = Electorate;
        int n = e.VoterCount, P = e.PartyCount;
        var parties = e.PartyNames.ToList();
        var turnoutShift = new float[n]; var utilityShift = new float[(long)n * P]; var contacts = new int[n];
        var outcomes = new Dictionary<string, CampaignOutcome>();
        var violations = new List<Workbench.Regulation.Violation>();
        if (arm.Rounds > 1) return Rivals(a, arm, recordDeliveries, turnoutShift, utilityShift, contacts);
        foreach (var spec0 in arm.Campaigns)
        {
            var c = Prepare(a, spec0, contacts, recordDeliveries);
            var outcome = CampaignEngine.Run(c.Context, c.Spec, c.Channels, c.Party, turnoutShift, utilityShift);
            outcomes[c.Spec.Advertiser] = outcome with { SupportAuc = SupportAuc(c.Context.Knowledge, c.Party), TurnoutCorrelation = TurnoutCorrelation(c.Context.Knowledge), UpliftCorrelation = UpliftCorrelation(c.Context.Knowledge, c.Party), UpliftTestCost = c.UpliftTestCost, MessageFactor = c.MessageFactor,
                MessageTestCost = c.MessageTestCost, PersonalityMatch = c.PersonalityMatch };
            violations.AddRange(Violations(arm.Name, c.Spec, outcome, c.Violations));
        }
        Publicity(violations, utilityShift);
        return new ArmRun(arm.Name, turnoutShift.Frozen(), utilityShift.Frozen(), outcomes, contacts.Frozen(), violations);
    }

    /// <summary>A campaign of an arm ready to plan: its regulated spec (budget net of its message test), channels (with its psychographic gain; its message is in the context), the channels as others see them, knowledge and context.</summary>
    private sealed record Prepared(CampaignSpec Spec, int Party, ChannelSpec[] Channels, ChannelSpec[] PublicChannels, double MessageFactor,
        CampaignEngine.Context Context, List<Workbench.Regulation.Violation> Violations)
    {
        /// <summary>With psychographic targeting, the share of voters whose dominant trait was inferred right; NaN otherwise.</summary>
        public double PersonalityMatch { get; init; } = double.NaN;
        /// <summary>With a message choice, what its test cost (deducted from the budget before planning); NaN otherwise.</summary>
        public double MessageTestCost { get; init; } = double.NaN;
        /// <summary>With an uplift model, what its message test cost (deducted from the budget before planning); 0 otherwise.</summary>
        public double UpliftTestCost { get; init; }
    }

    private Prepared Prepare(int a, CampaignSpec spec0, int[] contacts, bool recordDeliveries)
    {
        int party = Electorate.PartyNames.ToList().IndexOf(spec0.Party);
        var campaignViolations = new List<Workbench.Regulation.Violation>();
        // None of the message, the personality profiles, the knowledge or the system depends on the regulated budget or
        // channels, so they are built first: the advertiser weighs violations with them (its own plan's price of a vote).
        var (messageFactor, voterMessageFactor) = MessageFactor(spec0, party);
        // The message test is bought before the campaign plans: its cost comes out of the budget (all of it when the test
        // costs more), and the regulation then applies to what is left.
        double testCost = spec0.Message?.TestCost(PaidSocialCost()) ?? double.NaN;
        if (testCost > 0) spec0 = spec0 with { Budget = Math.Max(0, spec0.Budget - testCost) };
        // Psychographics: the campaign expects its congruent ads to persuade more on average (the channel's effect) and the
        // per-voter factors (mean 1) give that gain to the voters whose dominant trait it inferred right.
        var psycho = spec0.Psychographic && _sc.EffectiveRegime.Profiling
            ? Psychographics.Factors(Electorate, _sc.Evidence.PersonalityAccuracy, _sc.Evidence.PsychographicGain, Seeds.Derive(_rs, SeedLabels.Replicate.Psychographics, (ulong)party)) : default;
        Func<string, ChannelSpec> Decorated(Func<string, ChannelSpec> regulated)
        {
            // The chosen message scales the persuasion of contacts after its test inside the engine (Context.MessageFactor).
            return psycho.Factors is null ? regulated
                : name => regulated(name) is { Kind: ChannelKind.PaidSocial } ch ? ch with { PersuasionEffect = ch.PersuasionEffect * psycho.MeanGain } : regulated(name);
        }
        var (knowledge, upliftCost) = Knowledge(spec0, a, party);
        // The uplift model's message test is mail the campaign pays for: its budget is what is left.
        if (upliftCost > 0) spec0 = spec0 with { Budget = Math.Max(0, spec0.Budget - upliftCost) };
        var system = spec0.OptimiseFor is string name ? _sc.Systems.First(s => s.Name == name) : _sc.Systems[0];
        var ctx = new CampaignEngine.Context(Model, _responses, knowledge, _data, system, Seeds.Derive(_rs, SeedLabels.Replicate.Campaign, (ulong)spec0.Sponsor, (ulong)party), _threads)
        {
            Online = _online, ContactCounter = contacts, RecordDeliveries = recordDeliveries, Weeks = _sc.Weeks, HalfLifeDays = _sc.Evidence.PersuasionHalfLifeDays,
            PaidPersuasionFactor = psycho.Factors, Cascade = _sc.Network.Cascade, MessagePersuasionFactor = voterMessageFactor,
            MessageFactor = messageFactor, MessageTestWeeks = spec0.Message is { RunsTest: true } m ? m.TestWeeks : 0,
            SilenceDays = _sc.Regulation?.SilenceDays ?? 0,
        };
        // The advertiser's own estimate, from its knowledge, of what its money buys: its plan for the whole budget (violations
        // included) evaluated as national vote share, in points per unit of money, and the beneficiary's share without it (its stake).
        (double PointsPerMoney, double Stake) Valuation()
        {
            var channels = spec0.Channels.Select(Decorated(_sc.EffectiveChannel)).ToArray();
            var quiet = ctx with { ContactCounter = null, RecordDeliveries = false };
            var plan = CampaignEngine.Plan(quiet, spec0, channels, party, party);
            var votes = spec0 with { Objective = Objective.Votes };
            double stake = CampaignEngine.ExpectedObjective(quiet, votes, channels, party, null);
            double gain = CampaignEngine.ExpectedObjective(quiet, votes, channels, party, plan) - stake;
            return (spec0.Budget > 0 ? gain / spec0.Budget : 0, stake);
        }
        var (spec, regulated) = Regulated(spec0, a, party, campaignViolations, Valuation);
        var channelOf = Decorated(regulated);
        var planChannels = spec.Channels.Select(channelOf).ToArray();
        ctx = TargetingBan(spec0, spec, a, party, planChannels, ctx, campaignViolations, Valuation);
        return new Prepared(spec, party, planChannels, spec.Channels.Select(regulated).ToArray(), messageFactor, ctx, campaignViolations)
        {
            PersonalityMatch = psycho.Factors is null ? double.NaN : psycho.MatchShare, MessageTestCost = testCost, UpliftTestCost = upliftCost,
        };
    }

    /// <summary>
    /// The cost per contact of paid social that a click test's impressions are bought at: the scenario's channel "paid-social"
    /// of kind paid social (its own cost when the scenario overrides it), else the built-in channel's.
    /// </summary>
    private double PaidSocialCost() =>
        (_sc.Channels.FirstOrDefault(c => c.Name == "paid-social" && c.Kind == ChannelKind.PaidSocial) ?? Workbench.Behaviour.Channels.Get("paid-social")).Cost;

    /// <summary>
    /// The arm's campaigns as rivals: best-response rounds on their own knowledge (<see cref="Workbench.Campaigns.BestResponse"/>),
    /// then each campaign's final plan delivered once, in the arm's order.
    /// </summary>
    private ArmRun Rivals(int a, Arm arm, bool recordDeliveries, float[] turnoutShift, float[] utilityShift, int[] contacts)
    {
        var prepared = arm.Campaigns.Select(spec0 => Prepare(a, spec0, contacts, recordDeliveries)).ToArray();
        var rivals = prepared.Select(c => new Rival(c.Context, c.Spec, c.Channels, c.PublicChannels, c.Party)).ToArray();
        var (plans, report) = Workbench.Campaigns.BestResponse.Play(rivals, arm.Rounds, prepared.Select(c => c.Spec.Advertiser).ToArray());
        var outcomes = new Dictionary<string, CampaignOutcome>();
        var violations = new List<Workbench.Regulation.Violation>();
        for (int c = 0; c < prepared.Length; c++)
        {
            var p = prepared[c];
            var outcome = CampaignEngine.Deliver(p.Context, p.Spec, p.Channels, p.Party, p.Party, plans[c], turnoutShift, utilityShift);
            outcomes[p.Spec.Advertiser] = outcome with { SupportAuc = SupportAuc(p.Context.Knowledge, p.Party), TurnoutCorrelation = TurnoutCorrelation(p.Context.Knowledge), UpliftCorrelation = UpliftCorrelation(p.Context.Knowledge, p.Party), UpliftTestCost = p.UpliftTestCost, MessageFactor = p.MessageFactor,
                MessageTestCost = p.MessageTestCost, PersonalityMatch = p.PersonalityMatch };
            violations.AddRange(Violations(arm.Name, p.Spec, outcome, p.Violations));
        }
        Publicity(violations, utilityShift);
        return new ArmRun(arm.Name, turnoutShift.Frozen(), utilityShift.Frozen(), outcomes, contacts.Frozen(), violations) { BestResponse = report };
    }

    /// <summary>
    /// What the campaign of <paramref name="party"/> in arm <paramref name="a"/> believes about voters (an outside advertiser
    /// polls for itself: its seeds are keyed by its sponsor as well; a party's own campaign keeps the seeds it always had): stratified means from
    /// its poll (<see cref="CampaignKnowledge.Build(Workbench.Electorate.Electorate, Workbench.Data.DataRegime, int?, int?)"/>), or with <see cref="KnowledgeModel.Scored"/> the ML.NET support and
    /// turnout scores of chapter 04 trained under the same regime on a poll of the same size (the scorer's own poll, from the
    /// same derived seed), so that the two differ in the estimator, not in the data.
    /// </summary>
    private (CampaignKnowledge Knowledge, double TestCost) Knowledge(CampaignSpec spec, int a, int party, DataRegime? under = null)
    {
        ulong seed = Seeds.Derive(_rs, SeedLabels.Replicate.Knowledge, (ulong)spec.Sponsor, (ulong)party);
        var regime = under ?? _sc.EffectiveRegime;
        ulong house = spec.Sponsor == Sponsor.Party ? Seeds.Derive(_rs, SeedLabels.Replicate.HouseEffect, (ulong)party) : Seeds.Derive(_rs, SeedLabels.Replicate.HouseEffect, (ulong)party, (ulong)spec.Sponsor);
        var knowledge = CampaignKnowledge.Build(Electorate, regime, seed).WithHouseEffect(_sc.Forecast.HouseEffect, house);
        if (spec.Knowledge == KnowledgeModel.Stratified) return (knowledge, 0);
        int n = Electorate.VoterCount;
        bool uplift = spec.Knowledge == KnowledgeModel.Uplift;
        var scores = Workbench.Scoring.Scorer.Score(Electorate, regime, new Workbench.Scoring.ScoringOptions
        {
            Party = spec.Party, ScoresOnly = !uplift, Clustering = false, PollAttempts = Math.Min(n, Math.Clamp(n / 50, 2000, 20000)), UpliftTestSize = spec.UpliftTestSize,
        }, seed, Model);
        var scored = knowledge.WithScores(party, scores.SupportScoreArray, scores.TurnoutScoreArray);
        // No uplift model could be trained (no poll or canvass data, or no test outcomes the regime lets the campaign keep):
        // the campaign plans as a scored one and sent no test mail.
        if (!uplift || scores.Uplift.Count == 0 || scores.TestTreated == 0) return (scored, 0);
        var perUtility = new float[n];
        double u = scores.TestedMessageUtility;
        for (int i = 0; i < n; i++) perUtility[i] = (float)(scores.UpliftScoreArray[i] / u);
        return (scored.WithUplift(party, perUtility), scores.TestTreated * _sc.Channel("direct-mail").Cost);
    }

    /// <summary>
    /// How well the campaign's uplift model predicts the persuasion of its contacts, judged with the truth: the correlation, over
    /// all voters, of its prediction with the true derivative of the voter's probability of supporting the party with respect to
    /// persuasion utility (P·(1 − P) scaled by the voter's persuadability); NaN without an uplift model.
    /// </summary>
    private double UpliftCorrelation(CampaignKnowledge k, int party)
    {
        if (!k.HasUplift || k.UpliftSponsor != party) return double.NaN;
        int n = Electorate.VoterCount;
        var predicted = new double[n]; var truth = new double[n];
        Span<double> prob = stackalloc double[Electorate.PartyCount];
        for (int i = 0; i < n; i++)
        {
            Model.Probabilities(i, prob);
            predicted[i] = k.PredictedUplift(i);
            truth[i] = prob[party] * (1 - prob[party]) * (double)Electorate.Persuadability[i] / Model.MeanPersuadability;
        }
        return Workbench.Statistics.Metrics.Correlation(predicted, truth);
    }

    /// <summary>
    /// The persuasion factor of the campaign's chosen message (<see cref="MessageChoice"/>): the message space's truth and the
    /// A/B test are seeded per replicate and party only, so every arm sees the same variants and the same clicks; NaN without a
    /// message choice. With a persuasion pretest the factor is the electorate's mean of each voter's cell factor
    /// (<see cref="MessageTargeting.Plan(MessageSpace, IReadOnlyList{string}, long, int, int?)"/>), and when the campaign targets
    /// messages on attributes the per-voter factors relative to that mean are returned too (they scale each contact's
    /// persuasion, so the campaign plans with the mean and each voter receives their cell's message). The regime must let the
    /// campaign hold each targeting attribute: the data layer refuses one it bans.
    /// </summary>
    private (double Mean, float[]? PerVoter) MessageFactor(CampaignSpec spec, int party)
    {
        if (spec.Message is not { } choice) return (double.NaN, null);
        var space = new MessageSpace(Electorate, choice.Space, Seeds.Derive(_rs, SeedLabels.Replicate.MessageSpace, (ulong)party));
        if (choice.PickBy == MessagePick.PersuasionTest)
        {
            foreach (var attribute in choice.TargetOn) _data.RequireTargetable(attribute);
            var plan = MessageTargeting.Plan(space, choice.TargetOn, choice.Impressions, choice.Candidates, Seeds.Derive(_rs, SeedLabels.Replicate.MessageChoice, (ulong)party));
            if (choice.TargetOn.Count == 0 || Math.Abs(plan.MeanFactor) < 1e-12) return (plan.MeanFactor, null);
            var perVoter = new float[plan.Factor.Length];
            for (int i = 0; i < perVoter.Length; i++) perVoter[i] = (float)(plan.Factor[i] / plan.MeanFactor);
            return (plan.MeanFactor, perVoter);
        }
        double mean = space.TruePersuasionArray.Average();
        int chosen = choice.PickBy switch
        {
            MessagePick.Persuasion => Array.IndexOf(space.TruePersuasionArray, space.TruePersuasionArray.Max()),
            MessagePick.Random => new RandomStream(Seeds.Derive(_rs, SeedLabels.Replicate.MessageChoice, (ulong)party), StreamIds.MessageTest, 1).NextInt(space.Messages.Count),
            _ => AbTest.Run(space, choice.Test, choice.Impressions, Seeds.Derive(_rs, SeedLabels.Replicate.MessageChoice, (ulong)party)).Chosen.Id,
        };
        return (Math.Abs(mean) > 1e-12 ? space.TruePersuasionArray[chosen] / mean : 1, null);
    }

    private double SupportAuc(CampaignKnowledge k, int party)
    {
        int n = Electorate.VoterCount, P = k.Parties;
        var score = new double[n]; var label = new bool[n];
        for (int i = 0; i < n; i++) { score[i] = k.SupportArray[(long)i * P + party]; label[i] = Electorate.SincereVote[i] == party; }
        return Workbench.Statistics.Metrics.Auc(score, label);
    }

    private double TurnoutCorrelation(CampaignKnowledge k)
    {
        int n = Electorate.VoterCount;
        var est = new double[n]; var truth = new double[n];
        for (int i = 0; i < n; i++) { est[i] = k.TurnoutArray[i]; truth[i] = (double)Electorate.TurnoutPropensity[i]; }
        return Workbench.Statistics.Metrics.Correlation(est, truth);
    }

    /// <summary>
    /// An advertiser under the scenario's regulation, before it runs (MODEL.md §10 and docs/regulation.md): its budget and its
    /// channels (political-ad ban; dark posts dropped when it complies). The limit that binds depends on who
    /// pays: a party's own campaign the spending cap (and what it may route abroad beyond it), a third-party advertiser the
    /// third-party limit, a foreign-funded advertiser the foreign-funding ban (then all its money is a violation); outside
    /// advertisers escape the party cap. For each violation open to it the advertiser compares the expected cost with the gain
    /// (<see cref="Workbench.Regulation.RegulationSpec.Complies"/>; <paramref name="valuation"/> gives its own price of a vote and its stake,
    /// computed only when publicity enters the choice) and complies — spends only the limit, spends nothing (foreign, banned), runs no dark posts —
    /// when the cost is at least the gain. Oversight draws whether each violation it commits is detected, seeded per replicate,
    /// party, sponsor and kind (the same in every arm); a detected violation under take-down loses its ads' effect (the campaign is taken
    /// to learn of the take-down early enough to move that money — an upper bound on what a take-down removes; a banned foreign
    /// advertiser has nowhere to move it and spends nothing). The violations are returned in <paramref name="violations"/> with the amount still to be set from the
    /// advertiser's outcome.
    /// </summary>
    private (CampaignSpec Spec, Func<string, ChannelSpec> Channel) Regulated(CampaignSpec spec, int a, int party, List<Workbench.Regulation.Violation> violations,
        Func<(double PointsPerMoney, double Stake)> valuation)
    {
        var reg = _sc.Regulation;
        if (reg is null) return (spec, _sc.EffectiveChannel);
        bool Detected(int kind) => ViolationDetected(spec.Sponsor, party, kind, reg.Oversight);
        (double PointsPerMoney, double Stake)? value = null;
        bool Complies(double amount)
        {
            if (reg.Publicity <= 0 || reg.Oversight <= 0) return reg.Deters;
            value ??= valuation();
            return reg.Complies(amount, value.Value.PointsPerMoney, value.Value.Stake);
        }
        string armName = _sc.Arms[a].Name;
        double budget = spec.Budget;
        Workbench.Regulation.Violation Violation(string kind, double amount, bool detected, bool down) =>
            new(armName, Replicate, spec.Party, kind, amount, detected, TakenDown: down) { Sponsor = spec.Sponsor };
        switch (spec.Sponsor)
        {
            case Sponsor.Party when reg.SpendingCap is double cap:
                // What it would spend beyond the cap: up to the share of the cap it can route abroad.
                double over = Math.Min(budget, cap * (1 + reg.AbroadShare)) - cap;
                budget = over > 0 && !Complies(over) ? cap + over : Math.Min(budget, cap);
                if (budget > cap + 1e-6)
                {
                    bool detected = Detected(0), down = detected && reg.TakeDown;
                    violations.Add(Violation("spending-routed-abroad", budget - cap, detected, down));
                    if (down) budget = cap;
                }
                break;
            case Sponsor.ThirdParty when reg.ThirdPartyCap is double limit && budget > limit + 1e-6:
                if (Complies(budget - limit)) { budget = limit; break; }
                {
                    bool detected = Detected(0), down = detected && reg.TakeDown;
                    violations.Add(Violation("third-party-over-limit", budget - limit, detected, down));
                    if (down) budget = limit;
                }
                break;
            case Sponsor.Foreign when reg.ForeignBan && budget > 0:
                if (Complies(budget)) { budget = 0; break; }
                {
                    bool detected = Detected(2), down = detected && reg.TakeDown;
                    violations.Add(Violation("foreign-funded", budget, detected, down));
                    if (down) budget = 0;
                }
                break;
        }
        bool darkPosts = false;
        // The money in dark posts is at most the dark-post share of the budget (all of it on paid social): the gain the advertiser weighs.
        if (reg.Transparency && reg.DarkPostShare > 0 && budget > 0 && spec.Channels.Any(c => _sc.Channel(c).Kind == ChannelKind.PaidSocial) && !Complies(reg.DarkPostShare * budget))
        {
            bool detected = Detected(1);
            darkPosts = !(detected && reg.TakeDown);
            violations.Add(Violation("dark-posts", 0, detected, !darkPosts));
        }
        bool dropDark = reg.Transparency && reg.DarkPostShare > 0 && !darkPosts;
        return (spec with { Budget = budget }, name => dropDark ? reg.WithoutDarkPosts(_sc.EffectiveChannel(name)) : _sc.EffectiveChannel(name));
    }

    /// <summary>
    /// Whether oversight detects a violation of kind <paramref name="kind"/> (0 over a cap or limit, 1 dark posts, 2 foreign funding, 3 a breached targeting
    /// ban) by <paramref name="sponsor"/> for <paramref name="party"/>: one draw per replicate, sponsor, party and kind, the same in
    /// every arm.
    /// </summary>
    private bool ViolationDetected(Sponsor sponsor, int party, int kind, double oversight) =>
        new RandomStream(Seeds.Derive(_rs, SeedLabels.Replicate.Oversight, (ulong)sponsor, (ulong)party), StreamIds.RegulationDetection, (ulong)kind).NextDouble() < oversight;

    /// <summary>
    /// A breachable targeting ban (<see cref="Workbench.Regulation.RegulationSpec.Breachable"/>), weighed by a party campaign that
    /// uses individual data — a microtarget strategy, or scored or uplift knowledge — when the ban takes from it attributes the
    /// scenario's regime would otherwise allow. The campaign plans twice on the same (regulated) budget and channels: compliant,
    /// on the data and knowledge of the regulated regime (<paramref name="ctx"/>), and breaching, on those of the regime without the
    /// ban (<see cref="Workbench.Regulation.RegulationSpec.ApplyWithoutBan"/>; its knowledge from the same seed), and evaluates both
    /// plans' expected objective (<see cref="CampaignEngine.ExpectedObjective"/>) under the breaching knowledge — its best estimate,
    /// which it holds whether or not it uses it. The gain of breaching is the difference, priced at the compliant plan's money per
    /// unit of objective (its expected gain over no campaign under the same knowledge, over its budget)
    /// (<see cref="Workbench.Regulation.RegulationSpec.BreachesBan"/>); the money the breach involves is taken to be the campaign's
    /// whole budget, since its knowledge sets the value of every channel (a scored campaign's, and a microtarget one's individual
    /// plan). An uplift campaign's breaching plan keeps the compliant budget, net of the compliant knowledge's test mail (an
    /// assumption: the test is not re-costed). It breaches when the expected cost of that amount
    /// (<see cref="Workbench.Regulation.RegulationSpec.ExpectedCost"/>) is below the gain; oversight then draws detection (stream kind
    /// 3, seeded per replicate, sponsor and party as the other kinds), and a detected breach under take-down falls back to the
    /// compliant plan (as for the other kinds, the campaign is taken to learn of the take-down early enough — an upper bound on what
    /// a take-down removes). Returns the context the campaign runs with; the violation, if any, is added to
    /// <paramref name="violations"/> with its amount set later from the campaign's spend.
    /// </summary>
    private CampaignEngine.Context TargetingBan(CampaignSpec spec0, CampaignSpec spec, int a, int party, ChannelSpec[] channels, CampaignEngine.Context ctx,
        List<Workbench.Regulation.Violation> violations, Func<(double PointsPerMoney, double Stake)> valuation)
    {
        if (_sc.Regulation is not { Breachable: true } reg || reg.BannedTargeting.Count == 0 || spec.Sponsor != Sponsor.Party || spec.Budget <= 0) return ctx;
        if (spec.Strategy != Strategy.Microtarget && spec.Knowledge == KnowledgeModel.Stratified) return ctx;
        var banned = _sc.EffectiveRegime;
        var free = reg.ApplyWithoutBan(_sc.Regime);
        if (banned.BannedAttributes.SequenceEqual(free.BannedAttributes, StringComparer.Ordinal)) return ctx;
        var (knowledge, _) = Knowledge(spec0, a, party, free);
        var breaching = ctx with { Knowledge = knowledge, Data = VoterData.Open(Electorate, free, null, 1UL) };
        // Both plans are judged under the breaching knowledge, the campaign's best estimate (it holds the data either way; the ban
        // only forbids using it): judged each under its own knowledge, the difference mostly measures how the coarser knowledge
        // rates any plan, not what the banned attributes add.
        var quiet = breaching with { ContactCounter = null, RecordDeliveries = false };
        var compliantPlan = CampaignEngine.Plan(ctx with { ContactCounter = null, RecordDeliveries = false }, spec, channels, party, party);
        var breachingPlan = CampaignEngine.Plan(quiet, spec, channels, party, party);
        double none = CampaignEngine.ExpectedObjective(quiet, spec, channels, party, null);
        double compliant = CampaignEngine.ExpectedObjective(quiet, spec, channels, party, compliantPlan);
        double breach = CampaignEngine.ExpectedObjective(quiet, spec, channels, party, breachingPlan);
        double amount = spec.Budget;
        var value = reg.Publicity > 0 && reg.Oversight > 0 ? valuation() : (0, 0);
        double cost = reg.ExpectedCost(amount, value.PointsPerMoney, value.Stake);
        if (!Workbench.Regulation.RegulationSpec.BreachesBan(breach - compliant, compliant - none, spec.Budget, cost)) return ctx;
        bool detected = ViolationDetected(spec.Sponsor, party, 3, reg.Oversight);
        bool down = detected && reg.TakeDown;
        violations.Add(new(_sc.Arms[a].Name, Replicate, spec.Party, "targeting-banned-attribute", amount, detected, TakenDown: down) { Sponsor = spec.Sponsor });
        return down ? ctx : breaching;
    }

    /// <summary>
    /// The advertiser's violations with their amounts and fines from what it spent: money above its limit (the party cap, the
    /// third-party limit, or all of it when foreign funding is banned or when it breached a targeting ban; the planned amount
    /// when the violation was taken down), and the dark-post share of paid social spending; with
    /// publicity, the share of the beneficiary's votes a detected violation costs.
    /// </summary>
    private IEnumerable<Workbench.Regulation.Violation> Violations(string armName, CampaignSpec spec, CampaignOutcome outcome, List<Workbench.Regulation.Violation> planned)
    {
        var reg = _sc.Regulation!;
        foreach (var v in planned)
        {
            double limit = v.Kind switch { "spending-routed-abroad" => reg.SpendingCap!.Value, "third-party-over-limit" => reg.ThirdPartyCap!.Value, _ => 0 };
            double amount = v.Kind == "dark-posts"
                ? reg.DarkPostShare * outcome.SpendByChannel.Where(kv => _sc.Channel(kv.Key).Kind == ChannelKind.PaidSocial).Sum(kv => kv.Value)
                : v.TakenDown ? v.Amount : Math.Max(0, outcome.Spend - limit);
            if (amount <= 1e-6) continue;
            yield return v with { Amount = amount, Sanction = v.Detected ? reg.Fine * amount : 0, PublicityShare = v.Detected ? reg.Publicity : 0 };
        }
    }

    /// <summary>
    /// Publicity as a sanction: each detected violation committed for a party costs it the regulation's publicity share of its
    /// votes. Every voter's probability of voting for the party, given the arm's shifts so far (before any election-day swing), falls by the factor
    /// (1 − publicity)^detections; the utility shift that does so is ln(r(1 − p)/(1 − rp)) for probability p and factor r, and
    /// the other parties gain in proportion (the logit's independence of irrelevant alternatives). Nothing changes without a
    /// detected violation or without publicity.
    /// </summary>
    private void Publicity(List<Workbench.Regulation.Violation> violations, float[] utilityShift)
    {
        if (_sc.Regulation is not { Publicity: > 0 } reg) return;
        int n = Electorate.VoterCount, P = Electorate.PartyCount;
        var parties = Electorate.PartyNames.ToList();
        var q = new double[P];
        foreach (var g in violations.Where(v => v.Detected && v.PublicityShare > 0).GroupBy(v => v.Party).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int j = parties.IndexOf(g.Key);
            double r = g.Aggregate(1.0, (f, v) => f * (1 - v.PublicityShare));
            for (int i = 0; i < n; i++)
            {
                Model.Probabilities(i, q, utilityShift.AsSpan((int)((long)i * P), P));
                double p = Math.Min(q[j], 1 - 1e-12);
                utilityShift[(long)i * P + j] += (float)Math.Log(r * (1 - p) / (1 - r * p));
            }
        }
    }

    /// <summary>
    /// Counts the election: the baseline when <paramref name="arm"/> is null. <paramref name="voted"/> records who voted. With a
    /// forecast swing (<see cref="Scenario.Forecast"/>) election day swings away from what the campaigns forecast — the same
    /// swing for the baseline and every arm of this replicate, so their differences stay paired.
    /// </summary>
    public Ballots Vote(ArmRun? arm, bool[]? voted = null) => Vote(arm, voted, opinion: true);

    /// <summary>
    /// Counts the election as <see cref="Vote(ArmRun?, bool[])"/>; with <paramref name="opinion"/> false, as if the campaign's
    /// opinion dynamics (<see cref="Workbench.Networks.NetworkSpec.Opinion"/>) had not moved any position — on the same
    /// election-day draws, so the difference between the two counts is the dynamics' alone. Without dynamics the flag changes nothing.
    /// </summary>
    public Ballots Vote(ArmRun? arm, bool[]? voted, bool opinion)
    {
        var swing = Swing;
        var drift = opinion ? Drift?.UtilityShift.Raw() : null;
        if (swing is null && drift is null) return Model.Vote(ElectionSeed, arm?.TurnoutShift.Raw(), arm?.UtilityShift.Raw(), _threads, voted);
        // The baseline with a swing alone counts the swing itself: no per-voter array to build.
        if (drift is null && arm is null) return Model.Vote(ElectionSeed, null, swing, _threads, voted);
        var shift = new float[(long)Electorate.VoterCount * Electorate.PartyCount];
        // Added in a fixed order (swing, drift, campaigns); a part that is absent adds nothing, so counts without drift are as before.
        var utility = arm is null ? default : arm.UtilityShift.AsSpan();
        for (int x = 0; x < shift.Length; x++)
        {
            float v = swing is null ? 0f : swing[x];
            if (drift is not null) v += drift[x];
            if (arm is not null) v += utility[x];
            shift[x] = v;
        }
        return Model.Vote(ElectionSeed, arm?.TurnoutShift.Raw(), shift, _threads, voted);
    }

    private Workbench.Networks.OpinionDrift? _drift;
    private bool _driftRun;
    private readonly Lock _driftLock = new();
    /// <summary>
    /// What the scenario's opinion dynamics (<see cref="Workbench.Networks.NetworkSpec.Opinion"/>) did in this replicate, or null
    /// without them: run once, on the replicate's online graph (the one cascades use) over the scenario's weeks, from a seed
    /// keyed by the replicate only — the baseline and every arm count the same moved positions, so their contrasts stay paired.
    /// Campaigns never see the drift: they plan on the pre-campaign positions (<see cref="Model"/>'s utilities).
    /// </summary>
    public Workbench.Networks.OpinionDrift? Drift
    {
        get
        {
            lock (_driftLock)
            {
                if (!_driftRun && _sc.Network.Opinion is { } op)
                {
                    var graph = _online ?? Workbench.Networks.ElectorateGraph.Build(Electorate, _sc.Network.Graph, Seeds.Derive(_rs, SeedLabels.Replicate.Network)).Online;
                    _drift = op.Run(Electorate, graph, _sc.Weeks, Seeds.Derive(_rs, SeedLabels.Replicate.OpinionDrift), _threads);
                }
                _driftRun = true;
                return _drift;
            }
        }
    }

    private float[]? _swing;
    private bool _swingDrawn;
    private readonly Lock _swingLock = new();
    /// <summary>This replicate's election-day swing away from the forecast as a per-voter utility shift, or null without one.</summary>
    private float[]? Swing
    {
        get
        {
            lock (_swingLock)
            {
                if (!_swingDrawn) { _swing = _sc.Forecast.UtilityShift(Model, Seeds.Derive(_rs, SeedLabels.Replicate.ForecastSwing)); _swingDrawn = true; }
                return _swing;
            }
        }
    }

    /// <summary>
    /// The seed of election-day draw <paramref name="draw"/> of this replicate (for re-drawing election day, as the suppression
    /// study does): draw 0 is the replicate's own election, the one <see cref="Vote(ArmRun?, bool[])"/> and <c>Simulation.Run</c> count; draw d &gt; 0
    /// derives from the replicate seed and d.
    /// </summary>
    public ulong DrawSeed(int draw)
    {
        if (draw < 0) throw new ArgumentOutOfRangeException(nameof(draw), draw, "draw must not be negative.");
        return draw == 0 ? ElectionSeed : Seeds.Derive(_rs, SeedLabels.Replicate.ElectionDraw, (ulong)draw);
    }

    /// <summary>The index of the arm named <paramref name="armName"/>; an ArgumentException names the arms when there is none.</summary>
    public int ArmIndex(string armName)
    {
        for (int k = 0; k < ArmCount; k++) if (ArmName(k) == armName) return k;
        throw new ArgumentException($"No arm named '{armName}' (arms: {string.Join(", ", _sc.Arms.Select(x => x.Name))}).", nameof(armName));
    }

    /// <summary>
    /// The suppression-risk report (MODEL.md §9) of arm <paramref name="armName"/> for victim party <paramref name="victim"/>:
    /// the baseline and the arm counted on the same election-day draws, analysed by <see cref="Workbench.Suppression.SuppressionRisk"/>.
    /// </summary>
    public Workbench.Suppression.SuppressionReport Suppression(string armName, string victim, double marginUncertainty = 0.05)
    {
        var arm = Arm(ArmIndex(armName));
        int n = Electorate.VoterCount;
        var votedBase = new bool[n]; var votedArm = new bool[n];
        Vote(null, votedBase); Vote(arm, votedArm);
        return Workbench.Suppression.SuppressionRisk.Analyse(Model, arm.TurnoutShift.AsSpan(), votedBase, votedArm, victim, marginUncertainty);
    }

    /// <summary>The transparency archive (MODEL.md §10) of arm <paramref name="armName"/>: its campaigns rerun with deliveries recorded.</summary>
    public Workbench.Transparency.AdArchive Archive(string armName)
    {
        int a = ArmIndex(armName);
        var arm = Arm(a, recordDeliveries: true);
        return Workbench.Transparency.AdArchive.Build(Electorate, arm.Outcomes,
            new Workbench.Transparency.ArchiveContext(_sc.Name, armName, a, Replicate, SeedColumn, _sc.Regulation,
                _sc.Regulation is { Transparency: true } ? arm.Violations.Where(v => v.Kind == "dark-posts" && !v.TakenDown).Select(v => v.Advertiser).ToHashSet() : null));
    }
}
