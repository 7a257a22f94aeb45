using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workbench.Json;
using Workbench.Tables;

namespace Workbench.Experiments;

/// <summary>
/// A sensitivity analysis of a scenario (docs/sensitivity.md), run on the sweep machinery: each sample point of the design
/// becomes one variant of a sweep (the parameters set by path, as <c>workbench sweep</c> sets them), with explicit
/// <c>points</c> instead of a grid. So the analysis runs in process (<see cref="Run"/>) or is planned into shards for
/// Slurm or any scheduler (<see cref="Plan"/>, then <c>workbench sweep run</c> and <c>merge</c>), and the indices computed
/// from the merged results (<see cref="Load"/>, <see cref="Analyse"/>) are the same bytes either way. Every run uses the
/// same replicate seeds (common random numbers), so differences between runs come from the parameters alone.
/// </summary>
public sealed class SensitivityStudy
{
    /// <summary>The file beside plan.json describing a planned analysis.</summary>
    public const string FileName = "sensitivity.json";
    private const string Format = "workbench-sensitivity/1";

    private SensitivityStudy(Scenario scenario, SensitivitySpec spec, SensitivityDesign design, IReadOnlyList<SensitivityMetric> metrics, SweepSpec sweep, int bootstrap)
    {
        Scenario = scenario; Spec = spec; Design = design; Metrics = metrics; Sweep = sweep; Bootstrap = bootstrap;
    }

    /// <summary>The scenario analysed (before the patch and the parameters).</summary>
    public Scenario Scenario { get; }
    /// <summary>The parameters file.</summary>
    public SensitivitySpec Spec { get; }
    /// <summary>The sample points.</summary>
    public SensitivityDesign Design { get; }
    /// <summary>The metrics analysed.</summary>
    public IReadOnlyList<SensitivityMetric> Metrics { get; }
    /// <summary>The sweep whose variants are the design's points, in run order.</summary>
    public SweepSpec Sweep { get; }
    /// <summary>Bootstrap resamples for the Sobol' intervals.</summary>
    public int Bootstrap { get; }

    /// <summary>
    /// Builds the analysis: the design for <paramref name="method"/> with <paramref name="samples"/> (Sobol: base sample N;
    /// Morris: trajectories r), the metrics (null or empty: the file's, else <see cref="SensitivityMetric.Defaults"/>) and the
    /// sweep of its points. <paramref name="seed"/> (default: the scenario's) drives the Morris trajectories and the bootstrap;
    /// the simulations use the scenario's own seed. Invalid metrics throw <see cref="ArgumentException"/>, invalid
    /// variants a <see cref="SpecValidationException"/> naming the parameter.
    /// </summary>
    public static SensitivityStudy Create(Scenario scenario, SensitivitySpec spec, SensitivityMethod method, int samples, IReadOnlyList<string>? metrics = null,
        int? seed = null, int levels = Sensitivity.DefaultLevels, int bootstrap = Sensitivity.DefaultBootstrap, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(scenario); ArgumentNullException.ThrowIfNull(spec);
        int s = seed ?? scenario.Seed;
        var design = method == SensitivityMethod.Sobol
            ? Sensitivity.SaltelliDesign(spec.Parameters, samples, s)
            : Sensitivity.MorrisDesign(spec.Parameters, samples, levels, s);
        var names = metrics is { Count: > 0 } ? metrics : spec.Metrics.Count > 0 ? spec.Metrics : SensitivityMetric.Defaults(scenario);
        var parsed = names.Select(n => SensitivityMetric.Parse(n, scenario)).ToArray();
        foreach (var dup in parsed.GroupBy(m => m.Name).Where(g => g.Count() > 1)) throw new ArgumentException($"The metric '{dup.Key}' is named twice.");
        foreach (var m in parsed)
            if (spec.Parameters.Any(p => p.Name == m.Name) || SensitivityResult.FixedColumns.Contains(m.Name))
                throw new ArgumentException($"The metric '{m.Name}' has the name of a parameter or of a runs-table column; rename the parameter.");
        var sweep = SweepSpec.Parse(SweepJson(scenario, spec, design, parsed).ToJsonString(), baseDirectory);
        return new SensitivityStudy(scenario, spec, design, parsed, sweep, bootstrap);
    }

