using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Notebooks;

/// <summary>One difference between a notebook's committed outputs and a rerun's.</summary>
/// <param name="CellIndex">The cell's position among all cells (0-based).</param>
/// <param name="CodeCell">The cell's number among code cells (1-based), as <c>workbench run</c> reports cells.</param>
/// <param name="CellId">The cell's nbformat id, if it has one.</param>
/// <param name="Where">What differs: the output (1-based) and its MIME type or stream, or the cell's output count.</param>
/// <param name="Committed">The committed value (a short excerpt around the difference).</param>
/// <param name="Now">The rerun's value (the same excerpt).</param>
public sealed record OutputDifference(int CellIndex, int CodeCell, string? CellId, string Where, string Committed, string Now)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"code cell {CodeCell} (cell {CellIndex + 1}{(CellId is null ? "" : $", id {CellId}")}), {Where}:\n    committed: {Committed}\n    now:       {Now}";
}

/// <summary>
/// Compares the outputs committed in a notebook with those of a rerun, as nbval does for Python notebooks
/// (<c>workbench run --check</c>): text, tables and errors by their text with every number compared within a relative
/// tolerance (exact by default), charts by their figure data (the Plotly JSON, numbers within the same tolerance), and the
/// static picture that stands in for a chart where no script runs (<see cref="ChartImages.AddStaticPictures"/>) not at all, since it is
/// drawn from that data.
/// <para>
/// The tolerance of a cell is the largest of the caller's (<c>--tolerance</c>) and the one the notebook states: a cell's
/// <c>metadata.workbench.tolerance</c>, else the notebook's <c>metadata.workbench.tolerance</c>. A number within tolerance
/// satisfies |a − b| ≤ tolerance × max(|a|, |b|); with tolerance 0 the text must be identical.
/// </para>
/// </summary>
public static class OutputCheck
{
    private const string PlotlyMime = "application/vnd.plotly.v1+json";

    // A number as the chapters print it: an optional sign, digits with optional thousands separators, an optional
    // fraction and exponent ("-0.28", "75,010", "1.5e-3", "12.3%" → 12.3).
    private static readonly Regex NumberToken = new(@"(?<![\w.])[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[eE][-+]?\d+)?|(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", RegexOptions.CultureInvariant);

    /// <summary>The most differences reported per output before the rest are summarised.</summary>
    public const int MaxPerOutput = 3;

