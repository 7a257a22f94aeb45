using System.Collections.Immutable;
using System.Runtime.InteropServices;

using Workbench.Behaviour;
namespace Workbench.Campaigns;

/// <summary>Targeting strategies of MODEL.md §6.</summary>
public enum Strategy
{
    /// <summary>No targeting: the budget is split evenly over the channels and spread over everyone they reach.</summary>
    Broadcast,
    /// <summary>Classic demographic targeting: national age × education groups, the best groups first.</summary>
    Demographic,
    /// <summary>Score-based microtargeting: individual voters (cells of k households under an aggregated regime; platform audiences for paid social), best expected value per cost first.</summary>
    Microtarget,
    /// <summary>Geographic targeting: whole constituencies (regions for TV), best first — under FPTP, the marginal seats.</summary>
    Geographic,
    /// <summary>Influencer seeding: the campaign pays voters to post to their online ties (the online layer of the electorate's social graph); seeds whose audience is worth most per cost first. Social channels only.</summary>
    Influencer,
}

/// <summary>What a campaign maximises (MODEL.md §6).</summary>
public enum Objective
{
    /// <summary>Expected seats under the system named by <see cref="CampaignSpec.OptimiseFor"/> (FPTP: seat pivotality; list PR: the share of the next seat; MMP: the list tier).</summary>
    Seats,
    /// <summary>Expected national vote share.</summary>
    Votes,
}

/// <summary>How a campaign estimates each voter's support and turnout from the data its regime allows.</summary>
public enum KnowledgeModel
{
    /// <summary>Stratified means with shrinkage over the observed attributes, adjusted by past results (<see cref="CampaignKnowledge.Build(Workbench.Electorate.Electorate, Workbench.Data.DataRegime, int?, int?)"/>): the baseline.</summary>
    Stratified,
    /// <summary>Support and turnout scores trained with ML.NET on the same kinds of data (the scoring models of chapter 04, <c>Scoring.Scorer</c>), replacing the stratified estimates of the campaign's own support and of turnout.</summary>
    Scored,
    /// <summary>
    /// As <see cref="Scored"/>, and the campaign also runs a randomised message test (mail to a random half of the test's
    /// voters, <c>Scoring.ScoringOptions.UpliftTestSize</c>), trains chapter 04's T-learner uplift model on it, and values
    /// each persuasion contact by the model's predicted uplift for that voter instead of deriving it from its estimated
    /// support — targeting by predicted uplift per cost. The test's mail is paid from the campaign's budget. Where the regime
    /// allows no poll or canvass data, or leaves no test outcomes the campaign may keep, no model can be trained and the
    /// campaign plans as <see cref="Scored"/>.
    /// </summary>
    Uplift,
}

/// <summary>How a campaign picks the message its contacts carry (MODEL.md §5; chapter 05).</summary>
public enum MessagePick
{
    /// <summary>The winner of the campaign's A/B test on clicks — what campaigns can observe and usually do.</summary>
    Engagement,
    /// <summary>The truly most persuasive variant: an upper bound (a perfectly powered persuasion experiment), not something a campaign can observe.</summary>
    Persuasion,
    /// <summary>A variant drawn at random: no test at all.</summary>
    Random,
    /// <summary>
    /// The winner of a randomised persuasion pretest (a survey experiment, as Tappin et al. 2023 ran) of
    /// <see cref="MessageChoice.Candidates"/> variants on <see cref="MessageChoice.Impressions"/> respondents — in each cell of
    /// <see cref="MessageChoice.TargetOn"/> when the campaign targets messages (<see cref="MessageTargeting"/>).
    /// </summary>
    PersuasionTest,
}