    /// <summary>
    /// The sweep of the design: the scenario (self-contained, patched) as base, one path per parameter, one point per run.
    /// Arms after the last one a metric compares or a parameter sets are left out of the runs: each arm's draws derive
    /// from its own index, so the earlier arms' results are exactly those of the whole scenario, at less cost.
    /// </summary>
    private static JsonObject SweepJson(Scenario scenario, SensitivitySpec spec, SensitivityDesign design, IReadOnlyList<SensitivityMetric> metrics)
    {
        var baseJson = JsonNode.Parse(scenario.SelfContainedJson)!.AsObject();
        if (spec.Patch is not null) SensitivitySpec.MergePatch(baseJson, spec.Patch);
        if (baseJson["arms"] is JsonArray arms)
        {
            int keep = metrics.Max(m => Math.Max(scenario.Arms.ToList().FindIndex(a => a.Name == m.Arm), scenario.Arms.ToList().FindIndex(a => a.Name == m.Against)));
            foreach (var p in spec.Parameters)
                if (System.Text.RegularExpressions.Regex.Match(p.Path, @"^arms\[(\d+)\]") is { Success: true } am) keep = Math.Max(keep, int.Parse(am.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            while (arms.Count > keep + 1) arms.RemoveAt(arms.Count - 1);
        }
        var points = new JsonArray();
        foreach (var values in design.Values)
            points.Add(new JsonArray(values.Select((v, i) => (JsonNode?)spec.Parameters[i].ToJson(v)).ToArray()));
        return new JsonObject
        {
            ["name"] = $"{scenario.Name}-{(design.Method == SensitivityMethod.Sobol ? "sobol" : "morris")}",
            ["description"] = $"Sensitivity analysis ({design.Method.ToString().ToLowerInvariant()}, {design.Runs} runs) of the scenario '{scenario.Name}'. {spec.Description}".TrimEnd(),
            ["base"] = baseJson,
            ["parameters"] = new JsonArray(spec.Parameters.Select(p => (JsonNode?)new JsonObject { ["name"] = p.Name, ["path"] = p.Path }).ToArray()),
            ["points"] = points,
            ["replicates"] = spec.Replicates,
            ["seed"] = scenario.Seed,
        };
    }

    /// <summary>Runs every point on this machine (the sweep in process) and analyses it; also returns the sweep's tidy results.</summary>
    public (SensitivityResult Result, SweepResult Sweep) Run(int? threads = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sweep = Experiments.Sweep.Run(Sweep, threads, progress, cancellationToken);
        return (Analyse(sweep.Table, threads), sweep);
    }

    /// <summary>The indices from a sweep results table of this study's sweep (in process, or merged from shards).</summary>
    public SensitivityResult Analyse(ColumnTable sweepResults, int? threads = null)
    {
        var outputs = SensitivityMetric.Values(sweepResults, Sweep.Variants.Count, Sweep.Replicates, Metrics);
        return Sensitivity.Analyse(Design, Metrics.Select(m => m.Name).ToArray(), outputs, Bootstrap, 0.95, threads);
    }

    /// <summary>Fields added to summary.json: the scenario, the sweep hash, replicates per run, the metric definitions, the library.</summary>
    public JsonObject SummaryExtra()
    {
        var (version, commit) = Simulation.LibraryVersion();
        return new JsonObject
        {
            ["scenario"] = Scenario.Name, ["sweepSha256"] = Sweep.Hash, ["replicatesPerRun"] = Sweep.Replicates, ["simulationSeed"] = Sweep.Seed,
            ["metricDefinitions"] = new JsonArray(Metrics.Select(m =>
            {
                var o = new JsonObject { ["metric"] = m.Name, ["quantity"] = m.Quantity, ["party"] = m.Party, ["system"] = m.System, ["arm"] = m.Arm };
                if (m.Against != "baseline") o["against"] = m.Against;
                return (JsonNode?)o;
            }).ToArray()),
            ["library"] = version, ["commit"] = commit,
        };
    }

    /// <summary>Writes the sweep plan of this study into <paramref name="directory"/> (plan.json and the launch files, as <c>workbench sweep plan</c>) and sensitivity.json beside it.</summary>
    public SweepPlan Plan(string directory, int shards, SweepLaunchOptions? launch = null)
    {
        var plan = SweepPlan.Create(Sweep, shards);
        plan.Write(directory, launch);
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), ToJson().ToJsonString(SweepPlan.Pretty) + "\n");
        return plan;
    }

