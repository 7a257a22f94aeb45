using Workbench.Campaigns;
using Workbench.Data;
using Workbench.Behaviour;

namespace Workbench.Regulation;

/// <summary>
/// A regulation block of a scenario (MODEL.md §10; International IDEA's 2020 roundtables on regulating online
/// political advertising): what the law allows campaigns to use and spend, and how well it is enforced. Every
/// field is optional; an empty block changes nothing.
/// </summary>
public sealed record RegulationSpec
{
    /// <summary>
    /// Minimum ad audience, in people on the platform (the same measure as the regime's own minimum, and like it never scaled
    /// with the electorate). A regulation tightens the law and cannot loosen it: the stricter of this and the regime's minimum
    /// applies.
    /// </summary>
    [Param("Minimum audience of a paid ad, in people on the platform (the stricter of this and the regime's minimum applies)", Min = 1, Max = 10_000_000, Unit = "people")]
    public int? MinimumAudience { get; init; }
    /// <summary>Attributes that may not be used for targeting or modelling (added to the regime's bans).</summary>
    public IReadOnlyList<string> BannedTargeting { get; init; } = [];
    /// <summary>
    /// Whether a party campaign can breach <see cref="BannedTargeting"/>: it then weighs the ban like the other rules, by expected
    /// cost against gain (<see cref="BreachesBan"/>), and a breach is a violation of kind <c>targeting-banned-attribute</c>
    /// (docs/regulation.md, "Enforcement as deterrence"). False (the default): the banned attributes are simply absent from every
    /// campaign's data and the ban cannot be breached.
    /// </summary>
    [Param("Whether a party campaign may breach the targeting ban, weighing the expected sanction against what the banned attributes add to its plan (false: the ban cannot be breached)", Min = 0, Max = 1,
        Citation = "Becker 1968, Crime and Punishment: An Economic Approach, JPE 76 (compliance by expected cost)")]
    public bool Breachable { get; init; }
    /// <summary>"Restore the human scale": only these attributes may be used (location — constituency and region — always may), and no custom audiences; null for no such rule.</summary>
    public IReadOnlyList<string>? AllowedTargeting { get; init; }
    /// <summary>Spending cap per party campaign (currency, for the scenario's electorate). It binds a party's own campaign only: outside advertisers (<see cref="CampaignSpec.Sponsor"/>) escape it.</summary>
    [Param("Spending cap per party campaign (outside advertisers escape it)", Min = 0, Max = 1e12, Unit = "currency")]
    public double? SpendingCap { get; init; }
    /// <summary>
    /// Spending a party campaign routes abroad beyond the cap, as a share of the cap (undeclared; a violation). This is the party's
    /// own money spent through foreign intermediaries; advertisers funded from abroad are campaigns of their own
    /// (<see cref="CampaignSpec.Sponsor"/> <c>foreign</c>, <see cref="ForeignBan"/>).
    /// </summary>
    [Param("Spending a party campaign routes abroad beyond the cap, as a share of the cap", Min = 0, Max = 10)]
    public double AbroadShare { get; init; }
    /// <summary>
    /// Spending limit per registered non-party campaigner (a <c>third-party</c> advertiser; currency, for the scenario's electorate;
    /// null: none). A separate, usually lower limit than the parties', as the UK's Political Parties, Elections and Referendums Act
    /// 2000, Part VI sets for "recognised third parties" (amended by the Transparency of Lobbying, Non-Party Campaigning and Trade
    /// Union Administration Act 2014). Spending above it is a violation.
    /// </summary>
    [Param("Spending limit per third-party (non-party) advertiser", Min = 0, Max = 1e12, Unit = "currency",
        Citation = "UK Political Parties, Elections and Referendums Act 2000, Part VI (third-party spending limits), as amended in 2014")]
    public double? ThirdPartyCap { get; init; }
    /// <summary>
    /// Foreign funding banned: every ad of a <c>foreign</c> advertiser is a violation (as PPERA 2000, s. 54 admits only permissible,
    /// UK-based donors). Without a ban a foreign-funded advertiser spends freely, outside every cap.
    /// </summary>
    public bool ForeignBan { get; init; }
    /// <summary>
    /// Publicity as a sanction: the share of the beneficiary party's votes lost each time a violation committed for it is detected
    /// (0.01 = one per cent of its votes; several detections compound). Every voter's probability of voting for the party falls by
    /// the factor 1 − publicity and the others gain in proportion, as the logit of MODEL.md §2 implies. An assumption, default 0:
    /// no published estimate of the vote cost of a detected campaign-finance violation was found; a corruption scandal, a graver
    /// offence, cost Spanish mayors about 4% of their votes on average (Costas-Pérez, Solé-Ollé and Sorribas-Navarro 2012,
    /// European Journal of Political Economy 28(4)), which bounds the plausible range (0 to about 0.04) from above.
    /// </summary>
    [Param("Share of the beneficiary party's votes lost per detected violation (publicity; assumption, plausible 0–0.04)", Min = 0, Max = 0.5,
        Citation = "assumption; upper anchor: corruption scandals cost incumbents about 4% of their votes (Costas-Pérez, Solé-Ollé & Sorribas-Navarro 2012, EJPE 28(4))")]
    public double Publicity { get; init; }
    /// <summary>
    /// A pre-election silence period on paid advertising, in days before election day: paid social and TV
    /// (<see cref="ChannelSpec.PaidAdvertising"/>) may not run in the
    /// last <c>SilenceDays</c> days of the campaign calendar, so their contacts are made before it and their persuasion decays
    /// for longer (<see cref="Persistence.DaysBeforeElection(int, int, double)"/>); turnout effects, measured on election-day
    /// turnout, are not changed. Owned media, canvassing, phones and mail are not covered.
    /// </summary>
    [Param("Days before election day in which paid social and TV may not run (a silence period)", Min = 0, Max = 60, Unit = "days",
        Citation = "assumption for the card's value; silence rules run from about one to two days before the vote (for example France's Code électoral art. L49: no electoral propaganda from midnight on the eve of the vote)")]
    public double SilenceDays { get; init; }
    /// <summary>Whether ads must be archived (transparency duty); dark posts then are violations.</summary>
    public bool Transparency { get; init; }
    /// <summary>
    /// Share of paid social placed as dark posts (never archived). In the archive each paid-social ad is a dark post with this
    /// probability, so it is the expected share of ads, and the share of spend hidden depends on which ads are drawn; a campaign
    /// that complies with the transparency duty forgoes this share of paid social's effect (<see cref="WithoutDarkPosts"/>).
    /// </summary>
    [Param("Share of paid social placed as dark posts (each ad is dark with this probability)", Min = 0, Max = 1)]
    public double DarkPostShare { get; init; }
    /// <summary>Probability that each violation is detected (oversight capacity).</summary>
    [Param("Probability that a violation is detected (oversight capacity)", Min = 0, Max = 1)]
    public double Oversight { get; init; }
    /// <summary>Fine for a detected violation, as a multiple of the money the violation involved (0 = no fine).</summary>
    [Param("Fine for a detected violation, as a multiple of the money it involved", Min = 0, Max = 100)]
    public double Fine { get; init; }
    /// <summary>Whether detected violating ads are taken down, so that they lose their effect.</summary>
    public bool TakeDown { get; init; }
    /// <summary>Platform self-regulation: the platforms accept no political ads, so paid social media reaches no one (a campaign's allocator moves its money elsewhere).</summary>
    public bool PoliticalAdBan { get; init; }