/// <summary>
/// A campaign's message choice: it tests variants of the message space in its first <see cref="TestWeeks"/> weeks, while its
/// contacts carry the tested space's average variant, and from then on every contact carries the chosen variant, whose true
/// mean persuasion, relative to the average variant, scales the persuasion effect of all its channels (turnout effects are
/// not changed). The test is bought out of the campaign's budget before it plans (<see cref="TestCost"/>). The message space
/// and the test are drawn per replicate and party, the same in every arm, so arms that differ only in <see cref="PickBy"/>
/// compare picking rules on the same messages and clicks.
/// </summary>
public sealed record MessageChoice
{
    /// <summary>How the test spends impressions (chapter 05's strategies).</summary>
    public TestStrategy Test { get; init; } = TestStrategy.Thompson;
    /// <summary>
    /// Impressions the test serves: an engagement (click) test buys them on paid social, where a delivered contact is a flight
    /// of <see cref="Channels.ImpressionsPerPaidContact"/> impressions, so each impression costs that fraction of a contact; a
    /// persuasion pretest pays each as one survey respondent (<see cref="CostPerRespondent"/>); charged to the campaign's budget
    /// (<see cref="TestCost"/>).
    /// </summary>
    [Param("Impressions of a campaign's message test (paid-social ad impressions of a click test, respondents of a persuasion pretest)", Min = 100, Max = 100_000_000)]
    public int Impressions { get; init; } = 20_000;
    /// <summary>
    /// Whole weeks at the start of the campaign calendar that the test occupies (default 2; less than the scenario's
    /// <c>weeks</c>). During weeks 1..TestWeeks the campaign does not know its winner yet: its contacts carry the tested space's
    /// average variant (and with <see cref="TargetOn"/> no cell's message); from week TestWeeks + 1 they carry the chosen
    /// message. It applies to every pick that runs a test and to the oracle <see cref="MessagePick.Persuasion"/> pick (so that
    /// the oracle and the engagement pick compare picking rules with the same test period), not to <see cref="MessagePick.Random"/>.
    /// </summary>
    [Param("Weeks at the start of the campaign calendar that the message test occupies (contacts then carry the average variant)", Min = 0, Max = 52, Unit = "weeks",
        Citation = "assumption: a two-week test, long enough for a click test of tens of thousands of impressions or a survey pretest to field and be read")]
    public int TestWeeks { get; init; } = 2;
    /// <summary>The price of one respondent of a persuasion pretest (<see cref="MessagePick.PersuasionTest"/>), in currency units.</summary>
    [Param("Cost of one respondent of a persuasion pretest (pickBy persuasion-test)", Min = 0, Max = 1000, Unit = "currency",
        Citation = "assumption: an online survey-panel complete costs about a volunteer phone attempt; Tappin et al. (2023) PNAS 120(25) ran their pretests on survey panels")]
    public double CostPerRespondent { get; init; } = 1.0;
    /// <summary>
    /// Multiplier on the test's charge (not read from files): <c>Scenario.With</c> scales it with the electorate like budgets, so
    /// that the test costs the same share of the budget at any modelled electorate size.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal double ChargeScale { get; init; } = 1.0;
    /// <summary>The picking rule.</summary>
    public MessagePick PickBy { get; init; } = MessagePick.Engagement;
    /// <summary>Variants on the shortlist of a persuasion pretest (<see cref="MessagePick.PersuasionTest"/>; "dozens" in Tappin et al. 2023).</summary>
    [Param("Candidate variants on a persuasion pretest's shortlist (pickBy persuasion-test)", Min = 2, Max = 100_000,
        Citation = "assumption: dozens of messages, as in the pretests of Tappin et al. (2023) PNAS 120(25)")]
    public int Candidates { get; init; } = 24;
    /// <summary>
    /// Attributes the campaign targets messages on (names of <see cref="MessageTargeting.Attributes"/>; default none: one message
    /// for everyone). With attributes, the pretest is analysed in each cell of them, each cell's contacts carry that cell's
    /// winner, and each contact's persuasion is scaled by its cell's factor (<see cref="MessageTargeting.Plan(MessageSpace, IReadOnlyList{string}, long, int, int?)"/>).
    /// Needs <c>pickBy</c> persuasion-test, and the regime must let the campaign hold each attribute (a banned attribute is refused).
    /// </summary>
    public IReadOnlyList<string> TargetOn { get; init; } = [];
    /// <summary>The hidden truth of the message space (null: the defaults of <see cref="MessageSpaceSpec"/>, no attribute heterogeneity).</summary>
    public MessageSpaceSpec? Space { get; init; }

    /// <summary>Whether the pick runs a test period (every pick but <see cref="MessagePick.Random"/>; the oracle pick is given the same period and charge as an engagement test).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool RunsTest => PickBy != MessagePick.Random;

