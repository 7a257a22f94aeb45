namespace Workbench.Data;

/// <summary>How a data source observes the truth (MODEL.md §3: "a campaign never sees the truth").</summary>
public sealed record SourceQuality
{
    /// <summary>Share of voters the source holds a record for (the rest are missing).</summary>
    [Param("Share of voters with a record in the source", Min = 0, Max = 1)]
    public double Coverage { get; init; } = 1;
    /// <summary>Share of held records whose value is wrong: it belongs to another, random voter (mis-inferred or mis-linked attributes).</summary>
    [Param("Share of records whose value is wrong (another voter's value)", Min = 0, Max = 1)]
    public double ErrorRate { get; init; }
    /// <summary>Share of held records that are out of date (collected <see cref="StaleYears"/> earlier: recorded ages are that much younger).</summary>
    [Param("Share of records that are out of date", Min = 0, Max = 1)]
    public double StaleShare { get; init; }
    /// <summary>How old an out-of-date record is, in years.</summary>
    [Param("Age of an out-of-date record", Min = 0, Max = 30, Unit = "years")]
    public double StaleYears { get; init; } = 4;
    /// <summary>Where the figures come from.</summary>
    public string Citation { get; init; } = "";
}

/// <summary>
/// The quality of every source a campaign may buy or collect (MODEL.md §3). <see cref="Perfect"/> reads the truth (the
/// default, so analyses that isolate the law from data quality see only the law); <see cref="Typical"/> gives purchased
/// consumer data and platform inferences the coverage and error rates audits report.
/// </summary>
public sealed record DataQuality
{
    /// <summary>Quality per source; sources not listed are perfect.</summary>
    public IReadOnlyDictionary<DataSource, SourceQuality> Sources { get; init; } = new Dictionary<DataSource, SourceQuality>();
    /// <summary>Name ("perfect", "typical" or "custom").</summary>
    public string Name { get; init; } = "custom";

    /// <summary>The quality of <paramref name="source"/>.</summary>
    public SourceQuality Of(DataSource source) => Sources.TryGetValue(source, out var q) ? q : PerfectSource;

    /// <summary>True when every source reads the truth.</summary>
    public bool IsPerfect => Sources.Values.All(q => q.Coverage == 1 && q.ErrorRate == 0 && q.StaleShare == 0);

    private static readonly SourceQuality PerfectSource = new();

    /// <summary>Every source reads the truth.</summary>
    public static DataQuality Perfect { get; } = new() { Name = "perfect" };

    /// <summary>
    /// Typical quality: the voter file is complete but a tenth of its records are four years old; consumer data covers three voters
    /// in four and 40% of its attributes are wrong — Venkatadri et al. (2019, WWW '19, "Auditing offline data brokers via
    /// Facebook's advertising platform") found over 40% of data-broker attributes not at all accurate; platform inferences cover
    /// the four voters in five who use the platform, a fifth wrong. Coverage and staleness figures are assumptions of this
    /// workbench, to be varied.
    /// </summary>
    public static DataQuality Typical { get; } = new()
    {
        Name = "typical",
        Sources = new Dictionary<DataSource, SourceQuality>
        {
            [DataSource.VoterFile] = new() { Coverage = 1, StaleShare = 0.1, StaleYears = 4, Citation = "assumption: a tenth of register records four years old" },
            [DataSource.ConsumerData] = new() { Coverage = 0.75, ErrorRate = 0.4, Citation = "Venkatadri et al. (2019) WWW: over 40% of data-broker attributes inaccurate; coverage an assumption" },
            [DataSource.PlatformTargeting] = new() { Coverage = 0.8, ErrorRate = 0.2, Citation = "assumption: platform users and inferred-attribute accuracy" },
        },
    };

    /// <summary>A preset by name: perfect or typical.</summary>
    public static DataQuality Preset(string name) => name switch
    {
        "perfect" => Perfect,
        "typical" => Typical,
        _ => throw new ArgumentException($"Unknown data quality '{name}'; known: perfect, typical.", nameof(name)),
    };

    /// <summary>Validation errors with JSON paths.</summary>
    public IReadOnlyList<ValidationError> Validate(string path = "$")
    {
        var errors = new List<ValidationError>();
        foreach (var (s, q) in Sources) Parameters.CheckRanges(q, $"{path}.{s}", errors);
        return errors;
    }
}
