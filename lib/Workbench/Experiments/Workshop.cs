using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Experiments;

/// <summary>A discussion question tied to one of the recommendations of the 2020 roundtables.</summary>
public sealed record WorkshopQuestion(string Id, string Recommendation, string Text);

/// <summary>One step of a workshop: its time, what participants do, and (optionally) the scenario the facilitator runs.</summary>
public sealed record WorkshopStep(int Minutes, string Title, string Activity, Scenario? Scenario, string? Look, IReadOnlyList<WorkshopQuestion> Questions);

/// <summary>
/// A workshop scenario card (issue 10; notebooks/workshop/): a timed agenda on one preset whose steps run scenarios — a
/// built-in scenario or file, with changes given by path as in sweeps (<c>"set": { "regime": "eu-gdpr" }</c>) — and whose
/// discussion questions come from notebooks/workshop/cards/questions.json, each tied to a recommendation of International
/// IDEA's 2020 roundtables on online political advertising (transparency, data limits, oversight cooperation).
/// </summary>
public sealed class WorkshopCard
{
    private WorkshopCard() { }

    /// <summary>Title.</summary>
    public string Title { get; private init; } = "";
    /// <summary>Length in minutes (the steps add up to it).</summary>
    public int Minutes { get; private init; }
    /// <summary>The electorate preset every step uses.</summary>
    public string Preset { get; private init; } = "";
    /// <summary>Who it is for.</summary>
    public string Audience { get; private init; } = "";
    /// <summary>What participants should leave with.</summary>
    public string Goal { get; private init; } = "";
    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<WorkshopStep> Steps { get; private init; } = [];
    /// <summary>The recommendations (id → text) the questions are tied to.</summary>
    public IReadOnlyDictionary<string, string> Recommendations { get; private init; } = new Dictionary<string, string>();

