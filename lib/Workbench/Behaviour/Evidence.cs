using System.ComponentModel;

namespace Workbench.Behaviour;

/// <summary>
/// A named, cited bundle of every channel effect (MODEL.md §6; docs/campaigns.md, "Evidence presets"): what one reading of
/// the field-experiment literature says a contact through each channel does. Three presets ship — <c>pessimistic</c>,
/// <c>central</c> (the default of every scenario) and <c>optimistic</c> — and <see cref="Apply(ChannelSpec)"/> puts a
/// set's effects on a channel. Scenarios name one (<c>"evidence": "central"</c>) and may still override any channel field.
/// <para>Turnout effects are per contact, measured on election-day turnout, so they apply as measured. Ad persuasion is the
/// effect on the day an ad is seen (survey experiments measure it right after exposure) and decays to election day with a
/// half-life of <see cref="PersuasionHalfLifeDays"/> days (<see cref="Persistence"/>).</para>
/// <para>Demobilisation and the turnout effects of paid social are priced at the spend per person of Aggarwal et al.'s
/// experiment: about $8.9M over about 2M people, so ≈ 4.45 per person. The library's currency units are read as US dollars
/// of that campaign; a <c>demobilising-ads</c> contact is the whole treatment one person received (cost
/// <see cref="AdSpendPerPerson"/>, one contact per person), and a <c>paid-social</c> contact (a flight of about ten
/// impressions at 0.10) gets the per-person effect scaled by its cost: 0.10 / 4.45 ≈ 2.2% of it.</para>
/// </summary>
[Description("Evidence presets: a named, cited bundle of every channel effect (pessimistic, central, optimistic). Scenarios name one with \"evidence\" (default central); their \"channels\" overrides win over it.")]
public sealed record EvidenceSet
{
    /// <summary>Preset name.</summary>
    public string Name { get; init; } = "central";
    /// <summary>Door-to-door canvassing: contacts per extra vote.</summary>
    [Param("Door-to-door canvassing: contacts per extra vote (turnout effect 1/N per contact)", Min = 1, Max = 1e6, Unit = "contacts per vote",
        Citation = "Green & Gerber (2019) Get Out the Vote, 4th ed.: 1 per 14 on average; smaller effects in high-salience elections (presets 30 / 20 / 14)")]
    public double CanvassContactsPerVote { get; init; } = 20;
    /// <summary>Volunteer phone banks: contacts per extra vote.</summary>
    [Param("Volunteer phone banks: contacts per extra vote", Min = 1, Max = 1e6, Unit = "contacts per vote",
        Citation = "Green & Gerber (2019): 1 per 35 (optimistic); pessimistic and central 1 per 50 for high-salience elections")]
    public double PhoneContactsPerVote { get; init; } = 50;
    /// <summary>Direct mail: pieces per extra vote.</summary>
    [Param("Direct mail: pieces per extra vote", Min = 1, Max = 1e7, Unit = "pieces per vote",
        Citation = "Green & Gerber (2019): 1 per 177 (optimistic); pessimistic and central 1 per 300")]
    public double MailPiecesPerVote { get; init; } = 300;
    /// <summary>Persuasion per ad exposure (paid social, TV) on the day it is seen: mean change of the probability of voting for the sponsor.</summary>
    [Param("Persuasion per ad exposure (paid social, TV) on the day it is seen", Min = 0, Max = 0.5, Unit = "probability",
        Citation = "Kalla & Broockman (2018) APSR 112(1): ≈ 0 in general elections (pessimistic); Coppock, Hill & Vavreck (2020) Sci. Adv. 6(36): 0.007 right after exposure (optimistic); central 0.002")]
    public double AdPersuasion { get; init; } = 0.002;
    /// <summary>Persuasion half-life between exposure and election day, in days.</summary>
    [Param("Half-life of persuasion between exposure and election day", Min = 0.1, Max = 365, Unit = "days",
        Citation = "Hill, Lo, Vavreck & Zaller (2013) Political Communication 30: most of a TV ad's effect gone within a week; Gerber, Gimpel, Green & Shaw (2011) APSR 105: large in the week of airing, gone soon after (presets 3 / 3.5 / 7)")]
    public double PersuasionHalfLifeDays { get; init; } = 3.5;
    /// <summary>Turnout change of the sponsor's leaners per person treated with Aggarwal et al.'s spend per person.</summary>
    [Param("Social ads: turnout change of the sponsor's leaners per person treated at adSpendPerPerson", Min = -0.5, Max = 0.5, Unit = "probability",
        Citation = "Aggarwal et al. (2023) Nat. Hum. Behav. 7: average ≈ 0, +0.4 pp in the most favourable subgroup (optimistic); central half of it")]
    public double AdMobilisationPerPerson { get; init; } = 0.002;
    /// <summary>Turnout change of the other side's leaners per person treated (demobilisation).</summary>
    [Param("Social ads: turnout change of the other side's leaners per person treated at adSpendPerPerson (demobilisation)", Min = -0.5, Max = 0.5, Unit = "probability",
        Citation = "Aggarwal et al. (2023) Nat. Hum. Behav. 7: average ≈ 0 (pessimistic and central), −0.3 pp in the most affected subgroup (optimistic: the upper end of the range)")]
    public double AdDemobilisationPerPerson { get; init; }
    /// <summary>What Aggarwal et al.'s campaign spent per person treated (currency units, read as US dollars).</summary>
    [Param("Spend per person treated in the social-ads experiment the turnout effects come from", Min = 0.01, Max = 1e4, Unit = "currency",
        Citation = "Aggarwal et al. (2023): about $8.9M over about 2M people ≈ 4.45 per person")]
    public double AdSpendPerPerson { get; init; } = 4.45;
    /// <summary>Persuasion gain of a personality-congruent paid-social message over the campaign's ordinary message, as a share of its effect.</summary>
    [Param("Psychographics: extra persuasion of a personality-congruent ad, as a share of the ordinary ad's effect", Min = 0, Max = 5, Unit = "share",
        Citation = "Zarouali et al. (2022) Communication Research 49: small gains for congruent political ads (central 0.1, an assumption for 'small'); Matz et al. (2017) PNAS 114: congruent ads ≈ 40% more clicks (optimistic 0.4, reading clicks as persuasion, an upper bound); pessimistic 0")]
    public double PsychographicGain { get; init; } = 0.1;
    /// <summary>Accuracy of personality inferred from a median digital footprint (correlation with the true trait).</summary>
    [Param("Psychographics: correlation of inferred with true personality at the median digital footprint (about 300 likes); it grows with the footprint's square root, capped at 0.9", Min = 0, Max = 0.9, Unit = "correlation",
        Citation = "Youyou, Kosinski & Stillwell (2015) PNAS 112: r ≈ 0.56 from about 300 likes, lower with fewer likes")]
    public double PersonalityAccuracy { get; init; } = 0.56;
    /// <summary>Where the preset's figures come from.</summary>
    public string Citation { get; init; } = "";

