using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Data;

/// <summary>Where a campaign's data about voters comes from (MODEL.md §3).</summary>
public enum DataSource { VoterFile, Canvass, ConsumerData, PlatformTargeting, Polls }

/// <summary>
/// A legal regime for campaign data (MODEL.md §3; International IDEA, Digital Microtargeting,
/// 2018, ch. 4 on legal considerations): which sources may be used, the minimum unit of analysis
/// in households (a German-style micro-cell of about 6.6 households is a parameter, not a statute),
/// banned attributes (GDPR Art. 9 special categories), whether individual-level modelling is
/// allowed, and the minimum audience of an ad.
/// </summary>
public sealed record DataRegime
{
    public string Name { get; init; } = "custom";
    public string Description { get; init; } = "";
    /// <summary>Sources the campaign may use.</summary>
    public IReadOnlyList<DataSource> AllowedSources { get; init; } = Enum.GetValues<DataSource>();
    /// <summary>Smallest unit data may describe, in households (1 = individuals).</summary>
    [Param("Minimum unit of analysis in households (1 = individual data).", Min = 1, Max = 10_000, Unit = "households",
        Citation = "German-style micro-cells average about 6.6 households (International IDEA 2018, ch. 4)")]
    public int MinimumUnitHouseholds { get; init; } = 1;
    /// <summary>Attributes (codebook column names) that may not be read or targeted.</summary>
    public IReadOnlyList<string> BannedAttributes { get; init; } = [];
    /// <summary>Whether models may be trained on individual voters.</summary>
    public bool IndividualModelling { get; init; } = true;
    /// <summary>Whether campaigns may upload voter lists to platforms as custom audiences (individual targeting through the platform).</summary>
    public bool CustomAudiences { get; init; } = true;
    /// <summary>
    /// The strict GDPR reading (Art. 9(2)(d)): a party may process personal data of its members and regular contacts only.
    /// When true, poll answers and canvass records are kept only for the party's contacts — modelled as the voters who
    /// identify with it — so models train on, and canvass features exist for, them alone.
    /// </summary>
    public bool ContactsOnly { get; init; }
    /// <summary>Mean share of an uploaded voter list that the platform matches to its users (see <see cref="CustomAudienceMatch"/>).</summary>
    [Param("Mean share of an uploaded voter list the platform matches to its users, for custom audiences; a voter's chance rises with the digital footprint and falls with age (1 = every voter matched).",
        Min = 0, Max = 1, Unit = "share", Citation = "assumption (MODEL.md §3: match rate rising with digital footprint, falling with age); no published rate is calibrated here")]
    public double CustomAudienceMatchRate { get; init; } = 0.6;
    /// <summary>Smallest audience an ad may target, in people on the platform (not scaled with the electorate; docs/regulation.md).</summary>
    [Param("Minimum audience of a targeted ad, in people on the platform.", Min = 1, Max = 10_000_000, Unit = "people")]
    public int MinimumAudience { get; init; } = 1;
    /// <summary>
    /// Whether campaigns may infer voters' personality from their digital footprint and target messages on it (psychographic
    /// profiling). The strict GDPR reading forbids it: inferred political and psychological profiles are special-category data
    /// (Art. 9) and targeting on them is automated profiling (Art. 22).
    /// </summary>
    public bool Profiling { get; init; } = true;

    /// <summary>True when data may only be seen in cells of several households.</summary>
    [JsonIgnore] public bool Aggregated => MinimumUnitHouseholds > 1 || !IndividualModelling;

    /// <summary>Every problem with the regime, with JSON paths.</summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(this, "$", errors);
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(new("$.name", "must not be empty."));
        if (AllowedSources is null) errors.Add(new("$.allowedSources", "is required."));
        else if (AllowedSources.Distinct().Count() != AllowedSources.Count) errors.Add(new("$.allowedSources", "lists a source twice."));
        if (BannedAttributes is null) errors.Add(new("$.bannedAttributes", "is required."));
        else
            for (int i = 0; i < BannedAttributes.Count; i++)
                if (!VoterData.Attributes.Contains(BannedAttributes[i]))
                    errors.Add(new($"$.bannedAttributes[{i}]", $"'{BannedAttributes[i]}' is not an attribute; known: {string.Join(", ", VoterData.Attributes)}."));
        if (!IndividualModelling && MinimumUnitHouseholds == 1)
            errors.Add(new("$.minimumUnitHouseholds", "a regime without individual modelling needs a minimum unit of at least 2 households."));
        return errors;
    }

    /// <summary>The regime as indented JSON (camelCase, kebab-case enum names, non-ASCII kept as is), written through its source-generated contract.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DataJson.Contract.DataRegime);

    /// <summary>Parses and validates a regime through the shared JSON layer; every error is listed with its JSON path.</summary>
    public static DataRegime FromJson(string json)
    {
        var errors = new List<ValidationError>();
        var r = Read(Workbench.Json.JsonInput.ParseObject(json, "a data regime"), "$", errors);
        Parameters.ThrowIfAny(errors);
        return r!;
    }

    /// <summary>
    /// Reads and validates a regime object found inside another file, adding every error with <paramref name="pathPrefix"/>
    /// in place of the regime's own "$"; null when it has errors.
    /// </summary>
    public static DataRegime? Read(System.Text.Json.Nodes.JsonObject node, string pathPrefix, List<ValidationError> errors)
    {
        var own = new List<ValidationError>();
        var copy = (System.Text.Json.Nodes.JsonObject)node.DeepClone();
        try { Workbench.Json.JsonInput.StripSchema(copy); }
        catch (SpecValidationException ex) { own.AddRange(ex.Errors); }
        var r = Workbench.Json.JsonInput.Deserialize(copy, "$", own, DataJson.Contract.DataRegime);
        if (r is not null) own.AddRange(r.Validate());
        errors.AddRange(own.Select(e => e with { Path = pathPrefix + e.Path[1..] }));
        return own.Count == 0 ? r : null;
    }

    /// <summary>Names of the built-in regimes.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["eu-gdpr", "france-like", "germany-like", "uk-like", "us-like"];

    /// <summary>A built-in regime (embedded copy of data-synthetic/regimes/NAME.json).</summary>
    public static DataRegime Preset(string name)
    {
        if (!PresetNames.Contains(name)) throw new ArgumentException($"Unknown data regime '{name}'. Known regimes: {string.Join(", ", PresetNames)}.", nameof(name));
        return FromJson(EmbeddedJson.Read("Regimes", name));
    }
}

/// <summary>An attempt to use data that the regime forbids; the message names the rule.</summary>
public sealed class RegimeViolationException(string regime, string rule, string message)
    : InvalidOperationException($"Refused under data regime '{regime}' (rule: {rule}): {message}")
{
    public string Regime { get; } = regime;
    public string Rule { get; } = rule;
}
