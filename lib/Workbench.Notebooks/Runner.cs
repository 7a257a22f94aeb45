using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workbench.Notebooks.Display;
using Workbench.Notebooks.Engine;

namespace Workbench.Notebooks;

/// <summary>Options of a notebook run.</summary>
public sealed record RunOptions
{
    /// <summary>Overrides of the cell tagged "parameters": name → C# literal text (as papermill does).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>Per-cell timeout.</summary>
    public TimeSpan? CellTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Called before each code cell (notebook, cell index, cell count).</summary>
    public Action<int, int>? OnCell { get; init; }
    /// <summary>
    /// The command (program and arguments) that starts a worker process serving <see cref="WorkerHost"/>, e.g.
    /// <c>workbench run-worker</c>: the notebook's cells then run in that process (<see cref="WorkerSession"/>), so a
    /// cell that ends or wedges its process fails this notebook only. Null (the default): the cells run in this process.
    /// </summary>
    public IReadOnlyList<string>? WorkerCommand { get; init; }
    /// <summary>How long a cell cancelled by its timeout or an interrupt gets to stop; a worker is ended after it (default 3 s).</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>The outcome of running one notebook.</summary>
public sealed record NotebookRun(Notebook Executed, int CodeCells, int FailedCell, string? Error, TimeSpan Elapsed)
{
    /// <summary>True when every cell ran without error.</summary>
    public bool Succeeded => FailedCell < 0;
}

/// <summary>
/// Executes notebooks headless in a fresh session each (the engine of <c>workbench run</c>): a
/// <see cref="ScriptSession"/> in this process, or one in a worker process of its own when
/// <see cref="RunOptions.WorkerCommand"/> is given. Stops at the first failing cell as Jupyter's nbconvert
/// does, and renders executed notebooks as standalone offline HTML.
/// </summary>
public static class Runner
{
    /// <summary>Runs a notebook whose relative paths resolve against <paramref name="folder"/>.</summary>
    public static async Task<NotebookRun> RunAsync(Notebook source, string folder, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        using ICellSession session = options.WorkerCommand is { } command
            ? WorkerSession.Start(command, folder, options.CellTimeout, options.GracePeriod)
            : new ScriptSession(folder) { CellTimeout = options.CellTimeout, GracePeriod = options.GracePeriod };
        return await RunAsync(source, session, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a notebook in a session the caller made (and disposes): a fresh one, whose folder, timeout and grace period
    /// apply (those of <paramref name="options"/> do not); <c>workbench run</c> starts the next notebook's worker this
    /// way while the current one runs.
    /// </summary>
    public static async Task<NotebookRun> RunAsync(Notebook source, ICellSession session, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(session);
        options ??= new RunOptions();
        var nb = source.Clone();
        var sw = Stopwatch.StartNew();
        ApplyParameters(nb, options.Parameters);
        int count = 0, failed = -1;
        string? error = null;
        var cells = nb.Cells;
        int codeCells = cells.Count(c => c.Type == "code");
        foreach (var cell in cells)
        {
            if (cell.Type != "code") continue;
            if (cell.Language == "markdown")
            {
                // A #!markdown code cell (Polyglot): keep it as it is, no outputs.
                cell.Json["outputs"] = new JsonArray(); cell.Json["execution_count"] = null;
                continue;
            }
            count++;
            options.OnCell?.Invoke(cell.Index, cells.Count);
            if (failed >= 0) { cell.Json["outputs"] = new JsonArray(); cell.Json["execution_count"] = null; continue; }
            CellResult result;
            if (cell.Language != "csharp")
                result = new CellResult([new CellOutput("error", EName: "UnsupportedLanguage", EValue: $"Cell language '{cell.Language}' is not supported; Workbench runs C# cells.", Traceback: [$"UnsupportedLanguage: cell language '{cell.Language}'"])], true, TimeSpan.Zero);
            else result = await session.RunAsync(cell.Source, cancellationToken).ConfigureAwait(false);
            cell.Json["execution_count"] = count;
            cell.Json["outputs"] = OutputsJson(result.Outputs, count);
            if (result.Failed)
            {
                failed = cell.Index;
                var e = result.Outputs.LastOrDefault(o => o.OutputType == "error");
                error = e is null ? "cell failed" : $"{e.EName}: {e.EValue}";
            }
        }
        return new NotebookRun(nb, codeCells, failed, error, sw.Elapsed);
    }

    private static void ApplyParameters(Notebook nb, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.Count == 0) return;
        var cell = nb.Cells.FirstOrDefault(c => c.Tags.Contains("parameters"))
            ?? throw new ArgumentException("--parameters was given but the notebook has no cell tagged \"parameters\".");
        var sb = new StringBuilder("// Parameters injected by workbench run\n");
        foreach (var (k, v) in parameters)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(k, @"^[A-Za-z_][A-Za-z0-9_]*$")) throw new ArgumentException($"--parameters: '{k}' is not a C# identifier.");
            if (!System.Text.RegularExpressions.Regex.IsMatch(cell.Source, $@"\b{k}\b")) throw new ArgumentException($"--parameters: the parameters cell does not define '{k}'.");
            sb.Append(k).Append(" = ").Append(v).Append(";\n");
        }
        nb.AddCell("code", sb.ToString(), ["injected-parameters"]);
        // Move the injected cell (appended last) right after the parameters cell.
        var arr = (JsonArray)nb.Root["cells"]!;
        var node = arr[arr.Count - 1]!;
        arr.RemoveAt(arr.Count - 1);
        arr.Insert(cell.Index + 1, node);
        node["id"] = "injected-parameters";
    }

