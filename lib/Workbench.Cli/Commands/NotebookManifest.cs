using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Experiments;
using Workbench.Notebooks;

namespace Workbench.Cli.Commands;

/// <summary>
/// The manifest of a <c>workbench run</c> output folder (reviewers): for every executed notebook, its source (relative
/// to the folder), the source's SHA-256, the parameters, the library version, commit and SDK. <c>workbench verify DIR</c> reruns
/// each notebook from it and compares the outputs with the recorded ones, timings aside.
/// </summary>
internal static class NotebookManifest
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Adds or replaces the entries of the notebooks just run in DIR/manifest.json.</summary>
    public static void Update(string dir, IReadOnlyList<(string Name, string Source, bool Succeeded)> runs, IReadOnlyDictionary<string, string> parameters)
    {
        var path = Path.Combine(dir, "manifest.json");
        var entries = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject old && old["kind"]?.GetValue<string>() == "notebooks")
            foreach (var e in old["notebooks"]!.AsArray()) entries[e!["executed"]!.GetValue<string>()] = e.DeepClone();
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

    /// <summary>Reruns every notebook of a run manifest and compares its outputs, cell by cell, with the executed notebook on disk (timings masked).</summary>
    public static VerifyReport Verify(string dir, JsonObject manifest, IProgress<string>? log)
    {
        var diffs = new List<FigureDifference>();
        var notes = new List<string>();
        var (version, commit) = Simulation.LibraryVersion();
        long compared = 0;
        foreach (var e in manifest["notebooks"]!.AsArray())
        {
            string executed = e!["executed"]!.GetValue<string>();
            var source = Path.GetFullPath(Path.Combine(dir, e["source"]!.GetValue<string>()));
            if (!File.Exists(source)) { diffs.Add(new(executed, 0, "", "source", e["source"]!.GetValue<string>(), "(missing)")); continue; }
            if (Sha(File.ReadAllBytes(source)) != e["sourceSha256"]?.GetValue<string>()) notes.Add($"{executed}: the source notebook changed since the run");
            if (e["commit"]?.GetValue<string>() is string c && c != commit) notes.Add($"{executed}: recorded with commit {c}; rerun with {commit}");
            if (e["library"]?.GetValue<string>() is string l && l != version) notes.Add($"{executed}: recorded with library {l}; rerun with {version}");
            var pars = e["parameters"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
            log?.Report($"rerunning {e["source"]}");
            Notebook sourceNotebook;
            try { sourceNotebook = Notebook.Load(source); }
            catch (FormatException ex) { throw new InvalidDataException($"{source}: the recorded notebook cannot be rerun: {ex.Message}", ex); }
            var run = Runner.RunAsync(sourceNotebook, Path.GetDirectoryName(source)!, new RunOptions { Parameters = pars, WorkerCommand = RunWorkerCommand.Command() }).GetAwaiter().GetResult();
            var recorded = Outputs(Runner.MaskTimings(File.ReadAllText(Path.Combine(dir, executed))));
            var rerun = Outputs(Runner.MaskTimings(run.Executed.ToJson()));
            if (recorded.Count != rerun.Count) diffs.Add(new(executed, 0, "", "code cells", recorded.Count.ToString(), rerun.Count.ToString()));
            for (int i = 0; i < Math.Min(recorded.Count, rerun.Count); i++)
            {
                compared++;
                if (recorded[i] != rerun[i]) diffs.Add(new(executed, i + 1, $"code cell {i + 1}", "outputs", Snippet(recorded[i], rerun[i]), Snippet(rerun[i], recorded[i])));
            }
        }
        return new VerifyReport("notebooks", compared, diffs, notes);
    }

    private static List<string> Outputs(string notebookJson) =>
        JsonNode.Parse(notebookJson)!["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").Select(c => c!["outputs"]!.ToJsonString()).ToList();

    /// <summary>The text around the first difference.</summary>
    private static string Snippet(string a, string b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        int start = Math.Max(0, i - 40);
        return "…" + a.Substring(start, Math.Min(100, a.Length - start)) + "…";
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
