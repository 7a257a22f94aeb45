using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>One swept parameter: a column name, where it goes in the scenario, and its values in order.</summary>
/// <param name="Name">Column name in the results (defaults to the path).</param>
/// <param name="Path">Where the value goes: a dotted path into the scenario JSON with [i] indices
/// (e.g. <c>arms[0].campaigns[0].budget</c>, <c>regulation.minimumAudience</c>, <c>regime</c>), or the special
/// path <c>voters</c>, which changes the electorate size and scales budgets, capacities, caps and minimum audiences with it
/// (<see cref="Scenario.With"/>).</param>
/// <param name="Values">The values, in order.</param>
public sealed record SweepParameter(string Name, string Path, IReadOnlyList<JsonNode> Values)
{
    /// <summary>True when every value is a JSON number (the results column is then numeric).</summary>
    public bool IsNumeric => Values.All(v => v.GetValueKind() == JsonValueKind.Number);

    /// <summary>A numeric value as a double.</summary>
    public static double Number(JsonNode v) => double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A value as written to a text column: strings as they are, anything else as compact JSON.</summary>
    public static string Text(JsonNode v) => v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
}

/// <summary>One point of the parameter grid.</summary>
/// <param name="Index">Position in the grid (the first parameter varies slowest).</param>
/// <param name="Values">One value per parameter, in parameter order.</param>
/// <param name="Scenario">The scenario at this point, with the sweep's replicates and seed.</param>
/// <param name="ScenarioSha256">SHA-256 of the variant's scenario JSON (compact) and voters.</param>
public sealed record SweepVariant(int Index, IReadOnlyList<JsonNode> Values, Scenario Scenario, string ScenarioSha256);

/// <summary>One unit of work: replicate <paramref name="Replicate"/> of variant <paramref name="Variant"/>.</summary>
/// <param name="Index">Position in the canonical order (variant-major: variant × replicates + replicate).</param>
/// <param name="Variant">Variant index.</param><param name="Replicate">Replicate index.</param>
/// <param name="Seed">The replicate's seed as written to results (derived from the sweep seed and the replicate only,
/// so every variant sees the same electorates and election-day draws: common random numbers).</param>
public sealed record SweepItem(int Index, int Variant, int Replicate, long Seed);

/// <summary>
/// A parameter sweep (docs/scale-out.md): a base scenario, parameter grids over any of its fields (or an
/// explicit list of points, as a sensitivity analysis's design: docs/sensitivity.md), replicates and a seed. Expanding it gives a deterministic, ordered list of work items (variant × replicate). Replicate r of every
/// variant uses the same replicate seed as <c>workbench simulate</c> would, so a variant's rows in a sweep equal a
/// simulation of that variant's scenario.
/// </summary>
public sealed class SweepSpec
{
    /// <summary>Most work items a sweep may have.</summary>
    public const int MaxItems = 1_000_000;
    /// <summary>Most variants (grid points: the product of the parameters' value counts) a sweep may have; each variant is a whole scenario held in memory.</summary>
    public const int MaxVariants = 100_000;