    /// <summary>
    /// What the test costs the campaign: <see cref="Impressions"/> paid-social impressions, at <paramref name="paidSocialCost"/>
    /// (the price of a delivered contact) per <see cref="Channels.ImpressionsPerPaidContact"/> impressions, for an engagement test
    /// and for the oracle pick (the same test, read perfectly), <see cref="Impressions"/> respondents at
    /// <see cref="CostPerRespondent"/> for a persuasion pretest, nothing for a random pick; times the electorate scaling of
    /// <c>Scenario.With</c>.
    /// </summary>
    public double TestCost(double paidSocialCost) => PickBy switch
    {
        MessagePick.Random => 0,
        MessagePick.PersuasionTest => Impressions * CostPerRespondent * ChargeScale,
        _ => Impressions * paidSocialCost / Channels.ImpressionsPerPaidContact * ChargeScale,
    };

    /// <summary>Validates the choice (ranges, targeting attributes and their pairing with the picking rule) at <paramref name="path"/>.</summary>
    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(this, path, errors);
        if (Space is not null) Parameters.CheckRanges(Space, path + ".space", errors);
        int perIssue = 18 * (Space ?? new MessageSpaceSpec()).Creatives;
        if (Candidates > perIssue)
            errors.Add(new(path + ".candidates", $"must be at most the message space's variants per issue (2 frames × 3 tones × 3 emotions × creatives = {perIssue}); got {Candidates}."));
        errors.AddRange(MessageTargeting.Validate(TargetOn, path + ".targetOn"));
        if (TargetOn is { Count: > 0 } && PickBy != MessagePick.PersuasionTest)
            errors.Add(new(path + ".pickBy", $"targeting messages on attributes needs a persuasion pretest (pickBy persuasion-test): clicks do not vary with the attributes and a random or oracle pick has nothing to analyse by cell; got {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(PickBy.ToString())}."));
        return errors;
    }
}

/// <summary>Where a campaign's volunteers canvass (MODEL.md §6).</summary>
public enum Routing
{
    /// <summary>Each volunteer canvasses only the constituency they live in.</summary>
    Home,
    /// <summary>
    /// Each volunteer travels to the seat where their door attempts, net of the time the journey takes, add most to the
    /// campaign's objective — Momentum's "My Nearest Marginal", which sent Labour canvassers to the nearest constituency
    /// Labour could win (International IDEA, <i>Digital Microtargeting</i>, 2018, "Canvassing and mobilization").
    /// </summary>
    NearestMarginal,
}

/// <summary>
/// A campaign's canvassing volunteers (MODEL.md §6; docs/campaigns.md, "Volunteers where they live"). Volunteers live where
/// the party's identifiers live: <see cref="Count"/> is apportioned to constituencies in proportion to the sponsor's
/// identifiers (largest remainders, ties broken by a seeded draw). Each gives <see cref="HoursPerVolunteer"/> hours in
/// sessions of <see cref="SessionHours"/>; a door attempt takes <see cref="MinutesPerDoor"/> minutes; canvassing away from
/// home costs, in every session, a journey there and back of <see cref="TravelMinutesPerMapUnit"/> minutes per map unit of
/// distance between the two constituencies' centroids. The campaign's canvass channel then has a capacity per constituency
/// (the attempts its volunteers there can make), replacing the channel's national <see cref="ChannelSpec.Capacity"/>; the
/// budget still pays the channel's cost per attempt.
/// </summary>
public sealed record VolunteerSpec
{
    /// <summary>Number of volunteers (scaled with the electorate by <c>Scenario.With</c>, like budgets).</summary>
    [Param("Volunteers who canvass for the campaign", Min = 0, Max = 10_000_000)]
    public int Count { get; init; }
    /// <summary>Hours each volunteer gives over the campaign, travel included.</summary>
    [Param("Hours each volunteer gives over the campaign (travel included)", Min = 0.5, Max = 2000, Unit = "hours")]
    public double HoursPerVolunteer { get; init; } = 12;
    /// <summary>Where the volunteers canvass.</summary>
    public Routing Routing { get; init; } = Routing.Home;
    /// <summary>
    /// Minutes per door attempt, walking between doors included. Default 4 (15 doors an hour): the budgeting figure of
    /// volunteer voter-contact formulas for a targeted walk list (Wellstone Action: 15 doors and about 4 contacts an hour on a
    /// suburban walk list, 25 doors on a dense one) — an assumption, not a measured rate of this electorate.
    /// </summary>
    [Param("Minutes per door attempt, walking between doors included (assumption: 15 doors an hour on a targeted walk list)", Min = 0.5, Max = 60, Unit = "minutes",
        Citation = "Wellstone Action voter-contact formulas: 15 doors (about 4 contacts) an hour on a suburban walk list, 25 on a dense one")]
    public double MinutesPerDoor { get; init; } = 4;
    /// <summary>Hours of one canvassing session (one journey there and back). Default 3, an assumption (a weekend afternoon).</summary>
    [Param("Hours of one canvassing session, including its journey (assumption)", Min = 0.5, Max = 16, Unit = "hours")]
    public double SessionHours { get; init; } = 3;
    /// <summary>
    /// Minutes of a journey there and back per map unit of distance between constituency centroids (the synthetic map is the
    /// unit square). Default 1,200: a country about 500 km across travelled at about 50 km/h — an assumption.
    /// </summary>
    [Param("Minutes of a journey there and back per map unit between constituency centroids (assumption: a 500 km country at 50 km/h)", Min = 0, Max = 100_000, Unit = "minutes")]
    public double TravelMinutesPerMapUnit { get; init; } = 1200;