    /// <summary>Names of the shipped presets.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["pessimistic", "central", "optimistic"];

    /// <summary>Small effects: high-salience general elections, no lasting persuasion, no demobilisation on average.</summary>
    public static EvidenceSet Pessimistic { get; } = new()
    {
        Name = "pessimistic", CanvassContactsPerVote = 30, PhoneContactsPerVote = 50, MailPiecesPerVote = 300, AdPersuasion = 0,
        PersuasionHalfLifeDays = 3, AdMobilisationPerPerson = 0, AdDemobilisationPerPerson = 0, PsychographicGain = 0,
        Citation = "Green & Gerber (2019) at the low end for high-salience elections (canvass 1/30, phone 1/50, mail 1/300); Kalla & Broockman (2018): persuasion ≈ 0; Aggarwal et al. (2023): average turnout effect ≈ 0.",
    };

    /// <summary>The default: between the ends, every figure stated in docs/campaigns.md.</summary>
    public static EvidenceSet Central { get; } = new()
    {
        Citation = "Green & Gerber (2019) discounted for a high-salience election (canvass 1/20, phone 1/50, mail 1/300); ad persuasion 0.002 on the day seen, between Kalla & Broockman (2018) ≈ 0 and Coppock, Hill & Vavreck (2020) 0.007, decaying with a 3.5-day half-life (Hill et al. 2013; Gerber et al. 2011); half of Aggarwal et al.'s (2023) subgroup mobilisation effect and their average demobilisation effect (≈ 0).",
    };

