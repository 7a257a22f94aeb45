using Workbench.Electorate;

namespace Workbench.Behaviour;

/// <summary>Delivery channels of MODEL.md §6 (International IDEA, <i>Digital Microtargeting</i>, 2018: paid and owned social media, mail, canvassing, phone, TV).</summary>
public enum ChannelKind
{
    /// <summary>Paid social media ads (a flight of impressions to a user); targetable only through the platform's audience attributes.</summary>
    PaidSocial,
    /// <summary>Owned/earned social media: posts on the party's pages, reaching followers and their friends (the bubble).</summary>
    OwnedSocial,
    /// <summary>Email to addresses on the campaign's list.</summary>
    Email,
    /// <summary>Direct mail (a piece to a voter).</summary>
    DirectMail,
    /// <summary>Social-pressure mail ("your neighbours will know whether you voted").</summary>
    SocialPressureMail,
    /// <summary>Door-to-door canvassing: a contact needs the voter at home and answering the door.</summary>
    Canvass,
    /// <summary>Volunteer phone banks.</summary>
    Phone,
    /// <summary>Pre-recorded calls.</summary>
    Robocall,
    /// <summary>Broadcast/addressable TV, targeted by region and show.</summary>
    Tv,
}

/// <summary>
/// One channel: what an attempt costs, who can be contacted, and the response per contact.
/// Effects are per actual contact (complier effects), calibrated to the field experiments of
/// MODEL.md §6 so that a simulated experiment with random assignment reproduces them
/// (see <see cref="Workbench.Experiments.FieldExperiments"/>). Turnout effects are mean
/// probability changes among the contacted, applied as a calibrated logit shift (so they are
/// largest for voters near 50%); persuasion effects are the mean change in the probability of
/// voting for the sponsor among the contacted, applied as a utility shift scaled by the voter's
/// persuadability.
/// </summary>
/// <summary>How owned social media reaches voters who do not follow the sponsor.</summary>
public enum Spread
{
    /// <summary>
    /// Through the electorate's online graph (the default): the post, seeded by the sponsor's identifiers, spreads by an
    /// independent cascade whose sharing falls with the distance between each voter's opinion and the post's (chapter 07's
    /// cascades, with the scenario's homophily and feed ranking); a voter who does not follow the sponsor can be reached only if
    /// the cascade reaches them. The campaign plans with its page insights: the share of non-followers an earlier post reached,
    /// by constituency.
    /// </summary>
    Cascade,
    /// <summary>The older, simpler model, kept for comparison: a constant reach outside the bubble (<see cref="ChannelSpec.OutOfBubbleReach"/> of the followers' reach), believed by the campaign too.</summary>
    Bubble,
}

public sealed record ChannelSpec
{
    /// <summary>Scenario name of the channel (kebab case).</summary>
    public string Name { get; init; } = "";
    /// <summary>The kind, which fixes who can be contacted and how targeting works.</summary>
    public ChannelKind Kind { get; init; }
    /// <summary>Whether the channel is paid advertising (paid social or TV): what a pre-election silence period covers.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool PaidAdvertising => Kind is ChannelKind.PaidSocial or ChannelKind.Tv;
    /// <summary>Owned social only: how posts reach voters outside the sponsor's followers (default <see cref="Spread.Cascade"/>: through the online graph).</summary>
    public Spread Spread { get; init; } = Spread.Cascade;
    /// <summary>Cost of one attempt (or of one delivered contact when <see cref="ChargeOnContact"/>).</summary>
    [Param("Cost of one attempt, or of one delivered contact for channels charged on delivery", Min = 0, Max = 1e6, Unit = "currency")]
    public double Cost { get; init; }
    /// <summary>True when the cost is paid per delivered contact (impressions), false when per attempt (doors knocked, calls dialled, pieces sent).</summary>
    public bool ChargeOnContact { get; init; }
    /// <summary>Mean increase in turnout probability among contacted voters (first contact).</summary>
    [Param("Mean increase of turnout probability among the contacted", Min = -0.5, Max = 0.5, Unit = "probability")]
    public double TurnoutEffect { get; init; }
    /// <summary>Turnout effect on contacted voters who lean to another party than the sponsor (demobilisation; Aggarwal et al. 2023). Null = same as <see cref="TurnoutEffect"/>.</summary>
    [Param("Mean turnout change among contacted voters leaning to another party (null: same as turnoutEffect)", Min = -0.5, Max = 0.5, Unit = "probability")]
    public double? OpponentTurnoutEffect { get; init; }
    /// <summary>Mean increase of the probability of voting for the sponsor among contacted voters.</summary>
    [Param("Mean increase of the probability of voting for the sponsor among the contacted", Min = -0.5, Max = 0.5, Unit = "probability")]
    public double PersuasionEffect { get; init; }
    /// <summary>Share of the turnout effect passed to the other members of a contacted voter's household.</summary>
    [Param("Share of the turnout effect passed to other household members", Min = 0, Max = 1)]
    public double HouseholdSpillover { get; init; }
    /// <summary>Most attempts per voter.</summary>
    [Param("Most attempts per voter", Min = 1, Max = 20)]
    public int MaxFrequency { get; init; } = 1;
    /// <summary>Effect of each further contact relative to the previous one (frequency saturation).</summary>
    [Param("Effect of each repeat contact relative to the previous one (diminishing returns)", Min = 0, Max = 1)]
    public double Decay { get; init; } = 0.5;
    /// <summary>Most attempts the channel can make in the campaign (volunteer hours × doors per hour), or null for no limit.</summary>
    [Param("Most attempts in the campaign (capacity), null for no limit", Min = 0, Max = 1e12)]
    public double? Capacity { get; init; }
    /// <summary>Where the effect sizes come from.</summary>
    public string Citation { get; init; } = "";

