using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>How a parameter's range is sampled.</summary>
public enum SensitivityDistribution
{
    /// <summary>Uniform between low and high.</summary>
    Uniform,
    /// <summary>Uniform in the logarithm between low and high (both positive): every factor of ten weighs the same.</summary>
    LogUniform,
}

/// <summary>
/// One uncertain input of a sensitivity analysis: a range, how it is sampled, and (for a scenario) where its value goes.
/// Sample points live in the unit cube; <see cref="FromUnit"/> maps a coordinate u in [0, 1] to the parameter's value.
/// </summary>
/// <param name="Name">Column name (defaults to the path).</param>
/// <param name="Path">Where the value goes in the scenario: a sweep path such as <c>arms[0].campaigns[0].budget</c> (see <see cref="SweepParameter.Path"/>). Unused by closed-form models.</param>
/// <param name="Low">Lowest value.</param>
/// <param name="High">Highest value (above <paramref name="Low"/>).</param>
/// <param name="Distribution">Uniform or log-uniform.</param>
/// <param name="Integer">True: values are whole numbers, each of low … high equally likely (uniform) or equally likely per factor (log-uniform).</param>
/// <param name="Comment">Why this range (free text, kept in the summary).</param>
public sealed record SensitivityParameter(string Name, string Path, double Low, double High,
    SensitivityDistribution Distribution = SensitivityDistribution.Uniform, bool Integer = false, string Comment = "")
{
    /// <summary>The value at unit coordinate <paramref name="u"/> (0 gives <see cref="Low"/>, 1 gives <see cref="High"/>).</summary>
    public double FromUnit(double u)
    {
        u = Math.Clamp(u, 0, 1);
        if (Integer)
        {
            // Whole numbers: the continuous range [low, high + 1) cut into equal (or log-equal) cells, one per value.
            double hi = High + 1;
            double x = Distribution == SensitivityDistribution.LogUniform ? Math.Exp(Math.Log(Low) + u * (Math.Log(hi) - Math.Log(Low))) : Low + u * (hi - Low);
            return Math.Min(Math.Floor(x), High);
        }
        if (u == 1) return High;
        return Distribution == SensitivityDistribution.LogUniform ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low);
    }

    /// <summary>A value as it is written into the scenario: a whole number for integer parameters.</summary>
    public JsonNode ToJson(double value) => Integer ? JsonValue.Create((long)value) : JsonValue.Create(value);

    /// <summary>Checks the range; errors carry <paramref name="at"/> as their JSON path.</summary>
    public IReadOnlyList<ValidationError> Validate(string at = "$")
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Name)) errors.Add(new(at + ".name", "a parameter needs a name (or a path)."));
        if (!double.IsFinite(Low)) errors.Add(new(at + ".low", $"must be a finite number; got {Low}."));
        if (!double.IsFinite(High)) errors.Add(new(at + ".high", $"must be a finite number; got {High}."));
        if (double.IsFinite(Low) && double.IsFinite(High) && !(High > Low)) errors.Add(new(at + ".high", $"must be above low ({Low.ToString(CultureInfo.InvariantCulture)}); got {High.ToString(CultureInfo.InvariantCulture)}."));
        if (Distribution == SensitivityDistribution.LogUniform && !(Low > 0)) errors.Add(new(at + ".low", $"a loguniform range needs low > 0; got {Low.ToString(CultureInfo.InvariantCulture)}."));
        if (Integer && (Low != Math.Floor(Low) || High != Math.Floor(High) || Math.Abs(Low) > 1e15 || Math.Abs(High) > 1e15))
            errors.Add(new(at, $"an integer parameter needs whole-number low and high; got {Low.ToString(CultureInfo.InvariantCulture)} and {High.ToString(CultureInfo.InvariantCulture)}."));
        return errors;
    }
}

