using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Electorate;

/// <summary>A party of a synthetic country: its name, colour, target national vote share and positions on the issues.</summary>
public sealed record PartySpec
{
    /// <summary>Short name, unique within the spec.</summary>
    public string Name { get; init; } = "";
    /// <summary>Chart colour (CSS).</summary>
    public string Color { get; init; } = "#888888";
    /// <summary>Target national share of the valid vote; the targets of all parties sum to 1.</summary>
    [Param("Target national share of the valid vote (calibrated by party valence).", Min = 0.001, Max = 0.999, Unit = "share")]
    public double TargetShare { get; init; }
    /// <summary>Position on each issue dimension, on the same scale as voters' positions (roughly −2..2).</summary>
    public IReadOnlyList<double> Positions { get; init; } = [];
    /// <summary>Regions (0-based) where the party is regionally concentrated (e.g. a nationalist party).</summary>
    public IReadOnlyList<int> StrongholdRegions { get; init; } = [];
    /// <summary>Extra utility in its stronghold regions (and a matching penalty elsewhere for regional parties).</summary>
    [Param("Extra utility in the party's stronghold regions.", Min = 0, Max = 10, Unit = "utility")]
    public double StrongholdBonus { get; init; }
    /// <summary>If true the party stands only in its stronghold regions.</summary>
    public bool RegionalOnly { get; init; }
}

/// <summary>National demographic marginals that IPF reproduces per constituency (after local tilts).</summary>
public sealed record DemographicTargets
{
    /// <summary>Shares of the six age bands 18–24, 25–34, 35–44, 45–54, 55–64, 65+.</summary>
    public IReadOnlyList<double> AgeBands { get; init; } = [0.11, 0.17, 0.16, 0.17, 0.16, 0.23];
    /// <summary>Shares of education levels: low, middle, high.</summary>
    public IReadOnlyList<double> Education { get; init; } = [0.30, 0.40, 0.30];
    /// <summary>Shares of income quintiles 1 (lowest) to 5; nationally 0.2 each by definition.</summary>
    public IReadOnlyList<double> Income { get; init; } = [0.2, 0.2, 0.2, 0.2, 0.2];
    /// <summary>Share of women.</summary>
    [Param("Share of women among voters.", Min = 0, Max = 1, Unit = "share")]
    public double Female { get; init; } = 0.51;
    /// <summary>National share of a minority/religion flag (GDPR Art. 9 special category).</summary>
    [Param("Share of voters with the minority/religion flag (a GDPR Art. 9 special category).", Min = 0, Max = 1, Unit = "share")]
    public double Minority { get; init; } = 0.12;
    /// <summary>National share with a health condition flag (GDPR Art. 9 special category).</summary>
    [Param("Share of voters with a health-condition flag (a GDPR Art. 9 special category).", Min = 0, Max = 1, Unit = "share")]
    public double Health { get; init; } = 0.22;
}

/// <summary>Coefficients of the turnout logit (MODEL.md §2); the intercept is calibrated to the target turnout.</summary>
public sealed record TurnoutModelSpec
{
    /// <summary>Per decade of age above 45.</summary>
    [Param("Turnout logit coefficient per decade of age above 45.", Min = -5, Max = 5, Citation = "Smets & van Ham 2013, Electoral Studies 32(2) (age and education among the most robust turnout correlates)")]
    public double Age { get; init; } = 0.25;
    /// <summary>Per education level (0, 1, 2).</summary>
    [Param("Turnout logit coefficient per education level.", Min = -5, Max = 5, Citation = "Smets & van Ham 2013")]
    public double Education { get; init; } = 0.30;
    /// <summary>If the voter voted last time (habit).</summary>
    [Param("Turnout logit coefficient for having voted at the last election (habit).", Min = -5, Max = 5, Citation = "Gerber, Green & Shachar 2003, AJPS 47(3)")]
    public double PastTurnout { get; init; } = 1.2;
    /// <summary>Times party-identification strength (0..1).</summary>
    [Param("Turnout logit coefficient times party-identification strength (0..1).", Min = -5, Max = 5)]
    public double PartyIdStrength { get; init; } = 0.6;
    /// <summary>Times political interest (0..1).</summary>
    [Param("Turnout logit coefficient times political interest (0..1).", Min = -5, Max = 5)]
    public double Interest { get; init; } = 1.0;
    /// <summary>Times constituency closeness (1 − expected winning margin).</summary>
    [Param("Turnout logit coefficient times constituency closeness (1 − expected margin).", Min = -5, Max = 5, Citation = "Geys 2006, Electoral Studies 25(4) (closeness raises turnout)")]
    public double Closeness { get; init; } = 0.4;
}