    /// <summary>The published point estimates: Green &amp; Gerber's averages, Coppock et al.'s persuasion, Aggarwal et al.'s subgroup effects.</summary>
    public static EvidenceSet Optimistic { get; } = new()
    {
        Name = "optimistic", CanvassContactsPerVote = 14, PhoneContactsPerVote = 35, MailPiecesPerVote = 177, AdPersuasion = 0.007,
        PersuasionHalfLifeDays = 7, AdMobilisationPerPerson = 0.004, AdDemobilisationPerPerson = -0.003, PsychographicGain = 0.4,
        Citation = "Green & Gerber (2019) averages (canvass 1/14, phone 1/35, mail 1/177); Coppock, Hill & Vavreck (2020): 0.007 per exposure; Aggarwal et al. (2023): +0.4 pp / −0.3 pp subgroup turnout effects; a 7-day half-life.",
    };

    /// <summary>A preset by name (pessimistic, central, optimistic); an ArgumentException names the presets otherwise.</summary>
    public static EvidenceSet Preset(string name) => name switch
    {
        "pessimistic" => Pessimistic,
        "central" => Central,
        "optimistic" => Optimistic,
        _ => throw new ArgumentException($"Unknown evidence preset '{name}'. Presets: {string.Join(", ", PresetNames)}.", nameof(name)),
    };

    /// <summary>
    /// <paramref name="channel"/> with this set's effects: canvass, phone, direct mail (turnout 1/N), paid social and TV
    /// (persuasion; paid social also the turnout effects scaled by its cost per contact over <see cref="AdSpendPerPerson"/>) and
    /// demobilising ads (one contact per person at <see cref="AdSpendPerPerson"/>). Other channels (robocalls, email, social
    /// pressure, owned social) have one published figure each and are returned unchanged. Channels are matched by built-in
    /// name, so a scenario's new channels keep the effects it gives them.
    /// </summary>
    public ChannelSpec Apply(ChannelSpec channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        string note = $" Evidence preset '{Name}'.";
        return channel.Name switch
        {
            "canvass" => channel with { TurnoutEffect = 1 / CanvassContactsPerVote, Citation = $"{Channels.GreenGerber}: 1 vote per {Fmt(CanvassContactsPerVote)} contacts (14 on average, fewer in high-salience elections); Nickerson (2008) APSR 102(1): 60% household spillover; Kalla & Broockman (2018) APSR 112(1): persuasion ≈ 0.{note}" },
            "phone" => channel with { TurnoutEffect = 1 / PhoneContactsPerVote, Citation = $"{Channels.GreenGerber}: volunteer phone banks 1 vote per {Fmt(PhoneContactsPerVote)} contacts (35 on average).{note}" },
            "direct-mail" => channel with { TurnoutEffect = 1 / MailPiecesPerVote, Citation = $"{Channels.GreenGerber}: direct mail 1 vote per {Fmt(MailPiecesPerVote)} pieces (177 on average).{note}" },
            "paid-social" => channel with
            {
                PersuasionEffect = AdPersuasion,
                TurnoutEffect = AdMobilisationPerPerson * channel.Cost / AdSpendPerPerson,
                OpponentTurnoutEffect = AdDemobilisationPerPerson * channel.Cost / AdSpendPerPerson,
                Citation = $"A contact is a flight of about ten impressions at a CPM of 10. Persuasion {Fmt(AdPersuasion)} on the day seen (Coppock, Hill & Vavreck 2020 Sci. Adv. 6(36): 0.007; Kalla & Broockman 2018: ≈ 0), decaying to election day; turnout {Fmt(AdMobilisationPerPerson)} / {Fmt(AdDemobilisationPerPerson)} per person at {Fmt(AdSpendPerPerson)} per person (Aggarwal et al. 2023 Nat. Hum. Behav. 7), scaled by cost per contact.{note}",
            },
            "tv" => channel with { PersuasionEffect = AdPersuasion, Citation = $"A contact is one viewer at a CPM of 20. Persuasion {Fmt(AdPersuasion)} on the day seen (Coppock, Hill & Vavreck 2020: 0.007; Kalla & Broockman 2018: ≈ 0), decaying to election day.{note}" },
            "demobilising-ads" => channel with
            {
                Cost = AdSpendPerPerson, MaxFrequency = 1, TurnoutEffect = 0, OpponentTurnoutEffect = AdDemobilisationPerPerson,
                Citation = $"Voter suppression (MODEL.md §9): negative, cynical, false-polling or smear content aimed at the other side's soft supporters. A contact is the whole treatment of one person, priced at Aggarwal et al.'s (2023, Nat. Hum. Behav. 7) spend per person ({Fmt(AdSpendPerPerson)}: $8.9M over 2M people); turnout {Fmt(AdDemobilisationPerPerson)} for the other side's leaners (average ≈ 0, −0.3 pp in a subgroup); no effect on the sponsor's own.{note}",
            },
            _ => channel,
        };
    }