/// <summary>
/// A sensitivity-analysis parameters file (docs/sensitivity.md): the uncertain inputs of a scenario with their ranges, an
/// optional patch applied to the scenario first, optional default metrics and the replicates per run.
/// <code>
/// { "description": "…",
///   "patch": { "channels": [ { "name": "paid-social" } ] },
///   "parameters": [ { "name": "budget", "path": "arms[0].campaigns[0].budget", "low": 10000, "high": 70000, "integer": true, "comment": "why" } ],
///   "metrics": [ "seatGain:Red:FPTP" ], "replicates": 1 }
/// </code>
/// </summary>
public sealed class SensitivitySpec
{
    private static readonly string[] Known = ["description", "patch", "parameters", "metrics", "replicates"];
    private static readonly string[] KnownParameter = ["name", "path", "low", "high", "distribution", "integer", "comment"];
    private static readonly Regex PathSyntax = new(@"^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*$", RegexOptions.CultureInvariant);

    private SensitivitySpec() { }

    /// <summary>What the analysis asks.</summary>
    public string Description { get; private init; } = "";
    /// <summary>A JSON merge patch (RFC 7396) applied to the scenario before the parameters are set (null: none); e.g. to add a channel override whose fields are then varied.</summary>
    public JsonObject? Patch { get; private init; }
    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<SensitivityParameter> Parameters { get; private init; } = [];
    /// <summary>Metrics analysed when the command line names none (empty: the defaults of <see cref="SensitivityMetric.Defaults"/>).</summary>
    public IReadOnlyList<string> Metrics { get; private init; } = [];
    /// <summary>Replicates per model run (the metric is their mean); 1 by default.</summary>
    public int Replicates { get; private init; } = 1;
    /// <summary>The file in canonical form (compact JSON).</summary>
    public string CanonicalJson { get; private init; } = "";

