using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace Workbench.Notebooks.Display;

/// <summary>A handle to a displayed output: <see cref="Update"/> replaces it (update_display_data).</summary>
public sealed class DisplayHandle
{
    internal DisplayHandle(IDisplaySink? sink, string id) { Sink = sink; Id = id; }
    private IDisplaySink? Sink { get; }
    /// <summary>The display id.</summary>
    public string Id { get; }
    /// <summary>Replaces the displayed value.</summary>
    public void Update(object? value) => Sink?.Display(value, Id, update: true);
}

/// <summary><c>x.Display()</c> and the <c>display(x)</c> global, as in .NET Interactive.</summary>
public static class DisplayExtensions
{
    /// <summary>Displays the value as a rich output of the running cell.</summary>
    public static DisplayHandle Display(this object? value)
    {
        var s = DisplayContext.Current;
        var id = s?.NextDisplayId() ?? "display";
        s?.Display(value, id, update: false);
        return new DisplayHandle(s, id);
    }
}

/// <summary>
/// Turns values into MIME bundles. The convention that lets any library render richly without
/// referencing this one: a public <c>IReadOnlyDictionary&lt;string,string&gt; ToMimeBundle()</c>
/// method, or a public <c>string ToHtml()</c> method (text/html, with ToString() as text/plain).
/// Built in: Plotly.NET charts (application/vnd.plotly.v1+json + offline text/html + text/plain),
/// Microsoft.Data.Analysis DataFrames and Deedle frames (static HTML tables), sequences of records (tables).
/// </summary>
public sealed class FormatterRegistry
{
    private readonly List<(Func<object, bool> Applies, Func<object, IReadOnlyDictionary<string, string>> Format)> _formatters = [];

    /// <summary>Rows shown of a table before it is cut.</summary>
    public int MaxRows { get; set; } = 20;

    /// <summary>The registry with the built-in formatters.</summary>
    public static FormatterRegistry Default()
    {
        var r = new FormatterRegistry();
        r.Register(o => o.GetType().FullName == "Plotly.NET.GenericChart" || o.GetType().BaseType?.FullName == "Plotly.NET.GenericChart", PlotlyFormatter.Format);
        r.Register(o => o is Microsoft.Data.Analysis.DataFrame, o => DataFrameHtml((Microsoft.Data.Analysis.DataFrame)o, r.MaxRows));
        r.Register(o => o.GetType().IsGenericType && o.GetType().GetGenericTypeDefinition().FullName == "Deedle.Frame`2", DeedleHtml);
        return r;
    }

    /// <summary>Adds a formatter (later registrations win).</summary>
    public void Register(Func<object, bool> applies, Func<object, IReadOnlyDictionary<string, string>> format) => _formatters.Insert(0, (applies, format));