    /// <summary>Every channel of <paramref name="channels"/> with this set's effects.</summary>
    public IReadOnlyList<ChannelSpec> Apply(IEnumerable<ChannelSpec> channels) => channels.Select(Apply).ToArray();

    /// <summary>Validates ranges.</summary>
    public IReadOnlyList<ValidationError> Validate(string path = "$")
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(this, path, errors);
        return errors;
    }

    private static string Fmt(double v) => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// How long persuasion lasts (MODEL.md §6; docs/campaigns.md, "Calendar and decay"). A campaign runs over
/// <c>weeks</c> weeks before election day, numbered 1 (the earliest) to W (the last). A contact in week w is made at the
/// week's midpoint, <see cref="DaysBeforeElection(int, int)"/> = (W − w)·7 + 3.5 days before election day, and its persuasion reaches
/// election day multiplied by <see cref="Remaining(double, double)"/> = 2^(−days / half-life). Turnout effects were measured on
/// election-day turnout and apply as measured (no decay).
/// </summary>
public static class Persistence
{
    /// <summary>Days in a week.</summary>
    public const double DaysPerWeek = 7;
    /// <summary>Default campaign length in weeks.</summary>
    public const int DefaultWeeks = 6;

    /// <summary>Days between a contact in week <paramref name="week"/> (1..<paramref name="weeks"/>) and election day: (W − w)·7 + 3.5.</summary>
    public static double DaysBeforeElection(int week, int weeks)
    {
        if (weeks < 1) throw new ArgumentOutOfRangeException(nameof(weeks), weeks, "weeks must be at least 1.");
        if (week < 1 || week > weeks) throw new ArgumentOutOfRangeException(nameof(week), week, $"week must be in 1..{weeks}.");
        return (weeks - week) * DaysPerWeek + DaysPerWeek / 2;
    }

    /// <summary>
    /// Days between a contact in week <paramref name="week"/> and election day when the channel may not run in the last
    /// <paramref name="silenceDays"/> days: the week spans days [(W − w)·7, (W − w)·7 + 7) before election day and its
    /// contacts are spread evenly over the part of it before the silence (the middle of that part); a week wholly inside the
    /// silence has its contacts made with those of the week the silence starts in, in that week's days before the silence (so
    /// a later week is never made earlier than an earlier one). Without a silence it is <see cref="DaysBeforeElection(int, int)"/>.
    /// </summary>
    public static double DaysBeforeElection(int week, int weeks, double silenceDays)
    {
        if (!(silenceDays >= 0) || double.IsInfinity(silenceDays)) throw new ArgumentOutOfRangeException(nameof(silenceDays), silenceDays, "the silence period must be a finite number of days, 0 or more.");
        double days = DaysBeforeElection(week, weeks);
        if (silenceDays == 0) return days;
        double from = (weeks - week) * DaysPerWeek, to = from + DaysPerWeek;
        if (silenceDays < to) return (Math.Max(from, silenceDays) + to) / 2;
        double start = Math.Floor(silenceDays / DaysPerWeek) * DaysPerWeek + DaysPerWeek; // the end of the week the silence starts in
        return (silenceDays + start) / 2;
    }

    /// <summary>The share of a persuasion effect left after <paramref name="days"/> days: 2^(−days / half-life).</summary>
    public static double Remaining(double days, double halfLifeDays)
    {
        if (!(halfLifeDays > 0)) throw new ArgumentOutOfRangeException(nameof(halfLifeDays), halfLifeDays, "the half-life must be positive.");
        if (days < 0) throw new ArgumentOutOfRangeException(nameof(days), days, "days must not be negative.");
        return Math.Pow(2, -days / halfLifeDays);
    }

    /// <summary>The share left on election day of persuasion delivered in week <paramref name="week"/> of <paramref name="weeks"/>.</summary>
    public static double Remaining(int week, int weeks, double halfLifeDays) => Remaining(DaysBeforeElection(week, weeks), halfLifeDays);
}