    /// <summary>Door attempts one volunteer makes in a constituency whose centroid is <paramref name="distance"/> map units from home.</summary>
    public double Attempts(double distance)
    {
        double perSession = Math.Max(0, SessionHours * 60 - distance * TravelMinutesPerMapUnit) / MinutesPerDoor;
        return HoursPerVolunteer / SessionHours * perSession;
    }
}

/// <summary>
/// Who pays for an advertiser's ads (MODEL.md §10; docs/regulation.md, "Outside money"). Campaign finance law treats the three
/// differently: a party's own campaign is bound by the party's spending cap; a registered non-party campaigner ("third party")
/// works for a party's cause with its own money and, where the law has one, its own limit (the UK's Political Parties,
/// Elections and Referendums Act 2000, Part VI); money from abroad may be banned outright (PPERA 2000, s. 54: only
/// permissible, UK-based donors). International IDEA's primer (2018) notes that digital campaigning lets expenditure take
/// place outside the country's jurisdiction, and its 2020 roundtables ask that citizens know how much "parties, candidates,
/// and other relevant parties" spend.
/// </summary>
public enum Sponsor
{
    /// <summary>The party's own campaign (the default): bound by the party spending cap.</summary>
    Party,
    /// <summary>A registered non-party campaigner working for the party with its own budget: the party cap does not bind it; a third-party limit may.</summary>
    ThirdParty,
    /// <summary>An advertiser funded from abroad working for the party: no spending cap binds it; a foreign-funding ban makes all its ads a violation.</summary>
    Foreign,
}

/// <summary>Names of advertisers.</summary>
public static class Advertisers
{
    /// <summary>
    /// The name of the advertiser that <paramref name="sponsor"/> runs for <paramref name="party"/>: the party's own name for its
    /// campaign (so results keyed by party are unchanged), otherwise "PARTY (third-party)" or "PARTY (foreign)".
    /// </summary>
    public static string Name(string party, Sponsor sponsor) =>
        sponsor == Sponsor.Party ? party : $"{party} ({Label(sponsor)})";

    /// <summary>The sponsor as written in scenario files: party, third-party or foreign.</summary>
    public static string Label(Sponsor sponsor) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(sponsor.ToString());
}