    /// <summary>Loads a parameters file.</summary>
    public static SensitivitySpec Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Parameters file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path));
    }

    /// <summary>A spec for closed-form models and tests: just the parameters.</summary>
    public static SensitivitySpec Of(IReadOnlyList<SensitivityParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = parameters.SelectMany((p, i) => p.Validate($"$.parameters[{i}]")).ToList();
        CheckNames(parameters, errors);
        Workbench.Parameters.ThrowIfAny(errors);
        return new SensitivitySpec { Parameters = parameters };
    }

    /// <summary>
    /// Parses and validates a parameters file; every error is reported at once with its JSON path. The file is read through
    /// its contract (<see cref="SensitivityFileContract"/>), whose fields are all <see cref="Loose{T}"/> so that a value of the
    /// wrong kind is reported here, in this format's words, together with every other problem.
    /// </summary>
    public static SensitivitySpec Parse(string json)
    {
        var errors = new List<ValidationError>();
        // Through the shared JSON layer: duplicate keys, depth, out-of-range numbers and a non-object are errors with their path.
        var root = JsonInput.ParseObject(json, "a sensitivity parameters file");
        var file = JsonInput.Deserialize(root, "$", errors, ExperimentsJson.Contract.SensitivityFileContract);
        Workbench.Parameters.ThrowIfAny(errors);
        foreach (var key in file!.Unknown?.Keys ?? Enumerable.Empty<string>()) errors.Add(new($"$.{key}", $"unknown field; known fields: {string.Join(", ", Known)}."));
        var parameters = new List<SensitivityParameter>();
        if (file.Parameters is { Ok: true, Value.Count: > 0 } pa)
        {
            for (int i = 0; i < pa.Value.Count; i++) if (ParseParameter(pa.Value[i], $"$.parameters[{i}]", errors) is { } p) parameters.Add(p);
        }
        else errors.Add(new("$.parameters", "required: a non-empty array of { name, path, low, high, distribution?, integer?, comment? }."));
        CheckNames(parameters, errors);
        var metrics = new List<string>();
        if (file.Metrics.Ok)
        {
            var ma = file.Metrics.Value;
            for (int i = 0; i < ma.Count; i++)
                if (ma[i] is { Ok: true, Value.Length: > 0 } m) metrics.Add(m.Value); else errors.Add(new($"$.metrics[{i}]", "each metric is a name such as \"seatGain:Red:FPTP\"."));
        }
        else if (file.Metrics.Present) errors.Add(new("$.metrics", "must be an array of metric names."));
        int replicates = file.Replicates.Or(1);
        if (file.Replicates.Present && (!file.Replicates.Ok || replicates < 1 || replicates > 1000))
            errors.Add(new("$.replicates", $"must be a whole number between 1 and 1000; got {file.Replicates.Quote()}."));
        if (file.Patch is { Present: true, Ok: false }) errors.Add(new("$.patch", "must be an object (a JSON merge patch of the scenario)."));
        if (file.Description is { Present: true, Ok: false }) errors.Add(new("$.description", "must be a string."));
        Workbench.Parameters.ThrowIfAny(errors);
        return new SensitivitySpec
        {
            Description = file.Description.Or(""), Patch = file.Patch.Or(null!), Parameters = parameters,
            Metrics = metrics, Replicates = replicates, CanonicalJson = root.ToJsonString(),
        };
    }

    /// <summary>The structure of a sensitivity parameters file as a JSON Schema object, generated from its contract (<see cref="SensitivityFileContract"/>).</summary>
    public static JsonObject Schema()
    {
        var schema = JsonSchemas.Of(ExperimentsJson.Contract.SensitivityFileContract);
        var props = (JsonObject)schema["properties"]!;
        // What the contract's types cannot say: at least one parameter, each with its path (its range defaults to the documented
        // range of the parameter the path names, so low and high are optional here; the parser refuses a missing bound it has
        // no documented value for), a distribution from a fixed list, non-empty metric names and the replicates' range.
        var parameters = (JsonObject)props["parameters"]!;
        parameters["minItems"] = 1;
        var parameter = (JsonObject)parameters["items"]!;
        parameter["required"] = new JsonArray("path");
        var pprops = (JsonObject)parameter["properties"]!;
        pprops["low"]!.AsObject()["description"] = "Lower end of the range (default: the documented minimum of the parameter the path names).";
        pprops["high"]!.AsObject()["description"] = "Upper end of the range (default: the documented maximum of the parameter the path names).";
        pprops["path"] = JsonSchemas.String(nonEmpty: true).Describe("Where the value goes in the scenario (name.name[0].name), or voters.");
        pprops["distribution"] = JsonSchemas.Enum(["uniform", "loguniform"]);
        ((JsonObject)props["metrics"]!["items"]!)["minLength"] = 1;
        props["replicates"] = JsonSchemas.Integer(1, 1000).Describe("Replicates per model run (the metric is their mean).");
        schema["required"] = new JsonArray("parameters");
        return schema;
    }

    private static SensitivityParameter? ParseParameter(Loose<SensitivityParameterContract> node, string at, List<ValidationError> errors)
    {
        if (!node.Ok) { errors.Add(new(at, "each parameter is an object { name, path, low, high, distribution?, integer?, comment? }.")); return null; }
        var po = node.Value;
        int before = errors.Count;
        foreach (var key in po.Unknown?.Keys ?? Enumerable.Empty<string>()) errors.Add(new($"{at}.{key}", $"unknown field; known: {string.Join(", ", KnownParameter)}."));
        string? path = po.Path.Ok ? po.Path.Value : null;
        if (path is null || (path != "voters" && !PathSyntax.IsMatch(path))) errors.Add(new(at + ".path", $"required: where the value goes in the scenario, a path like \"arms[0].campaigns[0].budget\"; got {po.Path.Quote()}."));
        else if (path is "replicates" or "seed") errors.Add(new(at + ".path", $"'{path}' cannot be varied: the analysis fixes it."));
        string name = po.Name.Ok ? po.Name.Value : path ?? "";
        if (po.Name is { Present: true, Ok: false }) errors.Add(new(at + ".name", "must be a string."));
        // A bound left out defaults to the documented range of the parameter the path names ([Param] Min and Max), when it has
        // a finite one; the comment then says so.
        var (documented, owner) = path is null ? (null, null) : Workbench.Parameters.AtPath(typeof(Scenario), path);
        var defaulted = new List<string>();
        double? Num(Loose<double> v, string key, double fallback)
        {
            if (v.Ok) return v.Value;
            if (!v.Present && documented is not null && double.IsFinite(fallback)) { defaulted.Add(key); return fallback; }
            errors.Add(new($"{at}.{key}", $"required: a number; got {v.Quote()}."));
            return null;
        }
        double? low = Num(po.Low, "low", documented?.Min ?? double.NaN), high = Num(po.High, "high", documented?.Max ?? double.NaN);
        var distribution = SensitivityDistribution.Uniform;
        if (po.Distribution.Present)
        {
            string? d = po.Distribution.Ok ? po.Distribution.Value : null;
            if (d == "uniform") distribution = SensitivityDistribution.Uniform;
            else if (d == "loguniform") distribution = SensitivityDistribution.LogUniform;
            else errors.Add(new(at + ".distribution", $"must be \"uniform\" or \"loguniform\"; got {po.Distribution.Quote()}."));
        }
        bool integer = false;
        if (po.Integer.Present)
        {
            if (po.Integer.Ok) integer = po.Integer.Value;
            else errors.Add(new(at + ".integer", $"must be true or false; got {po.Integer.Quote()}."));
        }
        string comment = po.Comment.Or("");
        if (defaulted.Count > 0)
            comment = (comment.Length > 0 ? comment + " " : "") + $"({string.Join(" and ", defaulted)} from the documented range of {owner})";
        if (path == "voters" && !integer) errors.Add(new(at + ".integer", "voters is a whole number: set \"integer\": true."));
        if (errors.Count > before || low is null || high is null) return null;
        var parameter = new SensitivityParameter(name, path!, low.Value, high.Value, distribution, integer, comment);
        errors.AddRange(parameter.Validate(at));
        return parameter;
    }

    private static void CheckNames(IReadOnlyList<SensitivityParameter> parameters, List<ValidationError> errors)
    {
        foreach (var dup in parameters.GroupBy(p => p.Name).Where(g => g.Count() > 1)) errors.Add(new("$.parameters", $"the parameter name '{dup.Key}' is used twice."));
        foreach (var dup in parameters.Where(p => p.Path.Length > 0).GroupBy(p => p.Path).Where(g => g.Count() > 1)) errors.Add(new("$.parameters", $"the path '{dup.Key}' is varied twice."));
        for (int i = 0; i < parameters.Count; i++)
            if (SweepSpec.FixedColumns.Contains(parameters[i].Name) || SensitivityResult.FixedColumns.Contains(parameters[i].Name))
                errors.Add(new($"$.parameters[{i}].name", $"'{parameters[i].Name}' is a column of the results; choose another name."));
    }

    /// <summary>Applies a JSON merge patch (RFC 7396) to <paramref name="target"/> in place: objects merge, null removes, anything else replaces.</summary>
    internal static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null) target.Remove(key);
            else if (value is JsonObject po && target[key] is JsonObject to) MergePatch(to, po);
            else target[key] = value.DeepClone();
        }
    }
}