/// <summary>
/// The specification of a synthetic electorate (MODEL.md §1–2): geography, parties and their
/// targets, demographic marginals, how strongly opinion clusters in space and households, and
/// the vote-choice and turnout models. Immutable; <see cref="Validate"/> lists every error with
/// its JSON path; round-trips to JSON with <see cref="ToJson"/>/<see cref="FromJson"/>.
/// </summary>
public sealed record ElectorateSpec
{
    /// <summary>Preset or study name.</summary>
    public string Name { get; init; } = "custom";
    /// <summary>One paragraph on what the spec represents.</summary>
    public string Description { get; init; } = "";
    /// <summary>Number of regions (contiguous groups of constituencies).</summary>
    [Param("Number of regions (contiguous groups of constituencies on the map).", Min = 1, Max = 100)]
    public int Regions { get; init; } = 4;
    /// <summary>Number of single-member constituencies.</summary>
    [Param("Number of single-member constituencies.", Min = 1, Max = 5000)]
    public int Constituencies { get; init; } = 20;
    /// <summary>Voters generated when none is given.</summary>
    [Param("Voters generated when the caller gives no number.", Min = 10, Max = 200_000_000, Unit = "voters")]
    public int DefaultVoters { get; init; } = 50_000;
    /// <summary>Names of the K issue dimensions.</summary>
    public IReadOnlyList<string> Issues { get; init; } = ["economic left–right", "cultural/immigration", "environment", "sovereignty"];
    /// <summary>The parties.</summary>
    public IReadOnlyList<PartySpec> Parties { get; init; } = [];
    /// <summary>Target turnout (share of registered voters who vote).</summary>
    [Param("Target turnout as a share of registered voters (calibrated by the turnout intercept).", Min = 0.05, Max = 0.99, Unit = "share")]
    public double TurnoutTarget { get; init; } = 0.67;
    /// <summary>Probabilities of households of 1..6 voters.</summary>
    public IReadOnlyList<double> HouseholdSizes { get; init; } = [0.30, 0.38, 0.14, 0.12, 0.04, 0.02];
    /// <summary>Smallest neighbourhood, in households (a postcode unit).</summary>
    [Param("Smallest neighbourhood (postcode unit), in households.", Min = 1, Max = 100_000, Unit = "households")]
    public int MinNeighbourhoodHouseholds { get; init; } = 100;
    /// <summary>Largest neighbourhood, in households.</summary>
    [Param("Largest neighbourhood (postcode unit), in households.", Min = 1, Max = 100_000, Unit = "households")]
    public int MaxNeighbourhoodHouseholds { get; init; } = 500;
    /// <summary>National demographic marginals.</summary>
    public DemographicTargets Marginals { get; init; } = new();
    /// <summary>SD of region latent traits (urbanity, deprivation, age profile), standard units.</summary>
    [Param("SD between regions of latent traits (urbanity, deprivation, age profile).", Min = 0, Max = 3, Unit = "SD")]
    public double RegionalVariation { get; init; } = 0.4;
    /// <summary>SD of constituency latent traits around their region.</summary>
    [Param("SD of constituency latent traits around their region.", Min = 0, Max = 3, Unit = "SD")]
    public double ConstituencyVariation { get; init; } = 0.6;
    /// <summary>SD of neighbourhood latent traits around their constituency.</summary>
    [Param("SD of neighbourhood latent traits around their constituency.", Min = 0, Max = 3, Unit = "SD")]
    public double NeighbourhoodVariation { get; init; } = 0.35;
    /// <summary>SD of constituency-specific party utility offsets c_{j,k}: larger → more safe seats.</summary>
    [Param("SD of constituency party offsets c_{j,k} in utility units (larger: more safe seats, fewer marginals).", Min = 0, Max = 5, Unit = "utility")]
    public double PartyOffsetSd { get; init; } = 0.45;
    /// <summary>SD of neighbourhood opinion shifts per issue ("swing streets").</summary>
    [Param("SD of neighbourhood shifts of issue positions (spatially clustered opinion, 'swing streets').", Min = 0, Max = 3, Unit = "position")]
    public double NeighbourhoodOpinionSd { get; init; } = 0.20;
    /// <summary>Weight of the household's shared component in members' issue positions and party identification.</summary>
    [Param("Household partisanship: share of a household's members who copy the first member's party identification.", Min = 0, Max = 1, Unit = "share", Citation = "Zuckerman, Dasović & Fitzgerald 2007, Partisan Families (CUP)")]
    public double HouseholdPartisanship { get; init; } = 0.6;
    /// <summary>Share of voters with a party identification.</summary>
    [Param("Share of voters with a party identification.", Min = 0, Max = 1, Unit = "share")]
    public double PartyIdRate { get; init; } = 0.55;
    /// <summary>Weight of issue distance in utility (scales −Σ s (x − p)²).</summary>
    [Param("Weight of the salience-weighted squared issue distance in utility.", Min = 0, Max = 20, Unit = "utility")]
    public double PolicyWeight { get; init; } = 1.0;
    /// <summary>β: utility bonus of the identified party, times identification strength.</summary>
    [Param("β: utility of the identified party, times identification strength.", Min = 0, Max = 20, Unit = "utility")]
    public double PartyIdWeight { get; init; } = 1.5;
    /// <summary>Dirichlet concentration of issue salience (per issue).</summary>
    [Param("Dirichlet concentration of issue-salience weights (per issue).", Min = 0.05, Max = 100)]
    public double SalienceConcentration { get; init; } = 2.0;
    /// <summary>Turnout model.</summary>
    public TurnoutModelSpec Turnout { get; init; } = new();
    /// <summary>
    /// The per-voter model's coefficients (JSON <c>voterModel</c>; employment, retirement, health, media use, personality, …;
    /// docs/parameters.md, <c>VoterModelSpec</c>). Absent: <see cref="VoterModelSpec.Default"/>, and the spec's JSON and hash are
    /// those of a spec without the field. A preset or scenario may set any subset, e.g. <c>"voterModel": { "retirementAge": 63 }</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VoterModelSpec? VoterModel { get; init; }