/// <summary>
/// One advertiser's campaign: budget, strategy, objective and channels. By default the party's own campaign; with
/// <see cref="Sponsor"/> an outside (third-party) or foreign-funded advertiser working for <see cref="Party"/>.
/// </summary>
public sealed record CampaignSpec
{
    /// <summary>The party the campaign works for (a party name of the electorate): its sponsor, or with an outside <see cref="Sponsor"/> its beneficiary.</summary>
    public string Party { get; init; } = "";
    /// <summary>
    /// Who pays (default <c>party</c>): <c>third-party</c> or <c>foreign</c> make the campaign an outside advertiser working for
    /// <see cref="Party"/> with its own budget. Its effects count for the party (seats and votes), its spend is reported per
    /// advertiser, and the regulation treats it as its own (<c>RegulationSpec.ThirdPartyCap</c>, <c>RegulationSpec.ForeignBan</c>).
    /// </summary>
    public Sponsor Sponsor { get; init; } = Sponsor.Party;
    /// <summary>The advertiser's name in results: the party's name for its own campaign, otherwise "PARTY (third-party)" or "PARTY (foreign)".</summary>
    [System.Text.Json.Serialization.JsonIgnore] public string Advertiser => Advertisers.Name(Party, Sponsor);
    /// <summary>Budget (currency units).</summary>
    [Param("Campaign budget", Min = 0, Max = 1e12, Unit = "currency")]
    public double Budget { get; init; }
    /// <summary>Targeting strategy.</summary>
    public Strategy Strategy { get; init; } = Strategy.Microtarget;
    /// <summary>How the campaign estimates support and turnout (default stratified means; <c>scored</c>: ML.NET scores; <c>uplift</c>: scores and an uplift model).</summary>
    public KnowledgeModel Knowledge { get; init; } = KnowledgeModel.Stratified;
    /// <summary>
    /// With <see cref="KnowledgeModel.Uplift"/>: voters in the campaign's randomised message test (half of them mailed, at the
    /// direct-mail cost); null: 10% of the electorate, between 4,000 and 100,000 (capped at the electorate). A count of people,
    /// not scaled with the electorate.
    /// </summary>
    [Param("Voters in the campaign's randomised message test for its uplift model (knowledge uplift; null: 10% of voters, 4,000 to 100,000)", Min = 100, Max = 50_000_000, Unit = "people",
        Citation = "assumption: chapter 04's default test size")]
    public int? UpliftTestSize { get; init; }
    /// <summary>
    /// Psychographic targeting (the Cambridge Analytica question): where the regime allows profiling, the campaign infers each
    /// voter's personality from the digital footprint and sends paid-social ads whose appeal matches the inferred dominant trait
    /// (<see cref="Psychographics"/>). Ignored where the regime forbids profiling (the outcome says whether it was used).
    /// </summary>
    public bool Psychographic { get; init; }
    /// <summary>The campaign's message choice (null: every contact carries the average message, the channels' own effects).</summary>
    public MessageChoice? Message { get; init; }
    /// <summary>Objective of the budget allocator.</summary>
    public Objective Objective { get; init; } = Objective.Seats;
    /// <summary>Name of the scenario system the seat objective refers to (default: the scenario's first system).</summary>
    public string? OptimiseFor { get; init; }
    /// <summary>Channel names (built-in or defined by the scenario).</summary>
    public IReadOnlyList<string> Channels { get; init; } = ["paid-social", "canvass", "direct-mail"];
    /// <summary>The campaign's uncertainty about constituency margins (standard deviation of a share), which sets FPTP seat pivotality.</summary>
    [Param("Uncertainty of the campaign about seat margins (sd of a vote share), for FPTP pivotality", Min = 0.005, Max = 0.5)]
    public double MarginUncertainty { get; init; } = 0.05;
    /// <summary>The campaign's uncertainty about its own national vote share (sd), which sets the value of votes near a national threshold.</summary>
    [Param("Uncertainty of the campaign about its national vote share (sd), for the value of votes near a list or MMP threshold", Min = 0.001, Max = 0.2,
        Citation = "assumption: about one point, the typical error of national polls for a small party")]
    public double ShareUncertainty { get; init; } = 0.01;
    /// <summary>
    /// The campaign's calendar: per channel name, the share of that channel's spend in each week 1..W of the scenario's
    /// <c>weeks</c> (W numbers, non-negative, summing to 1). Channels not listed are timed by the allocator, which puts them
    /// in the last week (persuasion decays; turnout effects do not). Null: every channel timed by the allocator.
    /// </summary>
    public IReadOnlyDictionary<string, double[]>? Schedule { get; init; }
    /// <summary>
    /// The campaign's canvassing volunteers (null: none; canvassing is then limited only by the budget and the channel's
    /// national capacity). With volunteers, the campaign's canvass channel can make in each constituency only the attempts its
    /// volunteers there can make (<see cref="VolunteerSpec"/>). Needs a canvass channel and a microtarget or geographic strategy.
    /// </summary>
    public VolunteerSpec? Volunteers { get; init; }