    /// <summary>
    /// The probability that one attempt on voter <paramref name="i"/> by <paramref name="sponsor"/>'s campaign becomes a contact. For
    /// owned social this is the constant-reach (<see cref="Spread.Bubble"/>) model: followers at their platform use, others at
    /// <see cref="OutOfBubbleReach"/> of it; with <see cref="Spread.Cascade"/> delivery instead reaches a non-follower at their own
    /// platform use (this method with the voter's own party as sponsor) only when the post's cascade reached them.
    /// </summary>
    public double ContactProbability(Electorate.Electorate e, int i, int sponsor)
    {
        const double b = 1 / 255.0;
        int m = i * 7;
        return Kind switch
        {
            ChannelKind.Canvass => e.HomeProbability[i * 3 + 2] * b,
            ChannelKind.Phone or ChannelKind.Robocall => e.AnswersPhone[i] * b,
            ChannelKind.Email => e.OpensEmail[i] * b,
            ChannelKind.DirectMail or ChannelKind.SocialPressureMail => 1.0,
            ChannelKind.PaidSocial => Math.Max(Math.Max(e.MediaUse[m + (int)Platform.Facebook], e.MediaUse[m + (int)Platform.Instagram]),
                Math.Max(Math.Max(e.MediaUse[m + (int)Platform.YouTube], e.MediaUse[m + (int)Platform.TikTok]), e.MediaUse[m + (int)Platform.X])) * b,
            ChannelKind.OwnedSocial => Math.Max(e.MediaUse[m + (int)Platform.Facebook], e.MediaUse[m + (int)Platform.X]) * b
                                       * (e.PartyId[i] == sponsor ? 1.0 : OutOfBubbleReach),
            ChannelKind.Tv => e.MediaUse[m + (int)Platform.TvNews] * b,
            _ => 0,
        };
    }

    /// <summary>Owned social media under the constant-reach model (<see cref="Spread.Bubble"/>): the reach of a post among voters who do not identify with the sponsor, relative to its followers (the bubble).</summary>
    public const double OutOfBubbleReach = 0.1;

    /// <summary>Validates ranges and the name.</summary>
    public IReadOnlyList<ValidationError> Validate(string path = "$")
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(new(path + ".name", "a channel needs a name."));
        Parameters.CheckRanges(this, path, errors);
        return errors;
    }
}

/// <summary>
/// The built-in channels with their default costs and the field-experiment effects of MODEL.md §6, under the
/// <c>central</c> evidence preset (<see cref="EvidenceSet.Central"/>; <see cref="For"/> gives them under another preset).
/// Costs are round illustrative figures (currency units per attempt or delivered contact), not
/// estimates of any country's prices; scenarios override any field.
/// </summary>
public static class Channels
{
    /// <summary>Green &amp; Gerber, <i>Get Out the Vote</i> (4th ed., 2019): door-to-door ≈ 1 vote per 14 contacts; volunteer phone ≈ 1 per 35; direct mail ≈ 1 per 177; robocalls and email ≈ 0.</summary>
    public const string GreenGerber = "Green & Gerber (2019) Get Out the Vote, 4th ed.";

    /// <summary>Impressions in one delivered paid-social contact: a contact is a flight of about ten impressions (the paid-social channel's note).</summary>
    public const int ImpressionsPerPaidContact = 10;