    /// <summary>
    /// The expected money sanction per unit of money a violation involves: the detection probability times what detection costs —
    /// the fine (a multiple of the money) plus, with take-down, the ads' value. The value of a violating ad is taken to be its
    /// price (an assumption: an advertiser values the last ad it buys at about what it pays for it). Publicity is not in it: its
    /// cost is in votes and depends on the advertiser (<see cref="ExpectedCost"/>).
    /// </summary>
    public double ExpectedSanction => Oversight * (Fine + (TakeDown ? 1 : 0));

    /// <summary>
    /// Deters every violation whatever its size: the expected money sanction per unit is at least the unit's value (1). Publicity
    /// only adds to the cost, so a block that <see cref="Deters"/> deters every advertiser (<see cref="Complies"/> is then true).
    /// </summary>
    public bool Deters => ExpectedSanction >= 1;

    /// <summary>
    /// The expected cost, in money, of a violation involving <paramref name="amount"/> of money:
    /// oversight × (fine × amount + take-down × amount + publicity × <paramref name="stakePoints"/> / <paramref name="pointsPerMoney"/>).
    /// Publicity's votes are priced at what the advertiser's own plan pays for them: <paramref name="stakePoints"/> is its estimate of
    /// the beneficiary's national vote share (points), so publicity costs publicity × stake points, and
    /// <paramref name="pointsPerMoney"/> is the points its money buys per unit (its plan's expected gain over its budget) —
    /// the average, not the marginal, price of a vote (an assumption that makes violating look a little cheaper).
    /// </summary>
    public double ExpectedCost(double amount, double pointsPerMoney, double stakePoints) =>
        Oversight * ((Fine + (TakeDown ? 1 : 0)) * amount + (Publicity > 0 && pointsPerMoney > 0 ? Publicity * stakePoints / pointsPerMoney : 0));

