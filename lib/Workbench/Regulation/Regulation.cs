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
    /// <summary>"Restore the human scale": only these attributes may be used (location — constituency and region — always may), and no custom audiences; null for no such rule.</summary>
    public IReadOnlyList<string>? AllowedTargeting { get; init; }
    /// <summary>Spending cap per campaign (currency, for the scenario's electorate).</summary>
    [Param("Spending cap per campaign", Min = 0, Max = 1e12, Unit = "currency")]
    public double? SpendingCap { get; init; }
    /// <summary>Spending a campaign routes abroad beyond the cap, as a share of the cap (undeclared; a violation).</summary>
    [Param("Spending routed abroad beyond the cap, as a share of the cap", Min = 0, Max = 10)]
    public double AbroadShare { get; init; }
    /// <summary>Share of the campaign's paid-advertising time lost to a pre-election silence period (paid ad effects scale by 1 − share).</summary>
    [Param("Share of paid-advertising time lost to a silence period", Min = 0, Max = 1)]
    public double SilencePeriod { get; init; }
    /// <summary>Whether ads must be archived (transparency duty); dark posts then are violations.</summary>
    public bool Transparency { get; init; }
    /// <summary>Share of paid social spending placed as dark posts (never archived).</summary>
    [Param("Share of paid social spending placed as dark posts", Min = 0, Max = 1)]
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
    /// The expected sanction per unit of money a violation involves: the detection probability times what detection costs —
    /// the fine (a multiple of the money) plus, with take-down, the ads' value. The value of a violating ad is taken to be its
    /// price (an assumption: a campaign values the last ad it buys at about what it pays for it).
    /// </summary>
    public double ExpectedSanction => Oversight * (Fine + (TakeDown ? 1 : 0));

    /// <summary>
    /// Deterrence: campaigns choose compliance by expected cost (Becker 1968, Crime and Punishment: An Economic Approach, JPE 76).
    /// A violation gains the value of the ads it buys (their price, per unit of money) and costs the <see cref="ExpectedSanction"/>;
    /// when the expected sanction is at least the gain, every campaign complies — it routes nothing abroad and runs no dark posts.
    /// </summary>
    public bool Deters => ExpectedSanction >= 1;

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
    /// A channel under the rules every campaign faces: with a political-ad ban paid social media has no effect at all; in a silence
    /// period paid advertising (paid social, TV) loses that share of its effect.
    /// </summary>
    public ChannelSpec Apply(ChannelSpec channel)
    {
        if (PoliticalAdBan && channel.Kind == ChannelKind.PaidSocial) return Scaled(channel, 0);
        if (SilencePeriod <= 0 || channel.Kind is not (ChannelKind.PaidSocial or ChannelKind.Tv)) return channel;
        return Scaled(channel, 1 - SilencePeriod);
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

    /// <summary>The budget a campaign can actually spend: the cap plus what it routes abroad — or only the cap when the regulation <see cref="Deters"/>.</summary>
    public double Budget(double budget) => SpendingCap is double cap ? Math.Min(budget, cap * (1 + (Deters ? 0 : AbroadShare))) : budget;

    /// <summary>True when the block changes nothing.</summary>
    public bool IsEmpty => MinimumAudience is null && BannedTargeting.Count == 0 && AllowedTargeting is null && SpendingCap is null && SilencePeriod == 0 && !Transparency && DarkPostShare == 0 && !PoliticalAdBan;
}

/// <summary>A violation of the regulation by one campaign in one replicate.</summary>
/// <param name="Arm">Arm.</param><param name="Replicate">Replicate.</param><param name="Party">The campaign's party.</param>
/// <param name="Kind">spending-routed-abroad or dark-posts.</param><param name="Amount">The money the violation involved.</param>
/// <param name="Detected">Whether oversight detected it.</param>
/// <param name="Sanction">The fine imposed (the regulation's <see cref="RegulationSpec.Fine"/> times the amount, when detected).</param>
/// <param name="TakenDown">Whether the violating ads were taken down (detected, under <see cref="RegulationSpec.TakeDown"/>).</param>
public sealed record Violation(string Arm, int Replicate, string Party, string Kind, double Amount, bool Detected, double Sanction = 0, bool TakenDown = false);