    /// <summary>sensitivity.json: everything needed to rebuild the design and metrics from a planned folder.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = Format, ["method"] = Design.Method == SensitivityMethod.Sobol ? "sobol" : "morris", ["samples"] = Design.Samples,
        ["levels"] = Design.Levels, ["seed"] = Design.Seed, ["bootstrap"] = Bootstrap,
        ["metrics"] = new JsonArray(Metrics.Select(m => (JsonNode?)JsonValue.Create(m.Name)).ToArray()),
        ["scenarioJson"] = JsonNode.Parse(Scenario.SelfContainedJson), ["parameters"] = JsonNode.Parse(Spec.CanonicalJson), ["sweepSha256"] = Sweep.Hash,
    };

    /// <summary>
    /// Loads a planned analysis from <paramref name="directory"/> (plan.json and sensitivity.json), checking that both describe
    /// the same sweep. sensitivity.json is read through its contract (<see cref="SensitivityStudyContract"/>): a damaged file is a
    /// <see cref="SpecValidationException"/> whose every error names the file and the JSON path.
    /// </summary>
    public static SensitivityStudy Load(string directory)
    {
        var file = Path.Combine(directory, FileName);
        if (!File.Exists(file)) throw new FileNotFoundException($"'{directory}' holds no {FileName}; plan an analysis with 'workbench sensitivity SCENARIO --parameters FILE --plan-only --shards K --out {directory}'.", file);
        var errors = new List<ValidationError>();
        SensitivityStudyContract? j;
        try { j = JsonInput.Deserialize(JsonInput.ParseObject(File.ReadAllText(file), "a sensitivity analysis"), "$", errors, ExperimentsJson.Contract.SensitivityStudyContract); }
        catch (SpecValidationException ex) { throw SweepPlan.InFile(file, ex.Errors); }
        if (j is null) throw SweepPlan.InFile(file, errors);
        if (!(j.Format.Ok && j.Format.Value == Format))
            throw SweepPlan.InFile(file, [new("$.format", $"expected \"{Format}\", got {j.Format.Quote()}: the file is not a Workbench sensitivity analysis.")]);
        JsonInput.UnknownFields(j.Unknown, "$", Fields, errors);
        SensitivityMethod? method = j.Method is { Ok: true, Value: "sobol" } ? SensitivityMethod.Sobol : j.Method is { Ok: true, Value: "morris" } ? SensitivityMethod.Morris : null;
        if (method is null) errors.Add(new("$.method", $"must be \"sobol\" or \"morris\"; got {j.Method.Quote()}."));
        int? samples = method == SensitivityMethod.Morris ? JsonInput.Int(j.Samples, "$.samples", errors, null, 2, 100_000, required: true) : JsonInput.Int(j.Samples, "$.samples", errors, null, 2, 1 << 20, required: true);
        int? levels = method == SensitivityMethod.Morris ? JsonInput.Int(j.Levels, "$.levels", errors, null, 2, 100, required: true) : JsonInput.Int(j.Levels, "$.levels", errors, null);
        if (method == SensitivityMethod.Morris && levels % 2 != 0) errors.Add(new("$.levels", $"must be an even number between 2 and 100; got {levels}."));
        int? seed = JsonInput.Int(j.Seed, "$.seed", errors, null, required: true);
        int? bootstrap = JsonInput.Int(j.Bootstrap, "$.bootstrap", errors, null, 0, 100_000, required: true);
        var metrics = new List<string>();
        if (!j.Metrics.Ok) errors.Add(new("$.metrics", $"expected an array of metric names, got {JsonInput.Kind(j.Metrics.Raw)}."));
        else for (int i = 0; i < j.Metrics.Value.Count; i++) if (JsonInput.String(j.Metrics.Value[i], $"$.metrics[{i}]", errors, required: true) is string m) metrics.Add(m);
        if (!j.ScenarioJson.Ok) errors.Add(new("$.scenarioJson", $"expected the scenario (an object), got {JsonInput.Kind(j.ScenarioJson.Raw)}."));
        if (!j.Parameters.Ok) errors.Add(new("$.parameters", $"expected the parameters file (an object), got {JsonInput.Kind(j.Parameters.Raw)}."));
        string? sweepSha = JsonInput.String(j.SweepSha256, "$.sweepSha256", errors, required: true);
        if (errors.Count > 0) throw SweepPlan.InFile(file, errors);
        var plan = SweepPlan.Load(directory);
        Scenario scenario;
        try { scenario = Scenario.Parse(j.ScenarioJson.Raw!.ToJsonString(), plan.Spec.BaseDirectory); }
        catch (SpecValidationException ex) { throw SweepPlan.InFile(file, ex.Errors, "scenarioJson"); }
        SensitivitySpec spec;
        try { spec = SensitivitySpec.Parse(j.Parameters.Raw!.ToJsonString()); }
        catch (SpecValidationException ex) { throw SweepPlan.InFile(file, ex.Errors, "parameters"); }
        var study = Create(scenario, spec, method!.Value, samples!.Value, metrics, seed!.Value, method == SensitivityMethod.Morris ? levels!.Value : Sensitivity.DefaultLevels,
            bootstrap!.Value, plan.Spec.BaseDirectory);
        if (study.Sweep.Hash != plan.Spec.Hash || study.Sweep.Hash != sweepSha)
            throw new InvalidDataException($"{file} and plan.json in '{directory}' describe different sweeps (was one of them edited?); plan the analysis again.");
        return study;
    }

    /// <summary>The fields sensitivity.json has (<see cref="ToJson"/> writes them).</summary>
    private static readonly string[] Fields = ["format", "method", "samples", "levels", "seed", "bootstrap", "metrics", "scenarioJson", "parameters", "sweepSha256"];
}

