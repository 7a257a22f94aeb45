using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>A discussion question tied to one of the recommendations of the 2020 roundtables.</summary>
public sealed record WorkshopQuestion(string Id, string Recommendation, string Text)
{
    /// <summary>The figures the question asks about (names from <see cref="WorkshopFigures.Names"/>); a step that runs a scenario must declare them.</summary>
    public IReadOnlyList<string> Figures { get; init; } = [];
    /// <summary>
    /// The step (1-based) the question compares with ("against step 2"), or null. The trainer pack's answer then gives, for
    /// each figure, the paired difference between the runs replicate by replicate (the steps share seed and replicates).
    /// </summary>
    public int? Against { get; init; }
}

/// <summary>One step of a workshop: its time, what participants do, and (optionally) the scenario the facilitator runs.</summary>
public sealed record WorkshopStep(int Minutes, string Title, string Activity, Scenario? Scenario, string? Look, IReadOnlyList<WorkshopQuestion> Questions)
{
    /// <summary>The figures the step discusses (names from <see cref="WorkshopFigures.Names"/>), in the card's order; empty for a discussion step.</summary>
    public IReadOnlyList<string> Figures { get; init; } = [];
    /// <summary>The step's "run" as written in the card: { scenario, replicates?, set? } (null for a discussion step); the trainer pack prints it.</summary>
    public string? RunJson { get; init; }
}

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

    /// <summary>How a step's run is written back as text: compact, with non-ASCII letters and apostrophes as they are.</summary>
    private static readonly JsonSerializerOptions RunJsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The top-level fields of a card (besides "$schema").</summary>
    internal static readonly string[] Known = ["title", "minutes", "preset", "audience", "goal", "steps"];
    /// <summary>The fields of a step.</summary>
    internal static readonly string[] StepFields = ["minutes", "title", "activity", "run", "look", "figures", "questions"];
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
        var (recs, questions) = ReadQuestions(File.ReadAllText(qpath), errors);
        var root = JsonInput.ParseObject(json, "a workshop card");
        // The questions' errors are already in the list: the card's contract reports into its own.
        var unread = new List<ValidationError>();
        var card = JsonInput.Deserialize(root, "$", unread, ExperimentsJson.Contract.WorkshopCardContract);
        if (card is null) Parameters.ThrowIfAny([.. errors, .. unread]);
        JsonInput.UnknownFields(card!.Unknown, "$", Known, errors);
        int minutes = JsonInput.Int(card.Minutes, "$.minutes", errors, "must be a whole number of minutes between 15 and 600.", 15, 600, required: true) ?? 0;
        string preset = RequiredText(card.Preset, "$.preset", errors);
        if (preset != "" && !Workbench.Electorate.ElectorateSpec.PresetNames.Contains(preset)) errors.Add(new("$.preset", $"unknown preset; known: {string.Join(", ", Workbench.Electorate.ElectorateSpec.PresetNames)}."));
        string title = RequiredText(card.Title, "$.title", errors);
        string audience = JsonInput.String(card.Audience, "$.audience", errors) ?? "", goal = JsonInput.String(card.Goal, "$.goal", errors) ?? "";
        var steps = new List<WorkshopStep>();
        var used = new HashSet<string>();
        var runs = new List<(int Index, Scenario Scenario)>();
        var cardSteps = card.Steps.Ok ? card.Steps.Value : null;
        if (cardSteps is not { Count: > 0 } sa) errors.Add(new("$.steps", "required: at least one step."));
        else
            for (int i = 0; i < sa.Count; i++)
            {
                string at = $"$.steps[{i}]";
                if (!sa[i].Ok) { errors.Add(new(at, $"expected a step object, got {JsonInput.Kind(sa[i].Raw)}.")); continue; }
                var step = ParseStep(sa[i].Value, at, dir, allowOutsidePaths, preset, questions, used, errors);
                if (step.Scenario is not null) runs.Add((i, step.Scenario));
                steps.Add(step);
            }
        CheckDistinctRuns(runs, errors);
        // The cross-step checks run only on an otherwise valid card: a step or question skipped above would shift the paths.
        if (errors.Count == 0)
        {
            CheckComparisons(steps, errors);
            CheckDiscussionFigures(steps, cardSteps!, errors);
        }
        if (steps.Count > 0 && steps.Count == cardSteps?.Count && steps.Sum(s => s.Minutes) != minutes) errors.Add(new("$.steps", $"the steps take {steps.Sum(s => s.Minutes)} minutes; the card says {minutes}."));
        foreach (var r in recs.Keys.Where(r => !used.Contains(r))) errors.Add(new("$.steps", $"no step discusses the recommendation '{r}'."));
        Parameters.ThrowIfAny(errors);
        return new WorkshopCard
        {
            Title = title, Minutes = minutes, Preset = preset, Audience = audience, Goal = goal, Steps = steps, Recommendations = recs,
        };
    }

    /// <summary>A required, non-empty text field ("" after reporting it when missing or empty).</summary>
    private static string RequiredText(Loose<string> value, string at, List<ValidationError> errors)
    {
        var s = JsonInput.String(value, at, errors, required: true);
        if (s == "") errors.Add(new(at, "required text."));
        return s ?? "";
    }

    /// <summary>
    /// Reads one step at <paramref name="at"/>: its minutes, its run (resolved to a scenario on the card's preset), its
    /// questions (adding their recommendations to <paramref name="used"/>) and its figures, which must cover what the
    /// questions discuss. Problems go to <paramref name="errors"/>.
    /// </summary>
    private static WorkshopStep ParseStep(WorkshopStepContract s, string at, string dir, bool allowOutsidePaths, string preset,
        IReadOnlyDictionary<string, WorkshopQuestion> questions, HashSet<string> used, List<ValidationError> errors)
    {
        JsonInput.UnknownFields(s.Unknown, at, StepFields, errors);
        int sm = JsonInput.Int(s.Minutes, at + ".minutes", errors, "must be a positive whole number (at most 600).", 1, 600, required: true) ?? 0;
        Scenario? sc = null;
        if (s.Run.Ok)
        {
            var run = s.Run.Value;
            try { sc = RunScenario(run, dir, at + ".run", allowOutsidePaths); }
            catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(e => e.Path.StartsWith(at, StringComparison.Ordinal) ? e : e with { Path = at + ".run: " + e.Path })); }
            if (sc is not null && sc.Preset != preset) errors.Add(new(at + ".run.scenario", $"uses the preset '{sc.Preset ?? "(custom spec)"}', not the card's '{preset}'."));
        }
        else if (s.Run.Given) errors.Add(new(at + ".run", $"expected {{ scenario, replicates?, set? }}, got {JsonInput.Kind(s.Run.Raw)}."));
        var qs = new List<WorkshopQuestion>();
        if (s.Questions.Ok)
            for (int k = 0; k < s.Questions.Value.Count; k++)
            {
                var qk = s.Questions.Value[k];
                if (!qk.Ok) { errors.Add(new($"{at}.questions[{k}]", $"expected a question id (a string), got {JsonInput.Kind(qk.Raw)}.")); continue; }
                var id = qk.Value;
                if (questions.TryGetValue(id, out var wq)) { qs.Add(wq); used.Add(wq.Recommendation); }
                else errors.Add(new(at + ".questions", $"unknown question '{id}'; known: {string.Join(", ", questions.Keys)}."));
            }
        else if (s.Questions.Given) errors.Add(new(at + ".questions", $"expected an array of question ids, got {JsonInput.Kind(s.Questions.Raw)}."));
        var figures = ReadFigures(s.Figures, at + ".figures", errors);
        if (s.Run.Given)
        {
            if (figures.Count == 0 && !s.Figures.Given) errors.Add(new(at + ".figures", $"required for a step that runs a scenario: the figures it discusses ({string.Join(", ", WorkshopFigures.Names)})."));
            foreach (var q in qs)
                foreach (var f in q.Figures.Where(f => !figures.Contains(f)))
                    errors.Add(new(at + ".figures", $"the question '{q.Id}' discusses '{f}', which the step does not declare."));
        }
        else if (figures.Count > 0) errors.Add(new(at + ".figures", "a step without a run has no figures to show; remove them or add a run."));
        if (sc is not null && figures.Contains("premium") && !new[] { WorkshopFigures.PremiumArm, WorkshopFigures.PremiumAgainst }.All(a => sc.Arms.Any(x => x.Name == a && x.Campaigns.Any(c => c.Party == WorkshopFigures.PremiumParty))))
            errors.Add(new($"{at}.figures[{figures.IndexOf("premium")}]", $"'premium' needs the arms {WorkshopFigures.PremiumArm} and {WorkshopFigures.PremiumAgainst} with {WorkshopFigures.PremiumParty}'s campaign; the scenario has {string.Join(", ", sc.Arms.Select(x => x.Name))} (use scenario classroom-targeting)."));
        return new WorkshopStep(sm, RequiredText(s.Title, at + ".title", errors), RequiredText(s.Activity, at + ".activity", errors), sc, JsonInput.String(s.Look, at + ".look", errors), qs)
        {
            Figures = figures, RunJson = s.Run.Ok ? s.Run.Raw!.ToJsonString(RunJsonOptions) : null,
        };
    }

    /// <summary>
    /// Each step runs its own scenario: the same resolved scenario (its JSON after "set", in canonical form) with the same
    /// replicates and seed would show the same figures twice, whatever spelling the cards used to name it.
    /// </summary>
    private static void CheckDistinctRuns(List<(int Index, Scenario Scenario)> runs, List<ValidationError> errors)
    {
        for (int i = 0; i < runs.Count; i++)
            for (int j = 0; j < i; j++)
                if (runs[i].Scenario.Hash == runs[j].Scenario.Hash && runs[i].Scenario.Replicates == runs[j].Scenario.Replicates && runs[i].Scenario.Seed == runs[j].Scenario.Seed)
                {
                    errors.Add(new($"$.steps[{runs[i].Index}].run", $"runs the same scenario, replicates and changes as step {runs[j].Index + 1}; give each step its own run (another scenario or other \"set\" changes)."));
                    break;
                }
    }

    /// <summary>A question that compares with an earlier step needs that step to run the same seed and replicates, measuring its figures.</summary>
    private static void CheckComparisons(List<WorkshopStep> steps, List<ValidationError> errors)
    {
        for (int i = 0; i < steps.Count; i++)
            for (int k = 0; k < steps[i].Questions.Count; k++)
            {
                var q = steps[i].Questions[k];
                if (q.Against is not int a || steps[i].Scenario is not Scenario here) continue;
                string at = $"$.steps[{i}].questions[{k}]";
                if (a - 1 >= i || steps[a - 1].Scenario is not Scenario there) { errors.Add(new(at, $"the question '{q.Id}' compares with step {a}, which is not an earlier step that runs a scenario.")); continue; }
                if (there.Seed != here.Seed || there.Replicates != here.Replicates) errors.Add(new(at, $"the question '{q.Id}' compares with step {a}, which runs other seeds or replicates ({there.Replicates} replicates, seed {there.Seed}; this step {here.Replicates}, seed {here.Seed}): replicates cannot be paired."));
                foreach (var f in q.Figures.Where(f => !steps[a - 1].Figures.Contains(f)))
                    errors.Add(new(at, $"the question '{q.Id}' compares '{f}' with step {a}, which does not declare it."));
            }
    }

    /// <summary>A discussion step runs nothing: each figure its questions discuss must come from an earlier step's run.</summary>
    private static void CheckDiscussionFigures(List<WorkshopStep> steps, IReadOnlyList<Loose<WorkshopStepContract>> cardSteps, List<ValidationError> errors)
    {
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i].Scenario is not null || cardSteps[i].Value.Run.Present) continue;
            for (int k = 0; k < steps[i].Questions.Count; k++)
                foreach (var f in steps[i].Questions[k].Figures.Where(f => AnswerStep(steps, i, steps[i].Questions[k].Id, f) < 0))
                    errors.Add(new($"$.steps[{i}].questions[{k}]", $"the question '{steps[i].Questions[k].Id}' discusses '{f}', which no earlier step measures; declare it in the figures of an earlier step that runs a scenario (best the step that first asks the question)."));
        }
    }

    /// <summary>
    /// The step (0-based) whose reference run answers <paramref name="figure"/> for question <paramref name="question"/> asked
    /// at step <paramref name="step"/>: the step itself when it runs a scenario that measures the figure; for a discussion
    /// step, the first earlier step that asked the same question and measures the figure, else the latest earlier step that
    /// measures it; -1 when none does (a card with such a question is refused).
    /// </summary>
    public int AnswerStep(int step, string question, string figure) => AnswerStep(Steps, step, question, figure);

    private static int AnswerStep(IReadOnlyList<WorkshopStep> steps, int step, string question, string figure)
    {
        if (steps[step].Scenario is not null) return steps[step].Figures.Contains(figure) ? step : -1;
        for (int k = 0; k < step; k++)
            if (steps[k].Scenario is not null && steps[k].Figures.Contains(figure) && steps[k].Questions.Any(q => q.Id == question)) return k;
        for (int k = step - 1; k >= 0; k--)
            if (steps[k].Scenario is not null && steps[k].Figures.Contains(figure)) return k;
        return -1;
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
            ("run", run), ("look", JsonSchemas.String()),
            ("figures", JsonSchemas.Array(JsonSchemas.Enum(WorkshopFigures.Names)).Describe("The figures the step discusses; `workshop --step` prints them and the trainer pack tabulates them.")),
            ("questions", JsonSchemas.Array(JsonSchemas.String())),
        ], "minutes", "title", "activity");
        return JsonSchemas.Object(
        [
            ("title", JsonSchemas.String(nonEmpty: true)), ("minutes", JsonSchemas.Integer(15, 600)),
            ("preset", JsonSchemas.Enum(Workbench.Electorate.ElectorateSpec.PresetNames)),
            ("audience", JsonSchemas.String()), ("goal", JsonSchemas.String()), ("steps", JsonSchemas.Array(step, 1)),
        ], "title", "minutes", "preset", "steps");
    }

    /// <summary>
    /// Parses and checks the text of a card's questions.json on its own (the checks that need no card: fields, kinds, known
    /// figures and recommendations, unique ids, every recommendation discussed); every problem at once, each path preceded by
    /// "questions.json".
    /// </summary>
    public static void ParseQuestions(string json)
    {
        var errors = new List<ValidationError>();
        ReadQuestions(json, errors);
        Parameters.ThrowIfAny(errors);
    }

    /// <summary>The structure of a card's questions.json as a JSON Schema object, generated from its contract (<see cref="WorkshopQuestionsContract"/>).</summary>
    public static JsonObject QuestionsSchema()
    {
        var schema = JsonSchemas.Of(ExperimentsJson.Contract.WorkshopQuestionsContract);
        var props = (JsonObject)schema["properties"]!;
        // What the contract's types cannot say: the recommendations are a map of id: text, a question needs its id,
        // recommendation and text, its figures come from the fixed vocabulary and it compares with an earlier step.
        props["recommendations"] = JsonSchemas.Map(JsonSchemas.String()).Describe("Recommendation id: its text, as the source words it.");
        var question = (JsonObject)props["questions"]!["items"]!;
        question["required"] = new JsonArray("id", "recommendation", "text");
        var qprops = (JsonObject)question["properties"]!;
        qprops["figures"] = JsonSchemas.Array(JsonSchemas.Enum(WorkshopFigures.Names)).Describe("The figures the question discusses; its step must declare them.");
        qprops["against"] = JsonSchemas.Integer(1, 100).Describe("An earlier step (1-based) that runs a scenario, to compare with.");
        schema["required"] = new JsonArray("recommendations", "questions");
        return schema;
    }

    /// <summary>Reads questions.json: { source?, recommendations: { id: text }, questions: [{ id, recommendation, text }] }.</summary>
    private static (Dictionary<string, string> Recommendations, Dictionary<string, WorkshopQuestion> Questions) ReadQuestions(string json, List<ValidationError> errors)
    {
        JsonObject q;
        try { q = JsonInput.ParseObject(json, "the workshop questions"); }
        catch (SpecValidationException ex) { throw new SpecValidationException(ex.Errors.Select(e => e with { Path = "questions.json " + e.Path }).ToArray()); }
        var own = new List<ValidationError>();
        var file = JsonInput.Deserialize(q, "$", own, ExperimentsJson.Contract.WorkshopQuestionsContract);
        if (file is null) { errors.AddRange(own.Select(e => e with { Path = "questions.json " + e.Path })); return ([], []); }
        JsonInput.UnknownFields(file.Unknown, "$", ["source", "recommendations", "questions"], own);
        JsonInput.String(file.Source, "$.source", own);
        var recs = new Dictionary<string, string>();
        if (file.Recommendations.Ok)
            foreach (var (id, text) in file.Recommendations.Value)
                if (text?.GetValueKind() == JsonValueKind.String) recs[id] = text.GetValue<string>();
                else own.Add(new(JsonInput.Member("$.recommendations", id), $"expected a string, got {JsonInput.Kind(text)}."));
        else own.Add(new("$.recommendations", $"expected an object of id: text, got {JsonInput.Kind(file.Recommendations.Raw)}."));
        var questions = new Dictionary<string, WorkshopQuestion>();
        if (file.Questions.Ok)
            for (int i = 0; i < file.Questions.Value.Count; i++)
            {
                string at = $"$.questions[{i}]";
                if (!file.Questions.Value[i].Ok) { own.Add(new(at, $"expected a question object, got {JsonInput.Kind(file.Questions.Value[i].Raw)}.")); continue; }
                var qo = file.Questions.Value[i].Value;
                JsonInput.UnknownFields(qo.Unknown, at, ["id", "recommendation", "text", "figures", "against"], own);
                int? against = JsonInput.Int(qo.Against, at + ".against", own, "must be the number of an earlier step (1-based) that runs a scenario.", 1, 100);
                string? id = JsonInput.String(qo.Id, at + ".id", own, required: true), rec = JsonInput.String(qo.Recommendation, at + ".recommendation", own, required: true), text = JsonInput.String(qo.Text, at + ".text", own, required: true);
                var qfigures = ReadFigures(qo.Figures, at + ".figures", own);
                if (id is null || rec is null || text is null) continue;
                var wq = new WorkshopQuestion(id, rec, text) { Figures = qfigures, Against = against };
                if (!recs.ContainsKey(wq.Recommendation)) own.Add(new($"{at}.recommendation", $"unknown recommendation '{wq.Recommendation}'; known: {string.Join(", ", recs.Keys)}."));
                if (!questions.TryAdd(wq.Id, wq)) own.Add(new($"{at}.id", $"the id '{wq.Id}' is used twice."));
            }
        else own.Add(new("$.questions", $"expected an array of questions, got {JsonInput.Kind(file.Questions.Raw)}."));
        foreach (var r in recs.Keys.Where(r => !questions.Values.Any(x => x.Recommendation == r))) own.Add(new("$.recommendations", $"no question discusses the recommendation '{r}'."));
        errors.AddRange(own.Select(e => e with { Path = "questions.json " + e.Path }));
        return (recs, questions);
    }

    /// <summary>Reads a list of figure names; an unknown or repeated name is an error at its path.</summary>
    private static List<string> ReadFigures(Loose<IReadOnlyList<Loose<string>>> node, string at, List<ValidationError> errors)
    {
        var list = new List<string>();
        if (!node.Given) return list;
        if (!node.Ok) { errors.Add(new(at, $"expected an array of figure names ({string.Join(", ", WorkshopFigures.Names)}), got {JsonInput.Kind(node.Raw)}.")); return list; }
        var fa = node.Value;
        for (int k = 0; k < fa.Count; k++)
        {
            if (!fa[k].Ok) { errors.Add(new($"{at}[{k}]", $"expected a figure name (a string), got {JsonInput.Kind(fa[k].Raw)}.")); continue; }
            var name = fa[k].Value;
            if (!WorkshopFigures.Names.Contains(name)) errors.Add(new($"{at}[{k}]", $"unknown figure '{name}'; known: {string.Join(", ", WorkshopFigures.Names)}."));
            else if (list.Contains(name)) errors.Add(new($"{at}[{k}]", $"the figure '{name}' is named twice."));
            else list.Add(name);
        }
        return list;
    }

    /// <summary>A step's scenario: a built-in scenario or a file (relative to the card), with "set" changes by path and replicates.</summary>
    private static Scenario RunScenario(WorkshopRunContract run, string dir, string at, bool allowOutsidePaths)
    {
        var errors = new List<ValidationError>();
        JsonInput.UnknownFields(run.Unknown, at, RunFields, errors);
        var name = JsonInput.String(run.Scenario, at + ".scenario", errors, required: true);
        int? replicates = JsonInput.Int(run.Replicates, at + ".replicates", errors, null, 1, 100_000);
        if (run.Set is { Given: true, Ok: false }) errors.Add(new(at + ".set", $"expected an object of path: value, got {JsonInput.Kind(run.Set.Raw)}."));
        Parameters.ThrowIfAny(errors);
        JsonObject? doc = null; string scenarioDir = dir;
        if (Scenario.BuiltinNames.Contains(name!) && !File.Exists(Path.Combine(dir, name!))) doc = JsonNode.Parse(Scenario.Builtin(name!).Json)!.AsObject();
        else if (JsonInput.ResolveReference(dir, name!, at + ".scenario", allowOutsidePaths, errors) is string file)
        {
            if (!File.Exists(file)) errors.Add(new(at + ".scenario", $"'{name}' is neither a scenario file nor a built-in scenario ({string.Join(", ", Scenario.BuiltinNames)})."));
            else { doc = JsonInput.ReadReference(file, at + ".scenario", "a scenario", errors); scenarioDir = Path.GetDirectoryName(file)!; }
        }
        Parameters.ThrowIfAny(errors);
        foreach (var (path, value) in run.Set.Ok ? run.Set.Value : [])
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

/// <summary>One row of a workshop figure: its keys (arm, system, party, … as the table's key columns name them) and its value over replicates.</summary>
/// <param name="Keys">Key values, one per <see cref="FigureTable.KeyNames"/>.</param>
/// <param name="Value">Mean over replicates with its 95% Student-t interval (zero width with one replicate); NaN when undefined.</param>
/// <param name="HasInterval">False for ratios of means (cost per extra vote), which have no interval.</param>
public sealed record FigureRow(IReadOnlyList<string> Keys, Estimate Value, bool HasInterval);

/// <summary>One figure of one run, as <c>workbench workshop --step</c> prints it and the trainer pack tabulates it.</summary>
/// <param name="Figure">Its name (<see cref="WorkshopFigures.Names"/>).</param><param name="Title">What it measures, with its unit.</param>
/// <param name="KeyNames">The key columns.</param><param name="Rows">One row per key, in the run's order.</param>
/// <param name="IsChange">True when the figure is an arm minus the baseline (zero means no effect).</param>
/// <param name="Replicates">The replicates the run had.</param>
public sealed record FigureTable(string Figure, string Title, IReadOnlyList<string> KeyNames, IReadOnlyList<FigureRow> Rows, bool IsChange, int Replicates)
{
    /// <summary>A value formatted as this figure prints it (invariant culture; "—" for NaN).</summary>
    public string Format(double value) => WorkshopFigures.Format(Figure, value);

    /// <summary>
    /// Whether a row shows an interval: it has one, and its bounds differ at the precision the figure prints (a zero-width
    /// interval, or one narrower than the last digit shown, adds nothing to the mean).
    /// </summary>
    public bool ShowsInterval(FigureRow row) =>
        row.HasInterval && !double.IsNaN(row.Value.Mean) && Format(row.Value.Low) != Format(row.Value.High);

    /// <summary>The smallest value the figure can take (a share or count cannot be negative); negative infinity for a change.</summary>
    public double Minimum { get; init; } = double.NegativeInfinity;

    /// <summary>The largest value the figure can take (1 for a proportion, 100 for a percentage, the electorate for voters reached); infinity when unbounded.</summary>
    public double Maximum { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// A row's 95% interval as displayed: the Student-t bounds clipped to [<see cref="Minimum"/>, <see cref="Maximum"/>]
    /// (with few replicates the t interval can stray past what the figure can be), and whether clipping changed either bound.
    /// </summary>
    public (double Low, double High, bool Clipped) Displayed(FigureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        double low = Math.Max(Minimum, row.Value.Low), high = Math.Min(Maximum, row.Value.High);
        return (low, high, low != row.Value.Low || high != row.Value.High);
    }

    /// <summary>The words that mark a displayed interval as clipped.</summary>
    public const string ClippedNote = "clipped to the possible range";

    /// <summary>A row's displayed interval: "0.70 to 0.76", with " (clipped to the possible range)" when a bound was clipped.</summary>
    public string FormatInterval(FigureRow row)
    {
        var (low, high, clipped) = Displayed(row);
        return $"{Format(low)} to {Format(high)}" + (clipped ? $" ({ClippedNote})" : "");
    }

    /// <summary>A row's value with its interval: "0.73 (0.70 to 0.76)", or the bare value when <see cref="ShowsInterval"/> is false; a clipped interval says so.</summary>
    public string FormatWithInterval(FigureRow row) =>
        ShowsInterval(row) ? $"{Format(row.Value.Mean)} ({FormatInterval(row)})" : Format(row.Value.Mean);
}

/// <summary>
/// The fixed vocabulary of figures a workshop step may declare (<c>"figures": ["seatChange", "precision"]</c>), each computed
/// from a <see cref="SimulationResult"/> the same way for <c>workbench workshop --step</c> and the trainer pack. Values are means
/// over replicates with a 95% Student-t interval (<see cref="Stats.Interval"/>), except cost per extra vote (a ratio of means).
/// </summary>
public static class WorkshopFigures
{
    private static readonly (string Name, string Title, string Description)[] All =
    [
        ("seats", "Seats per party in the baseline election", "Seats each party wins without any campaign, under each electoral system."),
        ("share", "Vote share per party in the baseline election (%)", "Each party's share of the valid vote without any campaign."),
        ("gallagher", "Disproportionality of the baseline election (Gallagher index)", "Gallagher's least-squares index of the gap between vote and seat shares, per system (0 = proportional)."),
        ("seatChange", "Change in seats of each campaign's party (arm minus baseline)", "Seats won by the sponsoring party in the arm minus the baseline, on the same ballots' draws."),
        ("shareChange", "Change in vote share of each campaign's party (percentage points, arm minus baseline)", "Vote share of the sponsoring party in the arm minus the baseline."),
        ("spend", "Spend of each campaign", "Money each campaign spent (after caps and bans)."),
        ("costPerVote", "Cost per extra vote of each campaign", "Mean spend divided by the mean extra votes over the baseline; \"—\" when the campaign gained no votes on average."),
        ("precision", "Targeting precision of each campaign (share of contacted voters on target)", "The share of the voters a campaign contacted who were, judged with their true preferences, likely supporters of its party or persuadable voters; a broadcast campaign aims at no one, so its precision is the level without targeting."),
        ("closestQuarterSpend", "Share of each campaign's spend in the closest quarter of seats (%)", "The share of spend that went to the quarter of constituencies with the smallest expected winning margin."),
        ("reached", "Voters each campaign reached", "Distinct voters contacted at least once."),
        ("informationGini", "How unequally campaign contacts were spread over voters (information Gini)", "Gini coefficient of campaign contacts per voter in each arm (0 = everyone contacted equally)."),
        ("premium", "What targeting adds for Red: red-microtargets minus red-broadcasts, paired by replicate", "Red's seats and vote share (points) when it microtargets minus when it broadcasts the same budget over the same channels, replicate by replicate (needs the arms red-microtargets and red-broadcasts, as in scenario classroom-targeting)."),
        ("violations", "Violations of the step's rules per replicate, and what oversight did", "Per arm and replicate: violations committed, detected by oversight, taken down, and fines imposed."),
    ];

    /// <summary>The figure names, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name)];

    /// <summary>A figure's title (what it measures, with its unit). An unknown name is an ArgumentException naming the known ones.</summary>
    public static string Title(string figure) => Find(figure).Title;

    /// <summary>A figure's one-sentence description (the documentation's vocabulary table).</summary>
    public static string Describe(string figure) => Find(figure).Description;

    private static (string Name, string Title, string Description) Find(string figure)
    {
        foreach (var f in All) if (f.Name == figure) return f;
        throw new ArgumentException($"Unknown figure '{figure}'; known: {string.Join(", ", Names)}.", nameof(figure));
    }

    /// <summary>The arm whose targeting the <c>premium</c> figure measures.</summary>
    public const string PremiumArm = "red-microtargets";
    /// <summary>The arm that broadcasts the same budget over the same channels, against which <c>premium</c> is measured.</summary>
    public const string PremiumAgainst = "red-broadcasts";
    /// <summary>The party of both arms of the <c>premium</c> figure.</summary>
    public const string PremiumParty = "Red";

    /// <summary>A value formatted as the figure prints it (invariant culture; "—" for NaN).</summary>
    public static string Format(string figure, double value)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        if (double.IsNaN(value)) return "—";
        string s = figure switch
        {
            "seats" or "share" or "closestQuarterSpend" => value.ToString("F1", ci),
            "gallagher" or "seatChange" or "shareChange" or "violations" or "premium" => value.ToString("F2", ci),
            "spend" or "reached" => value.ToString("N0", ci),
            "costPerVote" => value.ToString("N1", ci),
            "precision" or "informationGini" => value.ToString("F3", ci),
            _ => throw new ArgumentException($"Unknown figure '{figure}'; known: {string.Join(", ", Names)}.", nameof(figure)),
        };
        return s.StartsWith('-') && s.Trim('-', '0', '.', ',') == "" ? s[1..] : s;
    }

    /// <summary>Computes one figure from a run. An unknown name is an ArgumentException naming the known ones.</summary>
    public static FigureTable Compute(string figure, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var title = Title(figure);
        int n = result.ReplicateSeeds.Count;
        var campaigns = result.Spend.GroupBy(s => (s.Arm, s.Party));
        var effects = result.Effects().Where(e => e.Spend > 0).ToArray();
        var arms = result.Rows.Select(r => r.Arm).Where(a => a != "baseline").Distinct().ToArray();
        var table = Table(figure, result, title, n, campaigns, effects, arms);
        return figure switch
        {
            "share" or "closestQuarterSpend" => table with { Minimum = 0, Maximum = 100 },
            "precision" or "informationGini" => table with { Minimum = 0, Maximum = 1 },
            "reached" => table with { Minimum = 0, Maximum = result.Scenario.Voters },
            "seats" or "gallagher" or "spend" or "violations" => table with { Minimum = 0 },
            _ => table,
        };
    }

    private static FigureTable Table(string figure, SimulationResult result, string title, int n, IEnumerable<IGrouping<(string Arm, string Party), SpendRow>> campaigns, Effect[] effects, string[] arms)
    {
        static FigureRow Row(Estimate e, params string[] keys) => new(keys, e, true);
        return figure switch
        {
            "seats" => new(figure, title, ["system", "party"], result.Rows.Where(r => r.Arm == "baseline").GroupBy(r => (r.System, r.Party))
                .Select(g => Row(Stats.Interval(g.Select(r => (double)r.Seats)), g.Key.System, g.Key.Party)).ToArray(), false, n),
            "share" => new(figure, title, ["party"], result.Rows.Where(r => r.Arm == "baseline").GroupBy(r => r.System).First().GroupBy(r => r.Party)
                .Select(g => Row(Stats.Interval(g.Select(r => 100 * r.Share)), g.Key)).ToArray(), false, n),
            "gallagher" => new(figure, title, ["system"], result.SystemRows.Where(r => r.Arm == "baseline").GroupBy(r => r.System)
                .Select(g => Row(Stats.Interval(g.Select(r => r.Gallagher)), g.Key)).ToArray(), false, n),
            "seatChange" => new(figure, title, ["arm", "system", "party"], effects.Select(e => Row(e.SeatChange, e.Arm, e.System, e.Party)).ToArray(), true, n),
            "shareChange" => new(figure, title, ["arm", "party"], effects.GroupBy(e => (e.Arm, e.Party)).Select(g => Row(g.First().ShareChangePoints, g.Key.Arm, g.Key.Party)).ToArray(), true, n),
            "costPerVote" => new(figure, title, ["arm", "party"], effects.GroupBy(e => (e.Arm, e.Party))
                .Select(g => new FigureRow([g.Key.Arm, g.Key.Party], g.First().CostPerVote is double c ? new Estimate(c, c, c) : new Estimate(double.NaN, double.NaN, double.NaN), false)).ToArray(), false, n),
            "spend" => new(figure, title, ["arm", "party"], campaigns.Select(g => Row(Stats.Interval(g.Select(s => s.Spend)), g.Key.Arm, g.Key.Party)).ToArray(), false, n),
            "precision" => new(figure, title, ["arm", "party"], campaigns.Select(g => Row(Stats.Interval(g.Select(s => s.Precision)), g.Key.Arm, g.Key.Party)).ToArray(), false, n),
            "closestQuarterSpend" => new(figure, title, ["arm", "party"], campaigns.Select(g => Row(Stats.Interval(g.Select(s => 100 * s.MarginalQuarterShare)), g.Key.Arm, g.Key.Party)).ToArray(), false, n),
            "reached" => new(figure, title, ["arm", "party"], campaigns.Select(g => Row(Stats.Interval(g.Select(s => (double)s.VotersContacted)), g.Key.Arm, g.Key.Party)).ToArray(), false, n),
            "informationGini" => new(figure, title, ["arm"], result.SystemRows.Where(r => r.Arm != "baseline").GroupBy(r => r.Arm)
                .Select(g => Row(Stats.Interval(g.GroupBy(r => r.Replicate).Select(r => r.Average(x => x.InformationGini))), g.Key)).ToArray(), false, n),
            "premium" => new(figure, title, ["system", "measure"], result.Contrasts(PremiumArm, PremiumAgainst, PremiumParty)
                .SelectMany(c => new[] { Row(c.SeatDifference, c.System, "seats"), Row(c.ShareDifferencePoints, c.System, "vote share (points)") }).ToArray(), true, n),
            "violations" => new(figure, title, ["arm", "measure"], arms.SelectMany(a =>
            {
                var reps = result.ReplicateSeeds.Select((_, i) => result.Violations.Where(v => v.Arm == a && v.Replicate == i).ToArray()).ToArray();
                return new[]
                {
                    Row(Stats.Interval(reps.Select(v => (double)v.Length)), a, "violations"),
                    Row(Stats.Interval(reps.Select(v => (double)v.Count(x => x.Detected))), a, "detected"),
                    Row(Stats.Interval(reps.Select(v => (double)v.Count(x => x.TakenDown))), a, "taken down"),
                    Row(Stats.Interval(reps.Select(v => v.Sum(x => x.Sanction))), a, "fines"),
                };
            }).ToArray(), false, n),
            _ => throw new ArgumentException($"Unknown figure '{figure}'; known: {string.Join(", ", Names)}.", nameof(figure)),
        };
    }
}

/// <summary>
/// A workshop card as its contract reads it (<see cref="WorkshopCard.Parse"/>): loose fields (<see cref="Loose{T}"/>) and
/// unknown fields collected in <see cref="Unknown"/>, so the parser reports every problem of the card at once, each with its
/// path (docs/workshop.md).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record WorkshopCardContract
{
    /// <summary>Title.</summary>
    public Loose<string> Title { get; init; }
    /// <summary>Length in minutes.</summary>
    public Loose<int> Minutes { get; init; }
    /// <summary>The electorate preset.</summary>
    public Loose<string> Preset { get; init; }
    /// <summary>Who it is for.</summary>
    public Loose<string> Audience { get; init; }
    /// <summary>What participants should leave with.</summary>
    public Loose<string> Goal { get; init; }
    /// <summary>The steps.</summary>
    public Loose<IReadOnlyList<Loose<WorkshopStepContract>>> Steps { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>One step of a workshop card, read loosely (see <see cref="WorkshopCardContract"/>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record WorkshopStepContract
{
    /// <summary>Its minutes.</summary>
    public Loose<int> Minutes { get; init; }
    /// <summary>Its title.</summary>
    public Loose<string> Title { get; init; }
    /// <summary>What participants do.</summary>
    public Loose<string> Activity { get; init; }
    /// <summary>The scenario the facilitator runs.</summary>
    public Loose<WorkshopRunContract> Run { get; init; }
    /// <summary>What to look at.</summary>
    public Loose<string> Look { get; init; }
    /// <summary>The figures discussed.</summary>
    public Loose<IReadOnlyList<Loose<string>>> Figures { get; init; }
    /// <summary>Question ids from questions.json.</summary>
    public Loose<IReadOnlyList<Loose<string>>> Questions { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>
/// A step's <c>run</c>, read loosely (see <see cref="WorkshopCardContract"/>). Its <c>set</c> is keyed by paths into the
/// scenario (as a sweep's parameters), so it stays a <see cref="JsonObject"/> whose entries the parser checks one by one.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record WorkshopRunContract
{
    /// <summary>A built-in scenario or a scenario file.</summary>
    public Loose<string> Scenario { get; init; }
    /// <summary>Replicates.</summary>
    public Loose<int> Replicates { get; init; }
    /// <summary>Changes by path.</summary>
    public Loose<JsonObject> Set { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>
/// A card's questions.json as its contract reads it, loosely (see <see cref="WorkshopCardContract"/>). Its
/// <c>recommendations</c> are keyed by recommendation id, so they stay a <see cref="JsonObject"/> the parser checks entry by entry.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record WorkshopQuestionsContract
{
    /// <summary>Where the recommendations come from.</summary>
    public Loose<string> Source { get; init; }
    /// <summary>Recommendation id: text.</summary>
    public Loose<JsonObject> Recommendations { get; init; }
    /// <summary>The questions.</summary>
    public Loose<IReadOnlyList<Loose<WorkshopQuestionContract>>> Questions { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>One question of questions.json, read loosely (see <see cref="WorkshopCardContract"/>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record WorkshopQuestionContract
{
    /// <summary>Its id.</summary>
    public Loose<string> Id { get; init; }
    /// <summary>The recommendation it is tied to.</summary>
    public Loose<string> Recommendation { get; init; }
    /// <summary>The question.</summary>
    public Loose<string> Text { get; init; }
    /// <summary>The figures it discusses.</summary>
    public Loose<IReadOnlyList<Loose<string>>> Figures { get; init; }
    /// <summary>The step it compares with.</summary>
    public Loose<int> Against { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
