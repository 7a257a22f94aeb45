using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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

    /// <summary>Parses and validates a parameters file; every error is reported at once with its JSON path.</summary>
    public static SensitivitySpec Parse(string json)
    {
        var errors = new List<ValidationError>();
        // Through the shared JSON layer: duplicate keys, depth, out-of-range numbers and a non-object are errors with their path.
        var root = Workbench.Json.JsonInput.ParseObject(json, "a sensitivity parameters file");
        foreach (var (key, _) in root) if (!Known.Contains(key)) errors.Add(new($"$.{key}", $"unknown field; known fields: {string.Join(", ", Known)}."));
        var parameters = new List<SensitivityParameter>();
        if (root["parameters"] is JsonArray pa && pa.Count > 0)
        {
            for (int i = 0; i < pa.Count; i++) if (ParseParameter(pa[i], $"$.parameters[{i}]", errors) is { } p) parameters.Add(p);
        }
        else errors.Add(new("$.parameters", "required: a non-empty array of { name, path, low, high, distribution?, integer?, comment? }."));
        CheckNames(parameters, errors);
        var metrics = new List<string>();
        if (root["metrics"] is JsonArray ma)
        {
            for (int i = 0; i < ma.Count; i++)
                if (ma[i] is JsonValue mv && mv.TryGetValue<string>(out var m) && m.Length > 0) metrics.Add(m); else errors.Add(new($"$.metrics[{i}]", "each metric is a name such as \"seatGain:Red:FPTP\"."));
        }
        else if (root["metrics"] is not null) errors.Add(new("$.metrics", "must be an array of metric names."));
        int replicates = 1;
        if (root["replicates"] is JsonNode rn && (rn.GetValueKind() != JsonValueKind.Number || !rn.AsValue().TryGetValue(out replicates) || replicates < 1 || replicates > 1000))
            errors.Add(new("$.replicates", $"must be a whole number between 1 and 1000; got {rn.ToJsonString()}."));
        if (root["patch"] is JsonNode patch and not JsonObject) errors.Add(new("$.patch", "must be an object (a JSON merge patch of the scenario)."));
        if (root["description"] is JsonNode dn && (dn.GetValueKind() != JsonValueKind.String)) errors.Add(new("$.description", "must be a string."));
        Workbench.Parameters.ThrowIfAny(errors);
        return new SensitivitySpec
        {
            Description = root["description"]?.GetValue<string>() ?? "", Patch = root["patch"] as JsonObject, Parameters = parameters,
            Metrics = metrics, Replicates = replicates, CanonicalJson = root.ToJsonString(),
        };
    }

    private static SensitivityParameter? ParseParameter(JsonNode? node, string at, List<ValidationError> errors)
    {
        if (node is not JsonObject po) { errors.Add(new(at, "each parameter is an object { name, path, low, high, distribution?, integer?, comment? }.")); return null; }
        int before = errors.Count;
        foreach (var (key, _) in po) if (!KnownParameter.Contains(key)) errors.Add(new($"{at}.{key}", $"unknown field; known: {string.Join(", ", KnownParameter)}."));
        string? path = po["path"] is JsonValue pv && pv.TryGetValue<string>(out var p) ? p : null;
        if (path is null || (path != "voters" && !PathSyntax.IsMatch(path))) errors.Add(new(at + ".path", $"required: where the value goes in the scenario, a path like \"arms[0].campaigns[0].budget\"; got {po["path"]?.ToJsonString() ?? "nothing"}."));
        else if (path is "replicates" or "seed") errors.Add(new(at + ".path", $"'{path}' cannot be varied: the analysis fixes it."));
        string name = po["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : path ?? "";
        if (po["name"] is JsonNode nn && nn.GetValueKind() != JsonValueKind.String) errors.Add(new(at + ".name", "must be a string."));
        double? Num(string key)
        {
            if (po[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
            errors.Add(new($"{at}.{key}", $"required: a number; got {po[key]?.ToJsonString() ?? "nothing"}."));
            return null;
        }
        double? low = Num("low"), high = Num("high");
        var distribution = SensitivityDistribution.Uniform;
        if (po["distribution"] is JsonNode dn)
        {
            string? d = dn is JsonValue dv && dv.TryGetValue<string>(out var ds) ? ds : null;
            if (d == "uniform") distribution = SensitivityDistribution.Uniform;
            else if (d == "loguniform") distribution = SensitivityDistribution.LogUniform;
            else errors.Add(new(at + ".distribution", $"must be \"uniform\" or \"loguniform\"; got {dn.ToJsonString()}."));
        }
        bool integer = false;
        if (po["integer"] is JsonNode inode)
        {
            if (inode.GetValueKind() is JsonValueKind.True or JsonValueKind.False) integer = inode.GetValue<bool>();
            else errors.Add(new(at + ".integer", $"must be true or false; got {inode.ToJsonString()}."));
        }
        string comment = po["comment"] is JsonValue cv && cv.TryGetValue<string>(out var c) ? c : "";
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
