using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Experiments;
using Workbench.Notebooks;

namespace Workbench.Cli.Commands;

/// <summary>
/// The manifest of a <c>workbench run</c> output folder (reviewers): for every executed notebook, its source (relative
/// to the folder), the source's SHA-256, the parameters, the library version, commit and SDK. <c>workbench verify DIR</c> reruns
/// each notebook from it and compares the outputs with the recorded ones cell by cell as <c>run --check</c> does
/// (<see cref="OutputCheck"/>), timings aside; with <c>--tolerance</c>, numbers within it are drift.
/// </summary>
internal static class NotebookManifest
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Adds or replaces the entries of the notebooks just run in DIR/manifest.json. The entries of notebooks not rerun are kept
    /// as they are written, read through the contract <c>workbench verify</c> reads (<see cref="Read"/>); a file there that is
    /// not a notebooks manifest (another kind, or not JSON) is replaced.
    /// </summary>
    /// <exception cref="InvalidDataException">DIR/manifest.json is a notebooks manifest with a damaged entry (named by its JSON path).</exception>
    public static void Update(string dir, IReadOnlyList<(string Name, string Source, bool Succeeded)> runs, IReadOnlyDictionary<string, string> parameters)
    {
        var path = Path.Combine(dir, "manifest.json");
        var entries = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        if (File.Exists(path) && Read(path) is { } earlier)
            foreach (var (entry, written) in earlier) entries[entry.Executed!] = written.DeepClone();
        var (version, commit) = Simulation.LibraryVersion();
        var sdk = Simulation.BuildEnvironment().Sdk;
        foreach (var (name, source, ok) in runs)
            entries[name + ".ipynb"] = new JsonObject
            {
                ["executed"] = name + ".ipynb", ["source"] = Path.GetRelativePath(Path.GetFullPath(dir), Path.GetFullPath(source)).Replace('\\', '/'),
                ["sourceSha256"] = Sha(File.ReadAllBytes(source)), ["succeeded"] = ok,
                ["parameters"] = new JsonObject(parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["library"] = version, ["commit"] = commit, ["sdk"] = sdk,
            };
        var manifest = new JsonObject { ["kind"] = "notebooks", ["notebooks"] = new JsonArray(entries.Values.Select(e => (JsonNode?)e).ToArray()) };
        Tables.AtomicFile.WriteAllText(path, manifest.ToJsonString(Pretty) + "\n");
    }

    /// <summary>
    /// The executed notebooks recorded in the manifest at <paramref name="path"/>, each read through the command line's contract
    /// (<see cref="NotebooksJson"/>) and checked field by field, with the entry as the file writes it; null when the file is not a
    /// notebooks manifest (JSON the shared layer refuses, or another <c>kind</c>: a simulation or sweep manifest).
    /// </summary>
    /// <exception cref="InvalidDataException">A notebooks manifest with a damaged entry: the file, the JSON path and what it must be.</exception>
    public static IReadOnlyList<(NotebookEntryContract Entry, JsonNode Written)>? Read(string path)
    {
        JsonObject? m;
        // Through the shared JSON layer (duplicate keys, depth); a manifest it refuses is not a notebooks manifest.
        try { m = Workbench.Json.JsonInput.ParseObject(File.ReadAllText(path), "a run manifest"); }
        catch (SpecValidationException) { return null; }
        // Through the contract (NotebooksJson): the kind first (another kind is not read further), then the notebooks.
        var errors = new List<ValidationError>();
        var manifest = Workbench.Json.JsonInput.Deserialize(m, "$", errors, NotebooksJson.Contract.NotebooksManifestContract);
        if (manifest?.Kind != "notebooks") return null;
        var list = manifest.Notebooks is JsonArray ? Workbench.Json.JsonInput.Deserialize(manifest.Notebooks, "$.notebooks", errors, NotebooksJson.Contract.IReadOnlyListNotebookEntryContract) : null;
        if (errors.Count > 0) throw new InvalidDataException($"{path}: {errors[0].Path} {errors[0].Message}");
        if (list is null) throw new InvalidDataException($"{path}: $.notebooks must be an array of executed notebooks.");
        var written = manifest.Notebooks!.AsArray();
        var read = new List<(NotebookEntryContract, JsonNode)>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            string at = $"$.notebooks[{i}]";
            if (list[i].Executed is null) throw new InvalidDataException($"{path}: {at}.executed must be a non-empty string.");
            if (list[i].Source is null) throw new InvalidDataException($"{path}: {at}.source must be a non-empty string.");
            if (list[i].Parameters is not JsonObject pars) throw new InvalidDataException($"{path}: {at}.parameters must be an object (name → value).");
            foreach (var (name, value) in pars)
                if (value is not JsonValue pv || !pv.TryGetValue<string>(out _)) throw new InvalidDataException($"{path}: {at}.parameters.{name} must be a string.");
            read.Add((list[i], written[i]!));
        }
        return read;
    }

    /// <summary>Reruns every notebook of a run manifest and compares its outputs, cell by cell, with the executed notebook on disk (timings masked).</summary>
    public static VerifyReport Verify(string dir, IReadOnlyList<NotebookEntryContract> notebooks, IProgress<string>? log, double? tolerance = null)
    {
        var diffs = new List<FigureDifference>();
        var notes = new List<string>();
        var (version, commit) = Simulation.LibraryVersion();
        long compared = 0;
        foreach (var e in notebooks)
        {
            string executed = e.Executed!;
            var source = Path.GetFullPath(Path.Combine(dir, e.Source!));
            if (!File.Exists(source)) { diffs.Add(new(executed, 0, "", "source", e.Source!, "(missing)")); continue; }
            if (Sha(File.ReadAllBytes(source)) != e.SourceSha256) notes.Add($"{executed}: the source notebook changed since the run");
            if (e.Commit is string c && c != commit) notes.Add($"{executed}: recorded with commit {c}; rerun with {commit}");
            if (e.Library is string l && l != version) notes.Add($"{executed}: recorded with library {l}; rerun with {version}");
            var pars = e.Parameters!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
            log?.Report($"rerunning {e.Source}");
            Notebook sourceNotebook;
            try { sourceNotebook = Notebook.Load(source); }
            catch (FormatException ex) { throw new InvalidDataException($"{source}: the recorded notebook cannot be rerun: {ex.Message}", ex); }
            var run = Runner.RunAsync(sourceNotebook, Path.GetDirectoryName(source)!, new RunOptions { Parameters = pars, WorkerCommand = RunWorkerCommand.Command() }).GetAwaiter().GetResult();
            Notebook recorded;
            // Wall-clock timings printed by cells are not results: masked on both sides, as before.
            try { recorded = Notebook.Parse(Runner.MaskTimings(File.ReadAllText(Path.Combine(dir, executed)))); }
            catch (FormatException ex) { throw new InvalidDataException($"{executed}: the recorded notebook cannot be read: {ex.Message}", ex); }
            // Every cell's outputs as `workbench run --check` compares them (numbers, charts by their data); with a tolerance,
            // the differences within it are drift and only those beyond it fail.
            var rerun = Notebook.Parse(Runner.MaskTimings(run.Executed.ToJson()));
            var all = OutputCheck.Compare(recorded, rerun, 0);
            var beyond = tolerance is double t && t > 0 ? OutputCheck.Compare(recorded, rerun, t) : null;
            var beyondWhere = beyond?.Select(d => (d.CellIndex, d.Where)).ToHashSet();
            var beyondOutput = beyond?.Select(d => (d.CellIndex, OutputOf(d.Where))).ToHashSet();
            compared += recorded.Cells.Count(c => c.Type == "code");
            foreach (var d in all)
            {
                // Drift: a number or chart value that differs within the tolerance ("N more numbers differ" lines count as drift
                // only when nothing in their output is beyond it); text and structure never drift.
                bool numeric = d.Where.Contains(" number ", StringComparison.Ordinal) || d.Where.Contains("chart data", StringComparison.Ordinal) || d.Committed.EndsWith(" more numbers differ", StringComparison.Ordinal);
                bool drift = beyondWhere is not null && numeric && !beyondWhere.Contains((d.CellIndex, d.Where))
                    && !(d.Committed.EndsWith(" more numbers differ", StringComparison.Ordinal) && beyondOutput!.Contains((d.CellIndex, OutputOf(d.Where))));
                diffs.Add(new(executed, d.CodeCell, $"code cell {d.CodeCell}", d.Where, d.Committed, d.Now, drift));
            }
        }
        return new VerifyReport("notebooks", compared, diffs, notes);
    }

    /// <summary>"output K" of a difference's location ("output 3 (text/html) number 2 (…)" → "output 3").</summary>
    private static string OutputOf(string where) => string.Join(' ', where.Split(' ').Take(2));

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