/// <summary>
/// A sensitivity parameters file as its contract reads it (<see cref="SensitivitySpec.Parse"/>): every field is
/// <see cref="Loose{T}"/> and unknown fields are collected in <see cref="Unknown"/> rather than refused by the reader, so
/// the parser reports every problem of the file at once, each with its path (docs/sensitivity.md). <c>patch</c> is any
/// object: a JSON merge patch of the scenario, whose keys are the scenario's.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record SensitivityFileContract
{
    /// <summary>What the analysis asks.</summary>
    public Loose<string> Description { get; init; }
    /// <summary>A JSON merge patch of the scenario.</summary>
    public Loose<JsonObject> Patch { get; init; }
    /// <summary>The parameters.</summary>
    public Loose<IReadOnlyList<Loose<SensitivityParameterContract>>> Parameters { get; init; }
    /// <summary>Default metric names.</summary>
    public Loose<IReadOnlyList<Loose<string>>> Metrics { get; init; }
    /// <summary>Replicates per run.</summary>
    public Loose<int> Replicates { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>One element of a sensitivity parameters file's <c>parameters</c>, read loosely (see <see cref="SensitivityFileContract"/>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record SensitivityParameterContract
{
    /// <summary>Column name.</summary>
    public Loose<string> Name { get; init; }
    /// <summary>Where the value goes in the scenario.</summary>
    public Loose<string> Path { get; init; }
    /// <summary>Lowest value.</summary>
    public Loose<double> Low { get; init; }
    /// <summary>Highest value.</summary>
    public Loose<double> High { get; init; }
    /// <summary>uniform or loguniform.</summary>
    public Loose<string> Distribution { get; init; }
    /// <summary>Whole-number values.</summary>
    public Loose<bool> Integer { get; init; }
    /// <summary>Why this range.</summary>
    public Loose<string> Comment { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