    /// <summary>
    /// The number of variants a sweep's parameter grids expand to (the product of each parameter's value count, counted without
    /// expanding anything; <see cref="long.MaxValue"/> when it overflows), or null when <paramref name="json"/> is not a JSON object
    /// with a parameters array (then <see cref="Parse"/> reports what is wrong). Callers check it against <see cref="MaxVariants"/>
    /// before expanding a sweep of unknown size.
    /// </summary>
    public static long? CountVariants(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException) { return null; }
        if (root is not JsonObject o) return null;
        if (o["points"] is JsonArray explicitPoints) return explicitPoints.Count;
        if (o["parameters"] is null) return 1;
        if (o["parameters"] is not JsonArray pa) return null;
        long product = 1;
        for (int i = 0; i < pa.Count; i++)
        {
            long count = pa[i] switch
            {
                JsonObject { } po when po["values"] is JsonArray va => va.Count,
                JsonObject { } po when po["range"] is JsonObject ro && JsonInput.Deserialize(ro, "$", [], ExperimentsJson.Contract.SweepRangeContract) is { } range => Range(range, "$", []).LongCount(),
                _ => 1,
            };
            product = count == 0 ? product : product > long.MaxValue / count ? long.MaxValue : product * count;
        }
        return product;
    }
    private static readonly string[] Known = ["name", "description", "base", "parameters", "points", "replicates", "seed"];
    /// <summary>Columns of the results table that parameter names may not take.</summary>
    public static IReadOnlyList<string> FixedColumns { get; } = ["item", "variant", "replicate", "seed", "arm", "system", "party", "votes", "share", "seats", "turnout", "spend", "contacts", "gallagher", "enpSeats", "informationGini"];

    private SweepSpec() { }

    /// <summary>Sweep name.</summary>
    public string Name { get; private init; } = "";
    /// <summary>What the sweep asks.</summary>
    public string Description { get; private init; } = "";
    /// <summary>The parameters, in order (the first varies slowest).</summary>
    public IReadOnlyList<SweepParameter> Parameters { get; private init; } = [];
    /// <summary>The variants (the Cartesian product of the parameter values).</summary>
    public IReadOnlyList<SweepVariant> Variants { get; private init; } = [];
    /// <summary>Replicates per variant.</summary>
    public int Replicates { get; private init; }
    /// <summary>Master seed.</summary>
    public int Seed { get; private init; }
    /// <summary>The folder relative scenario files (spec files, regime files) resolve against.</summary>
    public string BaseDirectory { get; private init; } = ".";
    /// <summary>True when files named by the sweep may lie outside its folder and the project's data folders (<c>--allow-outside-paths</c>).</summary>
    public bool AllowOutsidePaths { get; private init; }
    /// <summary>The sweep in canonical form: compact JSON with the base scenario inlined.</summary>
    public string CanonicalJson { get; private init; } = "";
    /// <summary>SHA-256 of <see cref="CanonicalJson"/>.</summary>
    public string Hash => Sha256(CanonicalJson);
    /// <summary>Number of work items (variants × replicates).</summary>
    public int ItemCount => Variants.Count * Replicates;

    /// <summary>Work item <paramref name="index"/> (canonical order).</summary>
    public SweepItem Item(int index)
    {
        if (index < 0 || index >= ItemCount) throw new ArgumentOutOfRangeException(nameof(index), index, $"item must be in 0..{ItemCount - 1}.");
        int v = index / Replicates, r = index % Replicates;
        return new SweepItem(index, v, r, RunSeeds.Column(RunSeeds.Replicate(Seed, r)));
    }

    /// <summary>Every work item in canonical order.</summary>
    public IEnumerable<SweepItem> Items() => Enumerable.Range(0, ItemCount).Select(Item);

    /// <summary>
    /// Which shard each item belongs to when the sweep is split <paramref name="shards"/> ways: items are ordered by
    /// (replicate, variant) and cut into contiguous, nearly equal blocks, so a shard holds whole replicates across variants and
    /// generates each electorate once.
    /// </summary>
    public int[] ShardOf(int shards)
    {
        if (shards < 1 || shards > ItemCount) throw new ArgumentOutOfRangeException(nameof(shards), shards, $"shards must be between 1 and the number of items ({ItemCount}).");
        var shard = new int[ItemCount];
        int p = 0;
        for (int r = 0; r < Replicates; r++)
            for (int v = 0; v < Variants.Count; v++, p++)
                shard[v * Replicates + r] = (int)((long)p * shards / ItemCount);
        return shard;
    }

    /// <summary>Names of the sweeps shipped in notebooks/sweeps (embedded in the library, so they work from any folder, offline).</summary>
    public static IReadOnlyList<string> BuiltinNames { get; } =
        [.. EmbeddedJson.Names("Sweeps")];

    /// <summary>A shipped sweep by name (its base is a built-in scenario), optionally with fewer or more replicates or another seed.</summary>
    public static SweepSpec Builtin(string name, int? replicates = null, int? seed = null)
    {
        if (!BuiltinNames.Contains(name)) throw new ArgumentException($"Unknown sweep '{name}'. Built-in sweeps: {string.Join(", ", BuiltinNames)}.", nameof(name));
        var root = JsonInput.ParseObject(EmbeddedJson.Read("Sweeps", name), "a sweep");
        if (replicates is int r) root["replicates"] = r;
        if (seed is int sd) root["seed"] = sd;
        return Parse(root.ToJsonString(), Path.GetTempPath());
    }

    /// <summary>A sweep from a file, or a built-in sweep by name (see <see cref="Load"/> for <paramref name="allowOutsidePaths"/>).</summary>
    public static SweepSpec LoadOrBuiltin(string pathOrName, bool allowOutsidePaths = false) =>
        File.Exists(pathOrName) || !BuiltinNames.Contains(pathOrName) ? Load(pathOrName, allowOutsidePaths) : Builtin(pathOrName);

    /// <summary>
    /// As <see cref="LoadOrBuiltin(string, bool)"/>, under evidence preset <paramref name="evidence"/> (null: the base scenario's):
    /// the sweep gains a one-value parameter <c>evidence</c> (so the preset is recorded in every result row and in the plan);
    /// a sweep that already sweeps <c>evidence</c> is an error naming the path.
    /// </summary>
    public static SweepSpec LoadOrBuiltin(string pathOrName, string? evidence, bool allowOutsidePaths = false)
    {
        if (evidence is null) return LoadOrBuiltin(pathOrName, allowOutsidePaths);
        bool file = File.Exists(pathOrName) || !BuiltinNames.Contains(pathOrName);
        if (file && !File.Exists(pathOrName)) throw new FileNotFoundException($"Sweep file '{pathOrName}' does not exist.", pathOrName);
        var root = JsonInput.ParseObject(file ? File.ReadAllText(pathOrName) : EmbeddedJson.Read("Sweeps", pathOrName), "a sweep");
        if (root["parameters"] is null) root["parameters"] = new JsonArray();
        if (root["parameters"] is JsonArray parameters) parameters.Add(new JsonObject { ["name"] = "evidence", ["path"] = "evidence", ["values"] = new JsonArray(evidence) });
        return Parse(root.ToJsonString(), file ? Path.GetDirectoryName(Path.GetFullPath(pathOrName)) : Path.GetTempPath(), allowOutsidePaths);
    }

    /// <summary>
    /// Loads a sweep file. A relative base scenario path resolves against its folder and must stay inside it or the
    /// project's data folders unless <paramref name="allowOutsidePaths"/>.
    /// </summary>
    public static SweepSpec Load(string path, bool allowOutsidePaths = false)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sweep file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)), allowOutsidePaths);
    }

    /// <summary>
    /// Parses and validates a sweep; all errors are reported together with their JSON paths. The file is read through its
    /// contract (<see cref="SweepFileContract"/>, loose fields so that every problem is reported at once). Referenced files resolve
    /// against <paramref name="baseDirectory"/> and must stay inside it or the project's data folders unless <paramref name="allowOutsidePaths"/>.
    /// </summary>
    public static SweepSpec Parse(string json, string? baseDirectory = null, bool allowOutsidePaths = false)
    {
        baseDirectory ??= Directory.GetCurrentDirectory();
        var errors = new List<ValidationError>();
        var root = JsonInput.ParseObject(json, "a sweep");
        var file = JsonInput.Deserialize(root, "$", errors, ExperimentsJson.Contract.SweepFileContract);
        Workbench.Parameters.ThrowIfAny(errors);
        JsonInput.UnknownFields(file!.Unknown, "$", Known, errors);

        var (baseJson, scenarioDir, baseScenario) = ReadBase(file.Base, baseDirectory, allowOutsidePaths, errors);

        // Parameters. With "points" the variants are the listed points (an explicit design, e.g. a sensitivity analysis's
        // sample); otherwise the Cartesian product of each parameter's values.
        var pointsArray = file.Points.Ok ? file.Points.Value : null;
        if (file.Points is { Present: true, Ok: false }) errors.Add(new("$.points", "must be an array of points, each an array with one value per parameter."));
        bool explicitPoints = file.Points.Present;
        var parameters = ReadParameters(file.Parameters, pointsArray, explicitPoints, errors);

        int replicates = JsonInput.Int(file.Replicates, "$.replicates", errors, "must be a whole number between 1 and 100,000.", 1, 100_000) ?? baseScenario?.Replicates ?? 1;
        int seed = JsonInput.Int(file.Seed, "$.seed", errors, "must be a 32-bit integer.") ?? baseScenario?.Seed ?? Random.Seeds.Default;
        string? sweepName = JsonInput.String(file.Name, "$.name", errors), sweepDescription = JsonInput.String(file.Description, "$.description", errors);
        if (pointsArray is not null) CheckPoints(pointsArray, parameters.Count, errors);
        long points = pointsArray is not null ? pointsArray.Count : (long)Math.Min(parameters.Aggregate(1.0, (acc, p) => acc * Math.Max(1, p.Values.Count)), 1e13);
        if (points * replicates > MaxItems) errors.Add(new("$.parameters", $"the sweep has {points} variants × {replicates} replicates = {points * replicates} items; at most {MaxItems:N0} are allowed."));
        Workbench.Parameters.ThrowIfAny(errors);

        var variants = ExpandVariants(parameters, pointsArray, points, baseJson, scenarioDir, allowOutsidePaths, replicates, seed, errors);
        Workbench.Parameters.ThrowIfAny(errors);

        var canonical = (JsonObject)root.DeepClone();
        canonical["base"] = baseJson!.DeepClone();
        canonical["replicates"] = replicates; canonical["seed"] = seed;
        return new SweepSpec
        {
            Name = sweepName ?? baseScenario!.Name + "-sweep",
            Description = sweepDescription ?? "",
            Parameters = parameters, Variants = variants, Replicates = replicates, Seed = seed,
            BaseDirectory = scenarioDir, CanonicalJson = canonical.ToJsonString(), AllowOutsidePaths = allowOutsidePaths,
        };
    }

    /// <summary>Reads $.base (a scenario file, a built-in name or an inline object) and parses it as a scenario; its folder resolves the variants' references.</summary>
    private static (JsonObject? BaseJson, string ScenarioDir, Scenario? BaseScenario) ReadBase(JsonNode? baseNode, string baseDirectory, bool allowOutsidePaths, List<ValidationError> errors)
    {
        // The base scenario: a file, a built-in name, or an inline object.
        JsonObject? baseJson = null; string scenarioDir = baseDirectory;
        switch (baseNode)
        {
            case JsonObject o: baseJson = (JsonObject)o.DeepClone(); break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var name = v.GetValue<string>();
                if (Scenario.BuiltinNames.Contains(name) && !File.Exists(Path.Combine(baseDirectory, name))) { baseJson = JsonNode.Parse(Scenario.Builtin(name).Json) as JsonObject; break; }
                if (JsonInput.ResolveReference(baseDirectory, name, "$.base", allowOutsidePaths, errors) is not string file) break;
                if (!File.Exists(file)) errors.Add(new("$.base", $"'{name}' is neither a scenario file (relative to {baseDirectory}) nor a built-in scenario ({string.Join(", ", Scenario.BuiltinNames)})."));
                else { baseJson = JsonInput.ReadReference(file, "$.base", "a scenario", errors); scenarioDir = Path.GetDirectoryName(file)!; }
                break;
            default: errors.Add(new("$.base", $"required: a scenario file, a built-in scenario name, or an inline scenario object; got {JsonInput.Kind(baseNode)}.")); break;
        }
        Scenario? baseScenario = null;
        if (baseJson is not null)
        {
            try { JsonInput.StripSchema(baseJson); baseScenario = Scenario.Parse(baseJson.ToJsonString(), scenarioDir, allowOutsidePaths); }
            catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(e => e with { Path = "$.base" + e.Path.TrimStart('$') })); }
        }
        return (baseJson, scenarioDir, baseScenario);
    }

    /// <summary>Reads $.parameters: each swept path with its values (listed, a range, or with $.points the points' column); names and paths must be unique.</summary>
    private static List<SweepParameter> ReadParameters(Loose<IReadOnlyList<Loose<SweepParameterContract>>> list, JsonArray? pointsArray, bool explicitPoints, List<ValidationError> errors)
    {
        var parameters = new List<SweepParameter>();
        if (list.Ok)
        {
            var pa = list.Value;
            for (int i = 0; i < pa.Count; i++)
            {
                string at = $"$.parameters[{i}]";
                if (!pa[i].Ok) { errors.Add(new(at, "each parameter is an object { path, values | range, name? }.")); continue; }
                var po = pa[i].Value;
                JsonInput.UnknownFields(po.Unknown, at, ["name", "path", "values", "range"], errors);
                if (po.Path is not { Ok: true, Value: { Length: > 0 } path }) { errors.Add(new(at + ".path", "required: where the value goes in the scenario, e.g. \"arms[0].campaigns[0].budget\" or \"voters\".")); continue; }
                if (path is "replicates" or "seed") { errors.Add(new(at + ".path", $"'{path}' is set for the whole sweep (the sweep's own \"{path}\" field), not swept.")); continue; }
                if (path != "voters" && !PathSyntax.IsMatch(path)) { errors.Add(new(at + ".path", $"'{path}' is not a path like name.name[0].name.")); continue; }
                string name = JsonInput.String(po.Name, at + ".name", errors) ?? path;
                var values = new List<JsonNode>();
                if (explicitPoints)
                {
                    if (!po.Values.Present && !po.Range.Present) values.AddRange(PointColumn(pointsArray, i));
                    else errors.Add(new(at, "with \"points\" a parameter has only a name and a path; its values are the points' column."));
                }
                else if (po.Values.Ok && !po.Range.Present)
                {
                    foreach (var x in po.Values.Value) if (x is null) errors.Add(new(at + ".values", "values may not be null.")); else values.Add(x.DeepClone());
                }
                else if (po.Range.Ok && !po.Values.Present) values.AddRange(Range(po.Range.Value, at + ".range", errors));
                else if (po.Values is { Given: true, Ok: false } && !po.Range.Given) errors.Add(new(at + ".values", $"expected an array of values, got {JsonInput.Kind(po.Values.Raw)}."));
                else if (po.Range is { Given: true, Ok: false } && !po.Values.Given) errors.Add(new(at + ".range", $"expected {{ from, to, step | count }}, got {JsonInput.Kind(po.Range.Raw)}."));
                else errors.Add(new(at, "give either values [..] or range { from, to, step | count }."));
                if (values.Count == 0 && !errors.Any(e => e.Path.StartsWith(at, StringComparison.Ordinal)) && !explicitPoints) errors.Add(new(at + ".values", "needs at least one value."));
                if (!explicitPoints && values.Select(x => x.ToJsonString()).Distinct().Count() != values.Count) errors.Add(new(at + ".values", "values repeat; each grid point must be distinct."));
                if (path == "voters" && values.Any(x => x.GetValueKind() != JsonValueKind.Number || SweepParameter.Number(x) is var vv && (vv != Math.Floor(vv) || vv < 1000 || vv > 50_000_000)))
                    errors.Add(new(at + ".values", "voters must be whole numbers between 1,000 and 50,000,000."));
                if (FixedColumns.Contains(name)) errors.Add(new(at + ".name", $"'{name}' is a column of the results; choose another name."));
                parameters.Add(new SweepParameter(name, path, values));
            }
            foreach (var dup in parameters.GroupBy(p => p.Name).Where(g => g.Count() > 1)) errors.Add(new("$.parameters", $"the parameter name '{dup.Key}' is used twice."));
            foreach (var dup in parameters.GroupBy(p => p.Path).Where(g => g.Count() > 1)) errors.Add(new("$.parameters", $"the path '{dup.Key}' is swept twice."));
        }
        else if (list.Present) errors.Add(new("$.parameters", "must be an array of { path, values | range }."));
        return parameters;
    }

    /// <summary>Expands the grid (or the explicit points) into variants, each the base scenario with the parameters' values set, itself a valid scenario.</summary>
    private static List<SweepVariant> ExpandVariants(List<SweepParameter> parameters, JsonArray? pointsArray, long points, JsonObject? baseJson, string scenarioDir, bool allowOutsidePaths, int replicates, int seed, List<ValidationError> errors)
    {
        // Expand the grid: every variant must itself be a valid scenario.
        var variants = new List<SweepVariant>();
        int count = (int)points;
        for (int k = 0; k < count; k++)
        {
            var values = new JsonNode[parameters.Count];
            int rest = k;
            if (pointsArray is not null) for (int i = 0; i < parameters.Count; i++) values[i] = parameters[i].Values[k];
            else for (int i = parameters.Count - 1; i >= 0; i--) { values[i] = parameters[i].Values[rest % parameters[i].Values.Count]; rest /= parameters[i].Values.Count; }
            var doc = (JsonObject)baseJson!.DeepClone();
            int? voters = null;
            string label = string.Join(", ", parameters.Select((p, i) => $"{p.Name}={SweepParameter.Text(values[i])}"));
            bool ok = true;
            for (int i = 0; i < parameters.Count; i++)
            {
                if (parameters[i].Path == "voters") { voters = (int)SweepParameter.Number(values[i]); continue; }
                if (Set(doc, parameters[i].Path, values[i].DeepClone()) is string problem) { errors.Add(new($"$.parameters[{i}].path", problem)); ok = false; }
            }
            if (!ok) break;
            try
            {
                var sc = Scenario.Parse(doc.ToJsonString(), scenarioDir, allowOutsidePaths).With(replicates, seed, voters);
                string hash = Sha256(doc.ToJsonString() + "\nvoters=" + sc.Voters.ToString(CultureInfo.InvariantCulture));
                variants.Add(new SweepVariant(k, values, sc, hash));
            }
            catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(e => e with { Path = $"variant {k} ({label}): " + e.Path })); if (errors.Count > 50) break; }
        }
        return variants;
    }

    /// <summary>The structure of a sweep file as a JSON Schema object (the base scenario's schema inlined under $defs).</summary>
    public static JsonObject Schema()
    {
        var range = JsonSchemas.Object(
        [
            ("from", new JsonObject { ["type"] = "number" }), ("to", new JsonObject { ["type"] = "number" }),
            ("step", new JsonObject { ["type"] = "number", ["exclusiveMinimum"] = 0 }), ("count", JsonSchemas.Integer(2, 10_001)),
        ], "from", "to");
        range["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("step") }, new JsonObject { ["required"] = new JsonArray("count") });
        var parameter = JsonSchemas.Object(
        [
            ("name", new JsonObject { ["type"] = "string", ["not"] = JsonSchemas.Enum(FixedColumns) }),
            ("path", JsonSchemas.String(nonEmpty: true).Describe("Where the value goes in the scenario (name.name[0].name), or voters.")),
            ("values", JsonSchemas.Array(new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "object", "array") }, 1)),
            ("range", range),
        ], "path");
        var schema = JsonSchemas.Object(
        [
            ("name", JsonSchemas.String()), ("description", JsonSchemas.String()),
            ("base", new JsonObject { ["anyOf"] = new JsonArray(JsonSchemas.String(nonEmpty: true).Describe("A scenario file relative to this sweep's folder, or a built-in scenario."), new JsonObject { ["$ref"] = "#/$defs/scenario" }) }),
            ("parameters", JsonSchemas.Array(parameter)),
            ("points", JsonSchemas.Array(JsonSchemas.Array(new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "object", "array") })).Describe("Explicit sample points (one array of values per point, one value per parameter), instead of the parameters' grids.")),
            ("replicates", JsonSchemas.Integer(1, 100_000)),
            ("seed", JsonSchemas.Integer(int.MinValue, int.MaxValue)),
        ], "base");
        // With explicit points a parameter names only where its values go; otherwise each gives values or a range.
        JsonObject Items(JsonObject item) => new() { ["properties"] = new JsonObject { ["parameters"] = new JsonObject { ["items"] = item } } };
        schema["if"] = new JsonObject { ["required"] = new JsonArray("points") };
        schema["then"] = Items(new JsonObject { ["not"] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("values") }, new JsonObject { ["required"] = new JsonArray("range") }) } });
        schema["else"] = Items(new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("values") }, new JsonObject { ["required"] = new JsonArray("range") }) });
        var scenario = Scenario.Schema();
        ((JsonObject)scenario["properties"]!)[JsonInput.SchemaKey] = JsonSchemas.String();
        schema["$defs"] = new JsonObject { ["scenario"] = scenario };
        return schema;
    }

    /// <summary>True when <paramref name="path"/> is a dotted path with [i] indices (name.name[0].name).</summary>
    internal static bool IsPath(string path) => PathSyntax.IsMatch(path);

    /// <summary>Column <paramref name="i"/> of the points (values of parameter i, one per point; malformed points are reported by <see cref="CheckPoints"/>).</summary>
    private static IEnumerable<JsonNode> PointColumn(JsonArray? points, int i) =>
        points is null ? [] : points.Select(p => p is JsonArray a && i < a.Count && a[i] is JsonNode v ? v.DeepClone() : JsonValue.Create(0));

    private static void CheckPoints(JsonArray points, int parameters, List<ValidationError> errors)
    {
        if (points.Count == 0) errors.Add(new("$.points", "needs at least one point."));
        for (int k = 0; k < points.Count && errors.Count < 50; k++)
        {
            if (points[k] is not JsonArray a || a.Count != parameters) errors.Add(new($"$.points[{k}]", $"must be an array of {parameters} value(s), one per parameter; got {points[k]?.ToJsonString() ?? "null"}."));
            else for (int i = 0; i < a.Count; i++) if (a[i] is null) errors.Add(new($"$.points[{k}][{i}]", "values may not be null."));
        }
    }

    private static readonly Regex PathSyntax = new(@"^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*$", RegexOptions.CultureInvariant);

    /// <summary>Sets the value at a dotted path with [i] indices, creating missing objects; returns a problem, or null.</summary>
    internal static string? Set(JsonObject doc, string path, JsonNode value)
    {
        // Tokens: property names and array indices.
        var tokens = new List<object>();
        foreach (var part in path.Split('.'))
        {
            int b = part.IndexOf('[');
            tokens.Add(b < 0 ? part : part[..b]);
            if (b >= 0)
                foreach (Match m in Regex.Matches(part[b..], @"\[(\d+)\]"))
                {
                    // An index beyond int (e.g. [99999999999]) cannot exist in any array: a problem to report, not an overflow.
                    if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                        return $"the index [{m.Groups[1].Value}] in '{path}' is too large (at most {int.MaxValue}).";
                    tokens.Add(index);
                }
        }
        JsonNode node = doc;
        for (int t = 0; t < tokens.Count; t++)
        {
            bool last = t == tokens.Count - 1;
            string where = PathPrefix(tokens, t);
            switch (tokens[t], node)
            {
                case (string key, JsonObject o):
                    if (last) { o[key] = value; return null; }
                    if (o[key] is null)
                    {
                        if (tokens[t + 1] is int) return $"'{where}{key}' does not exist in the base scenario, so it has no [{tokens[t + 1]}].";
                        o[key] = new JsonObject();
                    }
                    node = o[key]!;
                    break;
                case (int i, JsonArray a):
                    if (i >= a.Count) return $"'{where}' has {a.Count} elements; there is no [{i}].";
                    if (last) { a[i] = value; return null; }
                    node = a[i] ?? throw new InvalidOperationException();
                    break;
                case (string key, _): return $"'{where}' is not an object, so it has no field '{key}'.";
                default: return $"'{where}' is not an array.";
            }
        }
        return null;
    }

    private static string PathPrefix(List<object> tokens, int upTo)
    {
        var sb = new StringBuilder();
        for (int t = 0; t < upTo; t++) sb.Append(tokens[t] is int i ? $"[{i}]" : (sb.Length > 0 ? "." : "") + tokens[t]);
        return sb.Length > 0 && tokens[upTo] is string ? sb.Append('.').ToString() : sb.ToString();
    }

    private static IEnumerable<JsonNode> Range(SweepRangeContract ro, string at, List<ValidationError> errors)
    {
        JsonInput.UnknownFields(ro.Unknown, at, ["from", "to", "step", "count"], errors);
        if (!ro.From.Ok || !ro.To.Ok) { errors.Add(new(at, "needs numbers from and to.")); return []; }
        double from = ro.From.Value, to = ro.To.Value;
        if (!double.IsFinite(to - from)) { errors.Add(new(at, $"from {from:R} and to {to:R} are too far apart to step between.")); return []; }
        bool integral(double x) => x == Math.Floor(x) && Math.Abs(x) < 1e15;
        var list = new List<double>();
        if (ro.Step.Ok && !ro.Count.Present)
        {
            double step = ro.Step.Value;
            if (step <= 0 || !double.IsFinite(step)) { errors.Add(new(at + ".step", "must be a positive number.")); return []; }
            if (to < from) { errors.Add(new(at, "to must not be below from.")); return []; }
            double n = Math.Floor((to - from) / step + 1e-9);
            if (n > 10_000) { errors.Add(new(at, $"gives {n + 1} values; at most 10,001.")); return []; }
            for (int i = 0; i <= n; i++) list.Add(from + i * step);
            bool ints = integral(from) && integral(step);
            return list.Select(x => JsonNode.Parse(ints ? ((long)Math.Round(x)).ToString(CultureInfo.InvariantCulture) : x.ToString("R", CultureInfo.InvariantCulture))!);
        }
        if (ro.Count.Ok && !ro.Step.Present)
        {
            int count = ro.Count.Value;
            if (count < 2 || count > 10_001) { errors.Add(new(at + ".count", "must be between 2 and 10,001.")); return []; }
            for (int i = 0; i < count; i++) list.Add(i == count - 1 ? to : from + (to - from) * i / (count - 1));
            bool ints = list.All(integral);
            return list.Select(x => JsonNode.Parse(ints ? ((long)Math.Round(x)).ToString(CultureInfo.InvariantCulture) : x.ToString("R", CultureInfo.InvariantCulture))!);
        }
        errors.Add(new(at, "give either step or count (a whole number), not both."));
        return [];
    }

    internal static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// A sweep file as its contract reads it (<see cref="SweepSpec.Parse"/>): loose fields (<see cref="Loose{T}"/>) and unknown
