using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>A discussion question tied to one of the recommendations of the 2020 roundtables.</summary>
public sealed record WorkshopQuestion(string Id, string Recommendation, string Text);

/// <summary>One step of a workshop: its time, what participants do, and (optionally) the scenario the facilitator runs.</summary>
public sealed record WorkshopStep(int Minutes, string Title, string Activity, Scenario? Scenario, string? Look, IReadOnlyList<WorkshopQuestion> Questions);

/// <summary>
/// A workshop scenario card (notebooks/workshop/): a timed agenda on one preset whose steps run scenarios — a
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

    /// <summary>The top-level fields of a card (besides "$schema").</summary>
    internal static readonly string[] Known = ["title", "minutes", "preset", "audience", "goal", "steps"];
    /// <summary>The fields of a step.</summary>
    internal static readonly string[] StepFields = ["minutes", "title", "activity", "run", "look", "questions"];
    /// <summary>The fields of a step's run.</summary>
    internal static readonly string[] RunFields = ["scenario", "replicates", "set"];

    /// <summary>
    /// Loads a card; questions.json must sit beside it. Every problem is reported with its JSON path. A step's scenario file
    /// must lie in the card's folder or the project's data folders unless <paramref name="allowOutsidePaths"/>.
    /// </summary>
    public static WorkshopCard Load(string path, bool allowOutsidePaths = false)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Workshop card '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!, allowOutsidePaths);
    }

    /// <summary>Parses a card's text; its questions.json and scenario files are looked up in <paramref name="dir"/> (see <see cref="Load"/>).</summary>
    public static WorkshopCard Parse(string json, string dir, bool allowOutsidePaths = false)
    {
        var qpath = Path.Combine(dir, "questions.json");
        if (!File.Exists(qpath)) throw new FileNotFoundException($"The card's questions ({qpath}) are missing.", qpath);
        var errors = new List<ValidationError>();
        var (recs, questions) = ReadQuestions(qpath, errors);
        var root = JsonInput.ParseObject(json, "a workshop card");
        JsonInput.KnownFields(root, "$", Known, errors);
        string Text(JsonObject o, string key, string at) { var s = JsonInput.String(o, key, at, errors, required: true); if (s == "") errors.Add(new(JsonInput.Member(at, key), "required text.")); return s ?? ""; }
        int minutes = JsonInput.Int(root, "minutes", "$", errors, 15, 600, required: true, message: "must be a whole number of minutes between 15 and 600.") ?? 0;
        string preset = Text(root, "preset", "$");
        if (preset != "" && !Workbench.Electorate.ElectorateSpec.PresetNames.Contains(preset)) errors.Add(new("$.preset", $"unknown preset; known: {string.Join(", ", Workbench.Electorate.ElectorateSpec.PresetNames)}."));
        string title = Text(root, "title", "$");
        string audience = JsonInput.String(root, "audience", "$", errors) ?? "", goal = JsonInput.String(root, "goal", "$", errors) ?? "";
        var steps = new List<WorkshopStep>();
        var used = new HashSet<string>();
        if (root["steps"] is not JsonArray sa || sa.Count == 0) errors.Add(new("$.steps", "required: at least one step."));
        else
            for (int i = 0; i < sa.Count; i++)
            {
                string at = $"$.steps[{i}]";
                if (sa[i] is not JsonObject s) { errors.Add(new(at, $"expected a step object, got {JsonInput.Kind(sa[i])}.")); continue; }
                JsonInput.KnownFields(s, at, StepFields, errors);
                int sm = JsonInput.Int(s, "minutes", at, errors, 1, 600, required: true, message: "must be a positive whole number (at most 600).") ?? 0;
                Scenario? sc = null;
                if (s["run"] is JsonObject run)
                {
                    try { sc = RunScenario(run, dir, at + ".run", allowOutsidePaths); }
                    catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(e => e.Path.StartsWith(at, StringComparison.Ordinal) ? e : e with { Path = at + ".run: " + e.Path })); }
                    if (sc is not null && sc.Preset != preset) errors.Add(new(at + ".run.scenario", $"uses the preset '{sc.Preset ?? "(custom spec)"}', not the card's '{preset}'."));
                }
                else if (s.ContainsKey("run")) errors.Add(new(at + ".run", $"expected {{ scenario, replicates?, set? }}, got {JsonInput.Kind(s["run"])}."));
                var qs = new List<WorkshopQuestion>();
                if (s["questions"] is JsonArray qa)
                    for (int k = 0; k < qa.Count; k++)
                    {
                        if (qa[k]?.GetValueKind() != JsonValueKind.String) { errors.Add(new($"{at}.questions[{k}]", $"expected a question id (a string), got {JsonInput.Kind(qa[k])}.")); continue; }
                        var id = qa[k]!.GetValue<string>();
                        if (questions.TryGetValue(id, out var wq)) { qs.Add(wq); used.Add(wq.Recommendation); }
                        else errors.Add(new(at + ".questions", $"unknown question '{id}'; known: {string.Join(", ", questions.Keys)}."));
                    }
                else if (s.ContainsKey("questions")) errors.Add(new(at + ".questions", $"expected an array of question ids, got {JsonInput.Kind(s["questions"])}."));
                steps.Add(new WorkshopStep(sm, Text(s, "title", at), Text(s, "activity", at), sc, JsonInput.String(s, "look", at, errors), qs));
            }
        if (steps.Count > 0 && steps.Count == (root["steps"] as JsonArray)?.Count && steps.Sum(s => s.Minutes) != minutes) errors.Add(new("$.steps", $"the steps take {steps.Sum(s => s.Minutes)} minutes; the card says {minutes}."));
        foreach (var r in recs.Keys.Where(r => !used.Contains(r))) errors.Add(new("$.steps", $"no step discusses the recommendation '{r}'."));
        Parameters.ThrowIfAny(errors);
        return new WorkshopCard
        {
            Title = title, Minutes = minutes, Preset = preset, Audience = audience, Goal = goal, Steps = steps, Recommendations = recs,
        };
    }

    /// <summary>The structure of a workshop card as a JSON Schema object.</summary>
    public static JsonObject Schema()
    {
        var run = JsonSchemas.Object(
        [
            ("scenario", JsonSchemas.String(nonEmpty: true).Describe("A built-in scenario or a scenario file relative to the card's folder.")),
            ("replicates", JsonSchemas.Integer(1, 100_000)),
            ("set", JsonSchemas.Map(new JsonObject()).Describe("Changes by path, as in sweeps (\"regime\": \"eu-gdpr\").")),
        ], "scenario");
        var step = JsonSchemas.Object(
        [
            ("minutes", JsonSchemas.Integer(1, 600)), ("title", JsonSchemas.String(nonEmpty: true)), ("activity", JsonSchemas.String(nonEmpty: true)),
            ("run", run), ("look", JsonSchemas.String()), ("questions", JsonSchemas.Array(JsonSchemas.String())),
        ], "minutes", "title", "activity");
        return JsonSchemas.Object(
        [
            ("title", JsonSchemas.String(nonEmpty: true)), ("minutes", JsonSchemas.Integer(15, 600)),
            ("preset", JsonSchemas.Enum(Workbench.Electorate.ElectorateSpec.PresetNames)),
            ("audience", JsonSchemas.String()), ("goal", JsonSchemas.String()), ("steps", JsonSchemas.Array(step, 1)),
        ], "title", "minutes", "preset", "steps");
    }

    /// <summary>Reads questions.json: { source?, recommendations: { id: text }, questions: [{ id, recommendation, text }] }.</summary>
    private static (Dictionary<string, string> Recommendations, Dictionary<string, WorkshopQuestion> Questions) ReadQuestions(string qpath, List<ValidationError> errors)
    {
        JsonObject q;
        try { q = JsonInput.ParseObject(File.ReadAllText(qpath), "the workshop questions"); }
        catch (SpecValidationException ex) { throw new SpecValidationException(ex.Errors.Select(e => e with { Path = "questions.json " + e.Path }).ToArray()); }
        var own = new List<ValidationError>();
        JsonInput.KnownFields(q, "$", ["source", "recommendations", "questions"], own);
        JsonInput.String(q, "source", "$", own);
        var recs = new Dictionary<string, string>();
        if (q["recommendations"] is JsonObject ro)
            foreach (var (id, text) in ro)
                if (text?.GetValueKind() == JsonValueKind.String) recs[id] = text.GetValue<string>();
                else own.Add(new(JsonInput.Member("$.recommendations", id), $"expected a string, got {JsonInput.Kind(text)}."));
        else own.Add(new("$.recommendations", $"expected an object of id: text, got {JsonInput.Kind(q["recommendations"])}."));
        var questions = new Dictionary<string, WorkshopQuestion>();
        if (q["questions"] is JsonArray qa)
            for (int i = 0; i < qa.Count; i++)
            {
                string at = $"$.questions[{i}]";
                if (qa[i] is not JsonObject qo) { own.Add(new(at, $"expected a question object, got {JsonInput.Kind(qa[i])}.")); continue; }
                JsonInput.KnownFields(qo, at, ["id", "recommendation", "text"], own);
                string? id = JsonInput.String(qo, "id", at, own, required: true), rec = JsonInput.String(qo, "recommendation", at, own, required: true), text = JsonInput.String(qo, "text", at, own, required: true);
                if (id is null || rec is null || text is null) continue;
                var wq = new WorkshopQuestion(id, rec, text);
                if (!recs.ContainsKey(wq.Recommendation)) own.Add(new($"{at}.recommendation", $"unknown recommendation '{wq.Recommendation}'; known: {string.Join(", ", recs.Keys)}."));
                if (!questions.TryAdd(wq.Id, wq)) own.Add(new($"{at}.id", $"the id '{wq.Id}' is used twice."));
            }
        else own.Add(new("$.questions", $"expected an array of questions, got {JsonInput.Kind(q["questions"])}."));
        foreach (var r in recs.Keys.Where(r => !questions.Values.Any(x => x.Recommendation == r))) own.Add(new("$.recommendations", $"no question discusses the recommendation '{r}'."));
        errors.AddRange(own.Select(e => e with { Path = "questions.json " + e.Path }));
        return (recs, questions);
    }

    /// <summary>A step's scenario: a built-in scenario or a file (relative to the card), with "set" changes by path and replicates.</summary>
    private static Scenario RunScenario(JsonObject run, string dir, string at, bool allowOutsidePaths)
    {
        var errors = new List<ValidationError>();
        JsonInput.KnownFields(run, at, RunFields, errors);
        var name = JsonInput.String(run, "scenario", at, errors, required: true);
        int? replicates = JsonInput.Int(run, "replicates", at, errors, 1, 100_000);
        if (run.ContainsKey("set") && run["set"] is not JsonObject) errors.Add(new(at + ".set", $"expected an object of path: value, got {JsonInput.Kind(run["set"])}."));
        Parameters.ThrowIfAny(errors);
        JsonObject? doc = null; string scenarioDir = dir;
        if (Scenario.BuiltinNames.Contains(name!) && !File.Exists(Path.Combine(dir, name!))) doc = JsonNode.Parse(Scenario.Builtin(name!).Json)!.AsObject();
        else if (JsonInput.ResolveReference(dir, name!, at + ".scenario", allowOutsidePaths, errors) is string file)
        {
            if (!File.Exists(file)) errors.Add(new(at + ".scenario", $"'{name}' is neither a scenario file nor a built-in scenario ({string.Join(", ", Scenario.BuiltinNames)})."));
            else { doc = JsonInput.ReadReference(file, at + ".scenario", "a scenario", errors); scenarioDir = Path.GetDirectoryName(file)!; }
        }
        Parameters.ThrowIfAny(errors);
        foreach (var (path, value) in run["set"]?.AsObject() ?? [])
        {
            if (value is JsonObject obj && doc![path] is JsonObject existing) { foreach (var (k, v) in obj) existing[k] = v?.DeepClone(); continue; }
            if (value is null) { errors.Add(new(JsonInput.Member(at + ".set", path), "must not be null.")); continue; }
            if (path != "voters" && !SweepSpec.IsPath(path)) { errors.Add(new(JsonInput.Member(at + ".set", path), $"'{path}' is not a path like name.name[0].name.")); continue; }
            if (SweepSpec.Set(doc!, path, value.DeepClone()) is string problem) errors.Add(new(JsonInput.Member(at + ".set", path), problem));
        }
        Parameters.ThrowIfAny(errors);
        return Scenario.Parse(doc!.ToJsonString(), scenarioDir, allowOutsidePaths).With(replicates);
    }
}