    /// <summary>Validates the spec (party and channel names are checked by the scenario).</summary>
    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Party))
            errors.Add(new(path + ".party", Sponsor == Sponsor.Party ? "a campaign needs a party."
                : $"a {Advertisers.Label(Sponsor)} advertiser needs the party it works for (its beneficiary), a party of the electorate."));
        if (Channels.Count == 0) errors.Add(new(path + ".channels", "a campaign needs at least one channel."));
        if (Channels.Distinct().Count() != Channels.Count) errors.Add(new(path + ".channels", "a channel is listed twice."));
        if (Strategy == Strategy.Influencer && Channels.Any(c => c is not ("owned-social" or "paid-social")))
            errors.Add(new(path + ".channels", "influencer seeding works through social media: use owned-social and/or paid-social."));
        if (Schedule is not null)
            foreach (var (name, shares) in Schedule)
            {
                string at = $"{path}.schedule.{name}";
                if (!Channels.Contains(name)) errors.Add(new(at, $"'{name}' is not one of the campaign's channels ({string.Join(", ", Channels)})."));
                if (shares is null || shares.Length == 0) { errors.Add(new(at, "give one share per week.")); continue; }
                if (shares.Any(x => !(x >= 0 && x <= 1))) errors.Add(new(at, $"each week's share must be in [0, 1]; got [{string.Join(", ", shares)}]."));
                else if (Math.Abs(shares.Sum() - 1) > 1e-6) errors.Add(new(at, $"the weekly shares must sum to 1; they sum to {shares.Sum():G6}."));
            }
        Parameters.CheckRanges(this, path, errors);
        if (UpliftTestSize is not null && Knowledge != KnowledgeModel.Uplift)
            errors.Add(new(path + ".upliftTestSize", $"a message test for an uplift model needs \"knowledge\": \"uplift\"; got knowledge {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(Knowledge.ToString())}."));
        if (Message is not null) errors.AddRange(Message.Validate(path + ".message"));
        if (Volunteers is not null)
        {
            Parameters.CheckRanges(Volunteers, path + ".volunteers", errors);
            if (Strategy is not (Strategy.Microtarget or Strategy.Geographic))
                errors.Add(new(path + ".volunteers", $"volunteers are routed by the allocator's values: use the microtarget or geographic strategy, not {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(Strategy.ToString())}."));
            if (Volunteers.SessionHours > Volunteers.HoursPerVolunteer)
                errors.Add(new(path + ".volunteers.sessionHours", $"a session ({Volunteers.SessionHours:G6} hours) cannot be longer than a volunteer's hours ({Volunteers.HoursPerVolunteer:G6})."));
        }
        return errors;
    }
}