/// <summary>
/// A planned analysis's sensitivity.json as its contract reads it (<see cref="SensitivityStudy.Load"/>): every field
/// <see cref="Loose{T}"/> and unknown fields collected in <see cref="Unknown"/>, so every problem is reported at once with its
/// path. <c>scenarioJson</c> and <c>parameters</c> are kept as written for <see cref="Scenario.Parse"/> and
/// <see cref="SensitivitySpec.Parse"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record SensitivityStudyContract
{
    /// <summary>workbench-sensitivity/1.</summary>
    public Loose<string> Format { get; init; }
    /// <summary>sobol or morris.</summary>
    public Loose<string> Method { get; init; }
    /// <summary>Sobol: base sample N; Morris: trajectories r.</summary>
    public Loose<int> Samples { get; init; }
    /// <summary>Morris grid levels.</summary>
    public Loose<int> Levels { get; init; }
    /// <summary>Seed of the design and the bootstrap.</summary>
    public Loose<int> Seed { get; init; }
    /// <summary>Bootstrap resamples.</summary>
    public Loose<int> Bootstrap { get; init; }
    /// <summary>The metric names.</summary>
    public Loose<IReadOnlyList<Loose<string>>> Metrics { get; init; }
    /// <summary>The self-contained scenario.</summary>
    public Loose<JsonObject> ScenarioJson { get; init; }
    /// <summary>The parameters file (canonical).</summary>
    public Loose<JsonObject> Parameters { get; init; }
    /// <summary>The hash of the sweep planned.</summary>
    public Loose<string> SweepSha256 { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