    /// <summary>
    /// The differences between the outputs of <paramref name="committed"/> and <paramref name="rerun"/>, cell by cell
    /// (empty when they agree). The two must have the same cells (the rerun of the committed notebook).
    /// </summary>
    public static IReadOnlyList<OutputDifference> Compare(Notebook committed, Notebook rerun, double tolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(rerun);
        if (!(tolerance >= 0) || double.IsInfinity(tolerance)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be a finite number, 0 or more.");
        var a = committed.Cells;
        var b = rerun.Cells;
        var diffs = new List<OutputDifference>();
        if (a.Count != b.Count)
        {
            diffs.Add(new OutputDifference(0, 0, null, "the number of cells", a.Count.ToString(CultureInfo.InvariantCulture), b.Count.ToString(CultureInfo.InvariantCulture)));
            return diffs;
        }
        double? notebookTolerance = StatedTolerance(committed.Root["metadata"]);
        int codeCell = 0;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i].Type != "code") continue;
            codeCell++;
            var id = a[i].Json["id"]?.GetValue<string>();
            double tol = Math.Max(tolerance, StatedTolerance(a[i].Json["metadata"]) ?? notebookTolerance ?? 0);
            var oa = a[i].Json["outputs"] as JsonArray ?? [];
            var ob = b[i].Json["outputs"] as JsonArray ?? [];
            void Add(string where, string was, string now) => diffs.Add(new OutputDifference(i, codeCell, id, where, was, now));
            if (oa.Count != ob.Count)
            {
                Add("the number of outputs", $"{oa.Count} ({Kinds(oa)})", $"{ob.Count} ({Kinds(ob)})");
                continue;
            }
            for (int k = 0; k < oa.Count; k++)
            {
                var x = (JsonObject)oa[k]!;
                var y = (JsonObject)ob[k]!;
                string kind = x["output_type"]?.GetValue<string>() ?? "?";
                string kindNow = y["output_type"]?.GetValue<string>() ?? "?";
                string at = $"output {k + 1}";
                if (kind != kindNow) { Add(at + " type", kind, kindNow); continue; }
                switch (kind)
                {
                    case "stream":
                        if (x["name"]?.GetValue<string>() != y["name"]?.GetValue<string>()) Add(at + " stream", $"{x["name"]}", $"{y["name"]}");
                        else CompareText($"{at} ({x["name"]})", Notebook.JoinSource(x["text"]), Notebook.JoinSource(y["text"]), tol, Add);
                        break;
                    case "error":
                        CompareText($"{at} (error)", $"{x["ename"]}: {x["evalue"]}", $"{y["ename"]}: {y["evalue"]}", tol, Add);
                        break;
                    default:
                        var dx = x["data"] as JsonObject ?? [];
                        var dy = y["data"] as JsonObject ?? [];
                        var mx = dx.Select(p => p.Key).Where(m => m != "image/png").Order(StringComparer.Ordinal).ToArray();
                        var my = dy.Select(p => p.Key).Where(m => m != "image/png").Order(StringComparer.Ordinal).ToArray();
                        if (!mx.SequenceEqual(my)) { Add(at + " MIME types", string.Join(", ", mx), string.Join(", ", my)); break; }
                        bool chart = dx.ContainsKey(PlotlyMime);
                        foreach (var mime in mx)
                        {
                            if (mime == PlotlyMime)
                            {
                                var found = new List<(string, string, string)>();
                                CompareJson("$", Figure(dx[mime]), Figure(dy[mime]), tol, found);
                                foreach (var (path, was, now) in found.Take(MaxPerOutput)) Add($"{at} (chart data {path})", was, now);
                                if (found.Count > MaxPerOutput) Add($"{at} (chart data)", $"{found.Count - MaxPerOutput} more differences", "");
                            }
                            // A chart's HTML carries the same figure: compared above, except for the element that draws it.
                            else if (chart && mime == "text/html") continue;
                            else CompareText($"{at} ({mime})", MimeText(mime, dx[mime]), MimeText(mime, dy[mime]), tol, Add);
                        }
                        break;
                }
            }
        }
        return diffs;
    }

    /// <summary>Throws <see cref="FormatException"/> naming the cell if the notebook or one of its cells states an invalid tolerance.</summary>
    public static void ValidateTolerances(Notebook nb)
    {
        ArgumentNullException.ThrowIfNull(nb);
        StatedTolerance(nb.Root["metadata"]);
        foreach (var c in nb.Cells)
        {
            try { StatedTolerance(c.Json["metadata"]); }
            catch (FormatException ex) { throw new FormatException($"cell {c.Index + 1}: {ex.Message}"); }
        }
    }

    /// <summary>The tolerance stated in a metadata object (<c>workbench.tolerance</c>), if any; throws on an invalid one.</summary>
    internal static double? StatedTolerance(JsonNode? metadata)
    {
        if (metadata?["workbench"]?["tolerance"] is not JsonNode t) return null;
        if (t is JsonValue v && v.TryGetValue<double>(out var d) && d >= 0 && double.IsFinite(d)) return d;
        throw new FormatException($"metadata.workbench.tolerance must be a number, 0 or more; got {t.ToJsonString()}.");
    }

    private static string Kinds(JsonArray outputs) => string.Join(", ", outputs.Select(o => o?["output_type"]?.GetValue<string>() ?? "?"));

    private static JsonNode? Figure(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? JsonNode.Parse(s) : node;

    private static string MimeText(string mime, JsonNode? node) =>
        mime.EndsWith("json", StringComparison.Ordinal) && node is JsonObject or JsonArray ? node.ToJsonString() : Notebook.JoinSource(node);

    /// <summary>Compares two texts: identical, or equal once every number is replaced by a placeholder and each pair of numbers is within tolerance.</summary>
    private static void CompareText(string where, string was, string now, double tol, Action<string, string, string> add)
    {
        if (was == now) return;
        var na = NumberToken.Matches(was);
        var nb = NumberToken.Matches(now);
        if (NumberToken.Replace(was, "#") != NumberToken.Replace(now, "#") || na.Count != nb.Count)
        {
            int p = 0;
            while (p < was.Length && p < now.Length && was[p] == now[p]) p++;
            add(where + $" text at character {p + 1}", Excerpt(was, p), Excerpt(now, p));
            return;
        }
        int reported = 0, more = 0;
        for (int j = 0; j < na.Count; j++)
        {
            if (na[j].Value == nb[j].Value) continue;
            double x = Parse(na[j].Value), y = Parse(nb[j].Value);
            if (Within(x, y, tol)) continue;
            if (reported++ >= MaxPerOutput) { more++; continue; }
            add(where + $" number {j + 1} ({Rel(x, y)})", Excerpt(was, na[j].Index, na[j].Length), Excerpt(now, nb[j].Index, nb[j].Length));
        }
        if (more > 0) add(where, $"{more} more numbers differ", "");
    }

    private static void CompareJson(string path, JsonNode? a, JsonNode? b, double tol, List<(string, string, string)> found)
    {
        switch (a, b)
        {
            case (null, null): return;
            case (JsonObject oa, JsonObject ob):
                foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    if (!oa.ContainsKey(key) || !ob.ContainsKey(key)) { found.Add(($"{path}.{key}", oa.ContainsKey(key) ? "present" : "absent", ob.ContainsKey(key) ? "present" : "absent")); continue; }
                    CompareJson($"{path}.{key}", oa[key], ob[key], tol, found);
                }
                return;
            case (JsonArray xa, JsonArray xb):
                if (xa.Count != xb.Count) { found.Add((path, $"{xa.Count} items", $"{xb.Count} items")); return; }
                for (int i = 0; i < xa.Count; i++) CompareJson($"{path}[{i}]", xa[i], xb[i], tol, found);
                return;
            case (JsonValue va, JsonValue vb):
                if (va.TryGetValue<double>(out var x) && vb.TryGetValue<double>(out var y))
                {
                    if (!Within(x, y, tol)) found.Add(($"{path} ({Rel(x, y)})", x.ToString("R", CultureInfo.InvariantCulture), y.ToString("R", CultureInfo.InvariantCulture)));
                    return;
                }
                if (va.ToJsonString() != vb.ToJsonString()) found.Add((path, Excerpt(va.ToJsonString(), 0), Excerpt(vb.ToJsonString(), 0)));
                return;
            default:
                found.Add((path, Excerpt(a?.ToJsonString() ?? "null", 0), Excerpt(b?.ToJsonString() ?? "null", 0)));
                return;
        }
    }

    private static double Parse(string token) => double.Parse(token.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool Within(double a, double b, double tol) =>
        a == b || (double.IsFinite(a) && double.IsFinite(b) && Math.Abs(a - b) <= tol * Math.Max(Math.Abs(a), Math.Abs(b)));

    private static string Rel(double a, double b)
    {
        double m = Math.Max(Math.Abs(a), Math.Abs(b));
        return m == 0 ? "differs" : string.Create(CultureInfo.InvariantCulture, $"relative difference {Math.Abs(a - b) / m:G3}");
    }

    /// <summary>About 40 characters either side of position <paramref name="at"/>, on one line, the token itself marked with » «.</summary>
    private static string Excerpt(string s, int at, int length = 0)
    {
        int from = Math.Max(0, at - 40), to = Math.Min(s.Length, at + length + 40);
        var sb = new StringBuilder();
        if (from > 0) sb.Append('…');
        sb.Append(s, from, at - from);
        if (length > 0) sb.Append('»').Append(s, at, length).Append('«');
        sb.Append(s, at + length, Math.Max(0, to - at - length));
        if (to < s.Length) sb.Append('…');
        return sb.ToString().Replace("\n", "⏎", StringComparison.Ordinal);
    }

    /// <summary>
    /// Removes what may differ between two executions without being a result: execution-time metadata that Jupyter or VS
    /// Code add to cells (<c>execution</c>, <c>ExecuteTime</c>) and the outputs' transient fields. The runner itself prints
    /// no timings, dates, paths or process ids into outputs (tested), so an executed chapter is byte-stable after this.
    /// </summary>
    public static void StripVolatile(Notebook nb)
    {
        ArgumentNullException.ThrowIfNull(nb);
        foreach (var cell in nb.Cells)
        {
            if (cell.Json["metadata"] is JsonObject m)
            {
                m.Remove("execution");
                m.Remove("ExecuteTime");
                m.Remove("collapsed");
                m.Remove("scrolled");
            }
            if (cell.Json["outputs"] is JsonArray outs)
                foreach (var o in outs.OfType<JsonObject>()) o.Remove("transient");
        }
    }
}