    /// <summary>Loads a card; questions.json must sit beside it. Every problem is reported with its JSON path.</summary>
    public static WorkshopCard Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Workshop card '{path}' does not exist.", path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var qpath = Path.Combine(dir, "questions.json");
        if (!File.Exists(qpath)) throw new FileNotFoundException($"The card's questions ({qpath}) are missing.", qpath);
        var errors = new List<ValidationError>();
        var q = JsonNode.Parse(File.ReadAllText(qpath))!.AsObject();
        var recs = q["recommendations"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        var questions = new Dictionary<string, WorkshopQuestion>();
        foreach (var n in q["questions"]!.AsArray())
        {
            var wq = new WorkshopQuestion(n!["id"]!.GetValue<string>(), n["recommendation"]!.GetValue<string>(), n["text"]!.GetValue<string>());
            if (!recs.ContainsKey(wq.Recommendation)) errors.Add(new($"questions.json {wq.Id}", $"unknown recommendation '{wq.Recommendation}'; known: {string.Join(", ", recs.Keys)}."));
            if (!questions.TryAdd(wq.Id, wq)) errors.Add(new($"questions.json {wq.Id}", "the id is used twice."));
        }
        foreach (var r in recs.Keys.Where(r => !questions.Values.Any(x => x.Recommendation == r))) errors.Add(new("questions.json", $"no question discusses the recommendation '{r}'."));

        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path))!.AsObject(); }
        catch (JsonException ex) { throw new SpecValidationException([new ValidationError("$", ex.Message)]); }
        string Str(JsonNode? n, string at) { if (n is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0) return s; errors.Add(new(at, "required text.")); return ""; }
        int minutes = root["minutes"] is JsonValue mv && mv.TryGetValue<int>(out var m) ? m : 0;
        if (minutes is < 15 or > 600) errors.Add(new("$.minutes", "must be a whole number of minutes between 15 and 600."));
        string preset = Str(root["preset"], "$.preset");
        if (preset != "" && !Workbench.Electorate.ElectorateSpec.PresetNames.Contains(preset)) errors.Add(new("$.preset", $"unknown preset; known: {string.Join(", ", Workbench.Electorate.ElectorateSpec.PresetNames)}."));
        var steps = new List<WorkshopStep>();
        var used = new HashSet<string>();
        if (root["steps"] is not JsonArray sa || sa.Count == 0) errors.Add(new("$.steps", "required: at least one step."));
        else
            for (int i = 0; i < sa.Count; i++)
            {
                string at = $"$.steps[{i}]";
                var s = sa[i]!.AsObject();
                int sm = s["minutes"] is JsonValue smv && smv.TryGetValue<int>(out var x) ? x : 0;
                if (sm < 1) errors.Add(new(at + ".minutes", "must be a positive whole number."));
                Scenario? sc = null;
                if (s["run"] is JsonObject run)
                {
                    try { sc = RunScenario(run, dir); }
                    catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(e => e with { Path = at + ".run: " + e.Path })); }
                    catch (ArgumentException ex) { errors.Add(new(at + ".run", ex.Message)); }
                    if (sc is not null && sc.Preset != preset) errors.Add(new(at + ".run.scenario", $"uses the preset '{sc.Preset ?? "(custom spec)"}', not the card's '{preset}'."));
                }
                var qs = new List<WorkshopQuestion>();
                foreach (var qn in s["questions"]?.AsArray() ?? [])
                {
                    var id = qn!.GetValue<string>();
                    if (questions.TryGetValue(id, out var wq)) { qs.Add(wq); used.Add(wq.Recommendation); }
                    else errors.Add(new(at + ".questions", $"unknown question '{id}'; known: {string.Join(", ", questions.Keys)}."));
                }
                steps.Add(new WorkshopStep(sm, Str(s["title"], at + ".title"), Str(s["activity"], at + ".activity"), sc, s["look"]?.GetValue<string>(), qs));
            }
        if (steps.Count > 0 && steps.Sum(s => s.Minutes) != minutes) errors.Add(new("$.steps", $"the steps take {steps.Sum(s => s.Minutes)} minutes; the card says {minutes}."));
        foreach (var r in recs.Keys.Where(r => !used.Contains(r))) errors.Add(new("$.steps", $"no step discusses the recommendation '{r}'."));
        Parameters.ThrowIfAny(errors);
        return new WorkshopCard
        {
            Title = Str(root["title"], "$.title"), Minutes = minutes, Preset = preset, Audience = root["audience"]?.GetValue<string>() ?? "",
            Goal = root["goal"]?.GetValue<string>() ?? "", Steps = steps, Recommendations = recs,
        };
    }

    /// <summary>A step's scenario: a built-in scenario or a file (relative to the card), with "set" changes by path and replicates.</summary>
    private static Scenario RunScenario(JsonObject run, string dir)
    {
        var name = run["scenario"]?.GetValue<string>() ?? throw new ArgumentException("a run needs a scenario (a built-in name or a file).");
        var file = Path.Combine(dir, name);
        var json = File.Exists(file) ? File.ReadAllText(file) : Scenario.BuiltinNames.Contains(name) ? Scenario.Builtin(name).Json
            : throw new ArgumentException($"'{name}' is neither a scenario file nor a built-in scenario ({string.Join(", ", Scenario.BuiltinNames)}).");
        var doc = JsonNode.Parse(json)!.AsObject();
        foreach (var (path, value) in run["set"]?.AsObject() ?? [])
        {
            if (value is JsonObject obj && doc[path] is JsonObject existing) { foreach (var (k, v) in obj) existing[k] = v?.DeepClone(); continue; }
            if (SweepSpec.Set(doc, path, value!.DeepClone()) is string problem) throw new ArgumentException($"set {path}: {problem}");
        }
        int? replicates = run["replicates"] is JsonValue rv && rv.TryGetValue<int>(out var r) ? r : null;
        return Scenario.Parse(doc.ToJsonString(), File.Exists(file) ? Path.GetDirectoryName(file) : dir).With(replicates);
    }
}