    /// <summary>
    /// Deterrence by expected cost, per advertiser (Becker 1968, Crime and Punishment: An Economic Approach, JPE 76): a violation
    /// involving <paramref name="amount"/> of money gains the ads it buys, valued at their price (<paramref name="amount"/>), and
    /// the advertiser complies — does not commit it — when <see cref="ExpectedCost"/> is at least that gain. Without publicity the
    /// amount cancels and this is <see cref="Deters"/>: oversight × (fine + take-down) ≥ 1. With publicity, an advertiser whose
    /// money buys nothing (<paramref name="pointsPerMoney"/> ≤ 0) complies whenever oversight is above 0: it has votes to lose and none to gain.
    /// </summary>
    public bool Complies(double amount, double pointsPerMoney, double stakePoints)
    {
        if (Publicity <= 0 || Oversight <= 0) return Deters;
        if (!(pointsPerMoney > 0) || !(amount > 0)) return true;
        return ExpectedCost(amount, pointsPerMoney, stakePoints) >= amount;
    }

    /// <summary>
    /// A party campaign's choice whether to breach a breachable targeting ban (<see cref="Breachable"/>), by expected cost (Becker 1968):
    /// breaching gains <paramref name="objectiveGain"/> of its own expected objective over the compliant plan, converted to money at
    /// the campaign's own price of a unit of objective — its compliant plan's expected gain over no campaign
    /// (<paramref name="compliantGain"/>) bought with its <paramref name="budget"/>, the average, not the marginal, price (the same
    /// assumption as <see cref="ExpectedCost"/>'s). It breaches when <paramref name="expectedCost"/> (<see cref="ExpectedCost"/> of
    /// the money the breach involves) is below that money. Nothing to gain (<paramref name="objectiveGain"/> ≤ 0), or a compliant plan
    /// whose money buys nothing (<paramref name="compliantGain"/> ≤ 0 or no budget: no price to convert at), means it complies.
    /// </summary>
    public static bool BreachesBan(double objectiveGain, double compliantGain, double budget, double expectedCost)
    {
        if (!(objectiveGain > 0) || !(compliantGain > 0) || !(budget > 0)) return false;
        return expectedCost < objectiveGain / compliantGain * budget;
    }

    /// <summary>The regime <paramref name="regime"/> under this block without its <see cref="BannedTargeting"/> (every other rule applied): the data a campaign breaching the ban uses.</summary>
    public DataRegime ApplyWithoutBan(DataRegime regime) => (this with { BannedTargeting = [] }).Apply(regime);

