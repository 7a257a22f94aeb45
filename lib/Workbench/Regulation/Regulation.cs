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
    /// <summary>Minimum ad audience (replaces the regime's).</summary>
    [Param("Minimum audience of a paid ad (voters)", Min = 1, Max = 10_000_000)]
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
            MinimumAudience = MinimumAudience ?? regime.MinimumAudience,
            // The human scale: no uploaded voter lists either, only the platform's location and allowed attributes.
            CustomAudiences = regime.CustomAudiences && AllowedTargeting is null,
        };
    }

    /// <summary>A channel under the silence period: paid advertising loses that share of its effect.</summary>
    public ChannelSpec Apply(ChannelSpec channel)
    {
        if (SilencePeriod <= 0 || channel.Kind is not (ChannelKind.PaidSocial or ChannelKind.Tv)) return channel;
        double f = 1 - SilencePeriod;
        return channel with { TurnoutEffect = channel.TurnoutEffect * f, OpponentTurnoutEffect = channel.OpponentTurnoutEffect * f, PersuasionEffect = channel.PersuasionEffect * f };
    }

    /// <summary>The budget a campaign can actually spend: the cap plus what it routes abroad.</summary>
    public double Budget(double budget) => SpendingCap is double cap ? Math.Min(budget, cap * (1 + AbroadShare)) : budget;

    /// <summary>True when the block changes nothing.</summary>
    public bool IsEmpty => MinimumAudience is null && BannedTargeting.Count == 0 && AllowedTargeting is null && SpendingCap is null && SilencePeriod == 0 && !Transparency && DarkPostShare == 0;
}

/// <summary>A violation of the regulation by one campaign in one replicate.</summary>
public sealed record Violation(string Arm, int Replicate, string Party, string Kind, double Amount, bool Detected);