    private static readonly ChannelSpec[] Definitions =
    [
        new() { Name = "canvass", Kind = ChannelKind.Canvass, Cost = 4.0, TurnoutEffect = 1 / 14.0, HouseholdSpillover = 0.6, MaxFrequency = 2, Decay = 0.5,
                Citation = GreenGerber + ": 1 vote per 14 contacts; Nickerson (2008) APSR 102(1): 60% household spillover; Kalla & Broockman (2018) APSR 112(1): persuasion ≈ 0." },
        new() { Name = "phone", Kind = ChannelKind.Phone, Cost = 1.0, TurnoutEffect = 1 / 35.0, MaxFrequency = 2, Decay = 0.5, Citation = GreenGerber + ": volunteer phone banks 1 vote per 35 contacts." },
        new() { Name = "robocall", Kind = ChannelKind.Robocall, Cost = 0.05, TurnoutEffect = 0, Citation = GreenGerber + ": robocalls ≈ 0." },
        new() { Name = "email", Kind = ChannelKind.Email, Cost = 0.01, TurnoutEffect = 0, MaxFrequency = 3, Citation = GreenGerber + ": email ≈ 0." },
        new() { Name = "direct-mail", Kind = ChannelKind.DirectMail, Cost = 0.75, TurnoutEffect = 1 / 177.0, MaxFrequency = 3, Decay = 0.7, Citation = GreenGerber + ": direct mail 1 vote per 177 pieces." },
        new() { Name = "social-pressure-mail", Kind = ChannelKind.SocialPressureMail, Cost = 0.75, TurnoutEffect = 0.081, Citation = "Gerber, Green & Larimer (2008) APSR 102(1): 'Neighbors' mailing +8.1 points." },
        new() { Name = "paid-social", Kind = ChannelKind.PaidSocial, Cost = 0.10, ChargeOnContact = true, PersuasionEffect = 0.007, TurnoutEffect = 0.004, OpponentTurnoutEffect = -0.003, MaxFrequency = 3, Decay = 0.5,
                Citation = "A contact is a flight of about ten impressions at a CPM of 10. Coppock, Hill & Vavreck (2020) Sci. Adv. 6(36): ads move vote choice ≈ 0.007; Aggarwal et al. (2023) Nat. Hum. Behav. 7: +0.4 pp turnout for the sponsor's leaners, −0.3 pp for the other side's." },
        new() { Name = "demobilising-ads", Kind = ChannelKind.PaidSocial, Cost = 0.10, ChargeOnContact = true, TurnoutEffect = 0, OpponentTurnoutEffect = -0.003, MaxFrequency = 3, Decay = 0.5,
                Citation = "Voter suppression (MODEL.md §9): negative, cynical, false-polling or smear content aimed at the other side's soft supporters; calibrated to the demobilisation anchor of Aggarwal et al. (2023) Nat. Hum. Behav. 7: −0.3 pp turnout for the other side's leaners; no effect on the sponsor's own." },
        new() { Name = "owned-social", Kind = ChannelKind.OwnedSocial, Cost = 0.002, ChargeOnContact = true, TurnoutEffect = 0.0039, MaxFrequency = 3, Decay = 0.5,
                Citation = "Bond et al. (2012) Nature 489: online social mobilisation +0.39 pp. Reach model: followers of the party's pages (its identifiers) see its posts at their platform use; other voters only when the post's cascade over the electorate's online graph reaches them (Kempe, Kleinberg & Tardos 2003; chapter 07)." },
        new() { Name = "tv", Kind = ChannelKind.Tv, Cost = 0.02, ChargeOnContact = true, PersuasionEffect = 0.007, MaxFrequency = 3, Decay = 0.5,
                Citation = "A contact is one viewer at a CPM of 20. Coppock, Hill & Vavreck (2020) Sci. Adv. 6(36): ≈ 0.007 on vote choice." },
    ];

    // The effects above are the published point estimates; the built-in defaults are the central evidence preset's.
    private static readonly ChannelSpec[] Defaults = EvidenceSet.Central.Apply(Definitions).ToArray();

    /// <summary>All built-in channels with the effects of evidence set <paramref name="evidence"/>.</summary>
    public static IReadOnlyList<ChannelSpec> For(EvidenceSet evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return evidence.Apply(Definitions);
    }

    /// <summary>Names of the built-in channels.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Defaults.Select(c => c.Name)];

    /// <summary>All built-in channels.</summary>
    public static IReadOnlyList<ChannelSpec> All { get; } = Array.AsReadOnly(Defaults);

    /// <summary>A built-in channel by name.</summary>
    public static ChannelSpec Get(string name) =>
        Defaults.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"Unknown channel '{name}'. Known channels: {string.Join(", ", Names)}.", nameof(name));
}