    /// <summary>Number of issue dimensions K.</summary>
    [JsonIgnore] public int IssueCount => Issues.Count;

    /// <summary>Every problem with the spec, each with its JSON path; empty when valid.</summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        Parameters.CheckRanges(this, "$", errors);
        Parameters.CheckRanges(Marginals ?? new(), "$.marginals", errors);
        Parameters.CheckRanges(Turnout ?? new(), "$.turnout", errors);
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(new("$.name", "must not be empty."));
        if (Issues is null || Issues.Count is < 1 or > 16) errors.Add(new("$.issues", $"needs 1 to 16 issue names; has {Issues?.Count ?? 0}."));
        if (Regions > Constituencies) errors.Add(new("$.regions", $"{Regions} regions cannot exceed {Constituencies} constituencies."));
        if (MinNeighbourhoodHouseholds > MaxNeighbourhoodHouseholds)
            errors.Add(new("$.minNeighbourhoodHouseholds", $"{MinNeighbourhoodHouseholds} exceeds maxNeighbourhoodHouseholds {MaxNeighbourhoodHouseholds}."));
        Distribution(errors, "$.householdSizes", HouseholdSizes, 6);
        if (Marginals is null) errors.Add(new("$.marginals", "is required."));
        else
        {
            Distribution(errors, "$.marginals.ageBands", Marginals.AgeBands, AgeBandCount);
            Distribution(errors, "$.marginals.education", Marginals.Education, 3);
            Distribution(errors, "$.marginals.income", Marginals.Income, 5);
        }
        if (Turnout is null) errors.Add(new("$.turnout", "is required."));
        if (VoterModel is not null) errors.AddRange(VoterModel.Validate("$.voterModel"));
        if (Parties is null || Parties.Count < 2) errors.Add(new("$.parties", $"needs at least 2 parties; has {Parties?.Count ?? 0}."));
        else
        {
            if (Parties.Count > 64) errors.Add(new("$.parties", $"at most 64 parties; has {Parties.Count}."));
            double sum = 0;
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int j = 0; j < Parties.Count; j++)
            {
                var p = Parties[j];
                string path = $"$.parties[{j}]";
                if (p is null) { errors.Add(new(path, "must not be null.")); continue; }
                Parameters.CheckRanges(p, path, errors);
                if (string.IsNullOrWhiteSpace(p.Name)) errors.Add(new(path + ".name", "must not be empty."));
                else if (!names.Add(p.Name)) errors.Add(new(path + ".name", $"'{p.Name}' is used by another party."));
                if (Issues is not null && (p.Positions is null || p.Positions.Count != Issues.Count))
                    errors.Add(new(path + ".positions", $"needs {Issues.Count} positions (one per issue); has {p.Positions?.Count ?? 0}."));
                else if (p.Positions is not null)
                    for (int k = 0; k < p.Positions.Count; k++) Parameters.Range(errors, $"{path}.positions[{k}]", p.Positions[k], -5, 5);
                foreach (var r in p.StrongholdRegions ?? [])
                    if (r < 0 || r >= Regions) errors.Add(new(path + ".strongholdRegions", $"region {r} is outside 0..{Regions - 1}."));
                if (p.RegionalOnly && (p.StrongholdRegions is null || p.StrongholdRegions.Count == 0))
                    errors.Add(new(path + ".regionalOnly", "a regional-only party needs strongholdRegions."));
                sum += p.TargetShare;
            }
            if (Math.Abs(sum - 1.0) > 1e-6) errors.Add(new("$.parties", $"target shares sum to {sum:G6}; they must sum to 1."));
        }
        return errors;
    }

    /// <summary>Throws <see cref="SpecValidationException"/> listing every error, or returns this spec.</summary>
    public ElectorateSpec EnsureValid()
    {
        Parameters.ThrowIfAny(Validate());
        return this;
    }

    private static void Distribution(List<ValidationError> errors, string path, IReadOnlyList<double>? values, int length)
    {
        if (values is null || values.Count != length) { errors.Add(new(path, $"needs {length} shares; has {values?.Count ?? 0}.")); return; }
        for (int i = 0; i < values.Count; i++) Parameters.Range(errors, $"{path}[{i}]", values[i], 0, 1);
        double s = values.Sum();
        if (Math.Abs(s - 1) > 1e-6) errors.Add(new(path, $"shares sum to {s:G6}; they must sum to 1."));
    }

    /// <summary>Number of age bands in <see cref="DemographicTargets.AgeBands"/>.</summary>
    public const int AgeBandCount = 6;

    /// <summary>Lower bounds of the age bands (years).</summary>
    public static ReadOnlySpan<int> AgeBandLower => [18, 25, 35, 45, 55, 65];

    /// <summary>Upper bounds (exclusive) of the age bands (years); the last band runs to 95.</summary>
    public static ReadOnlySpan<int> AgeBandUpper => [25, 35, 45, 55, 65, 96];

    /// <summary>The age band (0..<see cref="AgeBandCount"/>−1) of an age.</summary>
    public static int AgeBandOf(double age)
    {
        int b = 0;
        while (b < AgeBandCount - 1 && age >= AgeBandUpper[b]) b++;
        return b;
    }

    /// <summary>The label of an age band as ad libraries print it ("18-24", …, "65+").</summary>
    public static string AgeBandLabel(int band) => band == AgeBandCount - 1 ? "65+" : $"{AgeBandLower[band]}-{AgeBandUpper[band] - 1}";

    /// <summary>The spec as indented JSON (camelCase, non-ASCII kept as is), written through its source-generated contract.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ElectorateJson.Contract.ElectorateSpec);

    /// <summary>
    /// Parses a spec from JSON through the shared JSON layer (unknown fields, wrong types and duplicate keys are errors with
    /// their JSON paths; a top-level "$schema" is ignored); does not validate ranges — call <see cref="Validate"/>.
    /// </summary>
    public static ElectorateSpec FromJson(string json) => Workbench.Json.JsonInput.DeserializeText(json, "an electorate spec", ElectorateJson.Contract.ElectorateSpec);

    /// <summary>
    /// Reads a spec object found inside another file and validates it, adding every error with <paramref name="pathPrefix"/>
    /// in place of the spec's own "$"; null when it has errors.
    /// </summary>
    public static ElectorateSpec? Read(System.Text.Json.Nodes.JsonObject node, string pathPrefix, List<ValidationError> errors)
    {
        var own = new List<ValidationError>();
        var copy = (System.Text.Json.Nodes.JsonObject)node.DeepClone();
        try { Workbench.Json.JsonInput.StripSchema(copy); }
        catch (SpecValidationException ex) { own.AddRange(ex.Errors); }
        var spec = Workbench.Json.JsonInput.Deserialize(copy, "$", own, ElectorateJson.Contract.ElectorateSpec);
        if (spec is not null) own.AddRange(spec.Validate());
        errors.AddRange(own.Select(e => e with { Path = pathPrefix + e.Path[1..] }));
        return own.Count == 0 ? spec : null;
    }

    /// <summary>Loads a spec from a JSON file and validates it.</summary>
    public static ElectorateSpec Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Spec file '{path}' does not exist.", path);
        return FromJson(File.ReadAllText(path)).EnsureValid();
    }

    /// <summary>Names of the built-in presets.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["classroom", "germany-like", "nordic-like", "westminster-like"];

    /// <summary>A built-in preset (embedded copy of data-synthetic/presets/NAME.json).</summary>
    public static ElectorateSpec Preset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!PresetNames.Contains(name))
            throw new ArgumentException($"Unknown preset '{name}'. Known presets: {string.Join(", ", PresetNames)}.", nameof(name));
        return FromJson(EmbeddedJson.Read("Presets", name)).EnsureValid();
    }
}