/// fields collected in <see cref="Unknown"/>, so the parser reports every problem at once. <c>base</c> is a
/// <see cref="JsonNode"/> because it is polymorphic (a scenario file, a built-in scenario's name or an inline scenario, which
/// <see cref="Scenario.Parse"/> reads), and <c>points</c> and each parameter's <c>values</c> are arrays of values of any kind,
/// kept as written (docs/scale-out.md).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record SweepFileContract
{
    /// <summary>Sweep name.</summary>
    public Loose<string> Name { get; init; }
    /// <summary>What the sweep asks.</summary>
    public Loose<string> Description { get; init; }
    /// <summary>The base scenario: a file, a built-in name or an inline object.</summary>
    public JsonNode? Base { get; init; }
    /// <summary>The swept parameters.</summary>
    public Loose<IReadOnlyList<Loose<SweepParameterContract>>> Parameters { get; init; }
    /// <summary>Explicit points, one array of values per point.</summary>
    public Loose<JsonArray> Points { get; init; }
    /// <summary>Replicates per variant.</summary>
    public Loose<int> Replicates { get; init; }
    /// <summary>Master seed.</summary>
    public Loose<int> Seed { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>One element of a sweep's <c>parameters</c>, read loosely (see <see cref="SweepFileContract"/>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record SweepParameterContract
{
    /// <summary>Column name.</summary>
    public Loose<string> Name { get; init; }
    /// <summary>Where the value goes in the scenario.</summary>
    public Loose<string> Path { get; init; }
    /// <summary>The values, of any kind.</summary>
    public Loose<JsonArray> Values { get; init; }
    /// <summary>A numeric range instead of values.</summary>
    public Loose<SweepRangeContract> Range { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>A sweep parameter's <c>range</c>: from, to and a step or a count, read loosely (see <see cref="SweepFileContract"/>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record SweepRangeContract
{
    /// <summary>First value.</summary>
    public Loose<double> From { get; init; }
    /// <summary>Last value (at most).</summary>
    public Loose<double> To { get; init; }
    /// <summary>Step between values.</summary>
    public Loose<double> Step { get; init; }
    /// <summary>Number of values, evenly spaced.</summary>
    public Loose<int> Count { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