    /// <summary>The MIME bundle of a value.</summary>
    public IReadOnlyDictionary<string, string> Format(object? value)
    {
        if (value is null) return new Dictionary<string, string> { ["text/plain"] = "null" };
        foreach (var (applies, format) in _formatters) if (applies(value)) return format(value);
        var t = value.GetType();
        if (t.GetMethod("ToMimeBundle", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { } mb && mb.Invoke(value, null) is IReadOnlyDictionary<string, string> bundle)
            return bundle;
        if (t.GetMethod("ToHtml", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { ReturnType: var rt } th && rt == typeof(string))
            return new Dictionary<string, string> { ["text/html"] = (string)th.Invoke(value, null)!, ["text/plain"] = value.ToString() ?? "" };
        if (value is string s) return new Dictionary<string, string> { ["text/plain"] = s };
        if (value is IEnumerable seq && IsRecordSequence(t, out var elem)) return RecordsHtml(seq, elem!, MaxRows);
        return new Dictionary<string, string> { ["text/plain"] = PlainText(value) };
    }

    private static string PlainText(object value) => value switch
    {
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e when value is not string => "[" + string.Join(", ", e.Cast<object?>().Take(100).Select(x => x is IFormattable ff ? ff.ToString(null, CultureInfo.InvariantCulture) : x?.ToString() ?? "null")) + "]",
        _ => value.ToString() ?? "",
    };

    private static bool IsRecordSequence(Type t, out Type? elem)
    {
        elem = t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        if (elem is null || elem.IsPrimitive || elem == typeof(string) || elem == typeof(decimal)) return false;
        return elem.GetProperties(BindingFlags.Public | BindingFlags.Instance).Length > 0 || elem.IsGenericType && elem.FullName!.StartsWith("System.ValueTuple", StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string> RecordsHtml(IEnumerable seq, Type elem, int maxRows)
    {
        var members = elem.FullName!.StartsWith("System.ValueTuple", StringComparison.Ordinal)
            ? elem.GetFields().Select(f => (f.Name, Get: (Func<object, object?>)f.GetValue)).ToArray()
            : elem.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).Select(p => (p.Name, Get: (Func<object, object?>)p.GetValue)).ToArray();
        var rows = seq.Cast<object?>().ToList();
        var html = new StringBuilder("<table><thead><tr>");
        var text = new StringBuilder(string.Join("\t", members.Select(m => m.Name))).Append('\n');
        foreach (var m in members) html.Append("<th>").Append(WebUtility.HtmlEncode(m.Name)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows.Take(maxRows))
        {
            html.Append("<tr>");
            var cells = members.Select(m => row is null ? "" : Cell(m.Get(row))).ToArray();
            foreach (var c in cells) html.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            html.Append("</tr>");
            text.Append(string.Join("\t", cells)).Append('\n');
        }
        html.Append("</tbody></table>");
        if (rows.Count > maxRows) { html.Append($"<p>({rows.Count} rows; first {maxRows} shown)</p>"); text.Append($"({rows.Count} rows; first {maxRows} shown)\n"); }
        return new Dictionary<string, string> { ["text/html"] = html.ToString(), ["text/plain"] = text.ToString() };
    }

    private static string Cell(object? v) => v switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static IReadOnlyDictionary<string, string> DataFrameHtml(Microsoft.Data.Analysis.DataFrame df, int maxRows)
    {
        var html = new StringBuilder("<table><thead><tr><th></th>");
        var text = new StringBuilder();
        foreach (var c in df.Columns) html.Append("<th>").Append(WebUtility.HtmlEncode(c.Name)).Append("</th>");
        text.Append(string.Join("\t", df.Columns.Select(c => c.Name))).Append('\n');
        html.Append("</tr></thead><tbody>");
        long n = Math.Min(df.Rows.Count, maxRows);
        for (long i = 0; i < n; i++)
        {
            html.Append("<tr><td>").Append(i).Append("</td>");
            var cells = df.Columns.Select(c => Cell(c[i])).ToArray();
            foreach (var c in cells) html.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            html.Append("</tr>");
            text.Append(string.Join("\t", cells)).Append('\n');
        }
        html.Append("</tbody></table><p>").Append(df.Rows.Count).Append(" rows × ").Append(df.Columns.Count).Append(" columns</p>");
        text.Append($"{df.Rows.Count} rows × {df.Columns.Count} columns\n");
        return new Dictionary<string, string> { ["text/html"] = html.ToString(), ["text/plain"] = text.ToString() };
    }

    private static IReadOnlyDictionary<string, string> DeedleHtml(object frame)
    {
        // Deedle's own conversion to a DataTable (row keys as the first column), rendered as a static table.
        var args = frame.GetType().GetGenericArguments();
        var toTable = typeof(Deedle.FrameExtensions).GetMethods().First(m => m.Name == "ToDataTable" && m.GetParameters().Length == 2).MakeGenericMethod(args);
        using var table = (System.Data.DataTable)toTable.Invoke(null, [frame, new[] { "key" }])!;
        const int max = 20;
        var html = new StringBuilder("<table><thead><tr>");
        var text = new StringBuilder();
        foreach (System.Data.DataColumn c in table.Columns) html.Append("<th>").Append(WebUtility.HtmlEncode(c.ColumnName)).Append("</th>");
        text.Append(string.Join("\t", table.Columns.Cast<System.Data.DataColumn>().Select(c => c.ColumnName))).Append('\n');
        html.Append("</tr></thead><tbody>");
        for (int i = 0; i < Math.Min(max, table.Rows.Count); i++)
        {
            var cells = table.Rows[i].ItemArray.Select(v => v is DBNull ? "" : Cell(v)).ToArray();
            html.Append("<tr>");
            foreach (var c in cells) html.Append("<td>").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            html.Append("</tr>");
            text.Append(string.Join("\t", cells)).Append('\n');
        }
        html.Append("</tbody></table><p>").Append(table.Rows.Count).Append(" rows × ").Append(table.Columns.Count - 1).Append(" columns</p>");
        text.Append($"{table.Rows.Count} rows × {table.Columns.Count - 1} columns\n");
        return new Dictionary<string, string> { ["text/html"] = html.ToString(), ["text/plain"] = text.ToString() };
    }
}

/// <summary>Plotly.NET charts as MIME bundles, and plotly.js from the Plotly.NET assembly (offline, no CDN).</summary>
public static class PlotlyFormatter
{
    /// <summary>The figure JSON of a Plotly.NET GenericChart.</summary>
    public static string FigureJson(object chart)
    {
        var t = Type.GetType("Plotly.NET.GenericChart, Plotly.NET") ?? chart.GetType();
        var m = t.GetMethod("toFigureJson", BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException("Plotly.NET GenericChart.toFigureJson not found.");
        return (string)m.Invoke(null, [chart])!;
    }

    /// <summary>application/vnd.plotly.v1+json (the figure), text/html (a div drawn by a page-level plotly.js) and text/plain.</summary>
    public static IReadOnlyDictionary<string, string> Format(object chart)
    {
        var fig = FigureJson(chart);
        // The id derives from the figure, so re-running a notebook gives the same bytes.
        var id = "plotly-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(fig)))[..16].ToLowerInvariant();
        var html = $"<div id=\"{id}\" class=\"plotly-chart\" style=\"width:100%;height:450px\"></div>\n<script type=\"text/javascript\">(function(){{var fig={fig};function draw(){{Plotly.newPlot('{id}',fig.data,fig.layout,Object.assign({{responsive:true}},fig.config||{{}}));}}if(window.Plotly){{draw();}}else{{window.addEventListener('load',function(){{if(window.Plotly)draw();}});}}}})();</script>";
        return new Dictionary<string, string>
        {
            ["application/vnd.plotly.v1+json"] = fig,
            ["text/html"] = html,
            ["text/plain"] = "Plotly chart",
        };
    }

    /// <summary>plotly.min.js as shipped inside the Plotly.NET assembly.</summary>
    public static string PlotlyJs()
    {
        var asm = Type.GetType("Plotly.NET.GenericChart, Plotly.NET")?.Assembly ?? AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "Plotly.NET");
        var name = asm.GetManifestResourceNames().FirstOrDefault(n => n.Contains("plotly", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".js", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("plotly.js is not embedded in this Plotly.NET assembly.");
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