    internal static JsonArray OutputsJson(IReadOnlyList<CellOutput> outputs, int executionCount)
    {
        var arr = new JsonArray();
        var byId = new Dictionary<string, JsonObject>();
        foreach (var o in outputs)
        {
            switch (o.OutputType)
            {
                case "stream":
                    arr.Add(new JsonObject { ["name"] = o.StreamName, ["output_type"] = "stream", ["text"] = Notebook.SourceLines(o.Text ?? "") });
                    break;
                case "display_data":
                    if (o.IsUpdate && o.DisplayId is not null && byId.TryGetValue(o.DisplayId, out var existing))
                    {
                        existing["data"] = DataJson(o.Data!);
                        break;
                    }
                    var d = new JsonObject { ["data"] = DataJson(o.Data!), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" };
                    if (o.DisplayId is not null) { d["transient"] = new JsonObject { ["display_id"] = o.DisplayId }; byId[o.DisplayId] = d; }
                    arr.Add(d);
                    break;
                case "execute_result":
                    arr.Add(new JsonObject { ["data"] = DataJson(o.Data!), ["execution_count"] = executionCount, ["metadata"] = new JsonObject(), ["output_type"] = "execute_result" });
                    break;
                case "error":
                    arr.Add(new JsonObject
                    {
                        ["ename"] = o.EName, ["evalue"] = o.EValue, ["output_type"] = "error",
                        ["traceback"] = new JsonArray((o.Traceback ?? []).Select(t => (JsonNode)t!).ToArray()),
                    });
                    break;
            }
        }
        // nbformat: transient is not stored in files.
        foreach (var d in byId.Values) d.Remove("transient");
        return arr;
    }

    private static JsonObject DataJson(IReadOnlyDictionary<string, string> bundle)
    {
        var o = new JsonObject();
        foreach (var (mime, content) in bundle)
            o[mime] = mime.EndsWith("json", StringComparison.Ordinal) ? JsonNode.Parse(content) : Notebook.SourceLines(content);
        return o;
    }

    /// <summary>
    /// A notebook's JSON with what may legitimately differ between two runs masked: wall-clock timings printed by cells
    /// ("… 1.23 s", "12 ms") and execution-time metadata. Everything else — every number, table, chart and id — must be
    /// byte-identical between runs (executed notebooks are reproducible to the byte except timings).
    /// </summary>
    public static string MaskTimings(string notebookJson)
    {
        ArgumentNullException.ThrowIfNull(notebookJson);
        var s = System.Text.RegularExpressions.Regex.Replace(notebookJson, "\"(start_time|end_time|iopub\\.execute_input|shell\\.execute_reply|iopub\\.status\\.busy|iopub\\.status\\.idle)\": \"[^\"]*\"", "\"$1\": \"T\"");
        return System.Text.RegularExpressions.Regex.Replace(s, @"\b\d+(\.\d+)?\s?(ms|s|seconds|sec)\b", "T");
    }

    /// <summary>
    /// A standalone offline HTML page: the cells as the offline site renders them (<see cref="NotebookHtml.Cells"/>: markdown
    /// rendered, code, outputs, charts drawn from their figure data), plotly.js inlined once when there is a chart, never a CDN.
    /// </summary>
    public static string ToHtml(Notebook nb, string title)
    {
        ArgumentNullException.ThrowIfNull(nb);
        var (body, chartCount) = NotebookHtml.Cells(nb, new PageIds(), []);
        bool charts = chartCount > 0;
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.5}")
            .Append("pre{background:#f6f8fa;padding:.6em;overflow-x:auto}pre.source{border-left:3px solid #1f77b4}pre.error{background:#fdecea;color:#611a15}")
            .Append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:right}th{background:#f0f0f0}")
            .Append("</style>\n");
        if (charts) page.Append("<script type=\"text/javascript\">").Append(PlotlyFormatter.PlotlyJs().Replace("</script>", "<\\/script>")).Append("</script>\n");
        page.Append("</head><body>\n").Append(body).Append("</body></html>\n");
        return page.ToString();
    }
}