/// <summary>What one campaign did: spend and contacts, by channel and constituency.</summary>
public sealed record CampaignOutcome
{
    /// <summary>The party the campaign worked for (its sponsor, or an outside advertiser's beneficiary).</summary>
    public string Party { get; init; } = "";
    /// <summary>Who paid (<see cref="CampaignSpec.Sponsor"/>).</summary>
    public Sponsor Sponsor { get; init; } = Sponsor.Party;
    /// <summary>The advertiser's name (<see cref="Advertisers.Name"/>).</summary>
    public string Advertiser => Advertisers.Name(Party, Sponsor);
    /// <summary>Total spend.</summary>
    public double Spend { get; init; }
    /// <summary>Attempts made.</summary>
    public long Attempts { get; init; }
    /// <summary>Contacts made (attempts that reached the voter).</summary>
    public long Contacts { get; init; }
    /// <summary>Spend per channel.</summary>
    public IReadOnlyDictionary<string, double> SpendByChannel { get; init; } = new Dictionary<string, double>();
    /// <summary>Contacts per channel.</summary>
    public IReadOnlyDictionary<string, long> ContactsByChannel { get; init; } = new Dictionary<string, long>();
    /// <summary>Spend per constituency.</summary>
    public IReadOnlyList<double> SpendByConstituency { get; init; } = [];
    /// <summary>Distinct voters contacted at least once.</summary>
    public long VotersContacted { get; init; }
    /// <summary>Contacted voters on target, judged with the truth: for a demobilising campaign, voters less likely than the sponsor's expected share to vote for it; otherwise voters at least that likely, or (when persuading) voters between 0.2 and 0.8.</summary>
    public long VotersOnTarget { get; init; }
    /// <summary>The campaign's own expected objective with the plan it delivered (expected seats under the system it optimises for, or expected vote share in points), from its knowledge; NaN for broadcast and influencer strategies, which are not evaluated.</summary>
    public double ExpectedObjective { get; init; } = double.NaN;
    /// <summary>The campaign's expected objective had it broadcast the same budget over the same channels (NaN when not evaluated).</summary>
    public double BroadcastExpectedObjective { get; init; } = double.NaN;
    /// <summary>True when the targeted plan was expected to do worse than broadcast on the campaign's own objective, so it broadcast instead.</summary>
    public bool FellBackToBroadcast { get; init; }
    /// <summary>Per-voter deliveries, kept when the context asked for them (the ad archive's source).</summary>
    public Deliveries? Deliveries { get; init; }
    /// <summary>How well the campaign's knowledge ranked its own supporters, judged with the truth: the AUC of its estimated support for its party against the voters' sincere vote (0.5 is chance); NaN when not measured.</summary>
    public double SupportAuc { get; init; } = double.NaN;
    /// <summary>Correlation of the campaign's estimated turnout with the voters' true turnout propensity; NaN when not measured.</summary>
    public double TurnoutCorrelation { get; init; } = double.NaN;
    /// <summary>With an uplift model (<see cref="KnowledgeModel.Uplift"/>): the correlation of its predicted uplift with the voters' true response to persuasion; NaN without one.</summary>
    public double UpliftCorrelation { get; init; } = double.NaN;
    /// <summary>With an uplift model: what its message test cost, paid out of its budget before it planned and not part of <see cref="Spend"/>; 0 otherwise.</summary>
    public double UpliftTestCost { get; init; }
    /// <summary>With psychographic targeting: the share of voters whose inferred dominant trait is their true one (NaN when not used).</summary>
    public double PersonalityMatch { get; init; } = double.NaN;
    /// <summary>Contacts made with voters who do not identify with the sponsor (outside its bubble).</summary>
    public long ContactsOutsideBubble { get; init; }
    /// <summary>With a message choice: the chosen variant's true mean persuasion relative to the average variant (it scaled the campaign's persuasion effects); NaN without one.</summary>
    public double MessageFactor { get; init; } = double.NaN;
    /// <summary>With a message choice: what its test cost, deducted from the budget before the campaign planned (not part of <see cref="Spend"/>, which is what the plan delivered); NaN without one.</summary>
    public double MessageTestCost { get; init; } = double.NaN;
    /// <summary>With volunteers: where they live, where they canvassed and the attempts they made there; null without.</summary>
    public VolunteerPlan? Volunteers { get; init; }
    /// <summary>Targeting precision: the share of contacted voters on target.</summary>
    public double Precision => VotersContacted > 0 ? (double)VotersOnTarget / VotersContacted : 0;
}

/// <summary>What a campaign delivered to each voter, by channel, and the units (audiences) it bought.</summary>
/// <param name="Channels">The channels, in the campaign's order.</param>
/// <param name="Unit">Unit (audience) of each voter, per channel.</param>
/// <param name="UnitKinds">What a unit is, per channel: everyone, voter, custom-audience, constituency-age, constituency, cell, age-education, region, region-show, influencer.</param>
/// <param name="Contacts">Contacts of each voter, per channel.</param>
public sealed record Deliveries(ImmutableArray<ChannelSpec> Channels, ImmutableArray<ImmutableArray<int>> Unit, ImmutableArray<string> UnitKinds, ImmutableArray<ImmutableArray<byte>> Contacts);