    /// <summary>Validates the block.</summary>
    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(this, path, errors);
        for (int i = 0; i < BannedTargeting.Count; i++)
            if (!VoterData.Catalogue.ContainsKey(BannedTargeting[i])) errors.Add(new($"{path}.bannedTargeting[{i}]", $"unknown attribute '{BannedTargeting[i]}'; known: {string.Join(", ", VoterData.Catalogue.Keys)}."));
        for (int i = 0; i < (AllowedTargeting?.Count ?? 0); i++)
            if (!VoterData.Catalogue.ContainsKey(AllowedTargeting![i])) errors.Add(new($"{path}.allowedTargeting[{i}]", $"unknown attribute '{AllowedTargeting[i]}'; known: {string.Join(", ", VoterData.Catalogue.Keys)}."));
        if (AbroadShare > 0 && SpendingCap is null) errors.Add(new(path + ".abroadShare", "spending routed abroad needs a spending cap to exceed."));
        if (Breachable && BannedTargeting.Count == 0) errors.Add(new(path + ".breachable", "true: a breachable ban needs attributes to ban (bannedTargeting is empty)."));
        return errors;
    }

    /// <summary>The regime with this block's targeting rules applied.</summary>
    public DataRegime Apply(DataRegime regime)
    {
        var banned = regime.BannedAttributes.Concat(BannedTargeting);
        if (AllowedTargeting is { } allowed) banned = banned.Concat(VoterData.Catalogue.Keys.Where(a => !allowed.Contains(a)));
        return regime with
        {
            Name = regime.Name + (IsEmpty ? "" : "+regulation"),
            BannedAttributes = banned.Distinct().Order(StringComparer.Ordinal).ToArray(),
            MinimumAudience = Math.Max(regime.MinimumAudience, MinimumAudience ?? 1),
            // The human scale: no uploaded voter lists either, only the platform's location and allowed attributes.
            CustomAudiences = regime.CustomAudiences && AllowedTargeting is null,
            // Nor personality profiles inferred from digital footprints: they are not among the allowed attributes.
            Profiling = regime.Profiling && AllowedTargeting is null,
        };
    }

    /// <summary>
    /// A channel under the rules every campaign faces: with a political-ad ban paid social media has no effect at all. (A silence
    /// period changes when paid advertising runs, not its effect per contact: <see cref="SilenceDays"/>, applied by the
    /// campaign's calendar.)
    /// </summary>
    public ChannelSpec Apply(ChannelSpec channel)
    {
        if (PoliticalAdBan && channel.Kind == ChannelKind.PaidSocial) return Scaled(channel, 0);
        return channel;
    }

    /// <summary>
    /// A campaign's paid social channel when its dark posts do not run: dark posts carry messages the campaign would not publish
    /// (an assumption), so a campaign that complies with the transparency duty, or whose dark posts are taken down, keeps only
    /// the published share of paid social's effect.
    /// </summary>
    public ChannelSpec WithoutDarkPosts(ChannelSpec channel) =>
        DarkPostShare > 0 && channel.Kind == ChannelKind.PaidSocial ? Scaled(channel, 1 - DarkPostShare) : channel;

    private static ChannelSpec Scaled(ChannelSpec channel, double f) =>
        channel with { TurnoutEffect = channel.TurnoutEffect * f, OpponentTurnoutEffect = channel.OpponentTurnoutEffect * f, PersuasionEffect = channel.PersuasionEffect * f };

    /// <summary>The budget a party campaign can actually spend when it decides by <see cref="Deters"/>: the cap plus what it routes abroad — or only the cap when the regulation deters.</summary>
    public double Budget(double budget) => SpendingCap is double cap ? Math.Min(budget, cap * (1 + (Deters ? 0 : AbroadShare))) : budget;

    /// <summary>True when the block changes nothing.</summary>
    public bool IsEmpty => MinimumAudience is null && BannedTargeting.Count == 0 && AllowedTargeting is null && SpendingCap is null && SilenceDays == 0 && !Transparency && DarkPostShare == 0 && !PoliticalAdBan
        && ThirdPartyCap is null && !ForeignBan;
}

/// <summary>A violation of the regulation by one advertiser in one replicate.</summary>
/// <param name="Arm">Arm.</param><param name="Replicate">Replicate.</param><param name="Party">The party the advertiser works for (its sponsor or beneficiary).</param>
/// <param name="Kind">spending-routed-abroad (a party campaign above the cap), third-party-over-limit, foreign-funded, dark-posts or targeting-banned-attribute (a party campaign using attributes a breachable ban forbids).</param>
/// <param name="Amount">The money the violation involved.</param>
/// <param name="Detected">Whether oversight detected it.</param>
/// <param name="Sanction">The fine imposed (the regulation's <see cref="RegulationSpec.Fine"/> times the amount, when detected).</param>
/// <param name="TakenDown">Whether the violating ads were taken down (detected, under <see cref="RegulationSpec.TakeDown"/>).</param>
public sealed record Violation(string Arm, int Replicate, string Party, string Kind, double Amount, bool Detected, double Sanction = 0, bool TakenDown = false)
{
    /// <summary>Who committed it (<see cref="CampaignSpec.Sponsor"/>; default the party's own campaign).</summary>
    public Sponsor Sponsor { get; init; } = Sponsor.Party;
    /// <summary>The advertiser's name (<see cref="Advertisers.Name"/>).</summary>
    public string Advertiser => Advertisers.Name(Party, Sponsor);
    /// <summary>Votes the beneficiary lost to publicity for it, as a share of its votes (the regulation's <see cref="RegulationSpec.Publicity"/> when detected, else 0).</summary>
    public double PublicityShare { get; init; }
}
