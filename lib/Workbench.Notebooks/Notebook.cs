using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks;

/// <summary>
/// A Jupyter notebook (nbformat 4.5) held as its JSON tree, so that metadata this library does
/// not know is preserved. Cells are views over the tree. <see cref="ToJson"/> writes as Jupyter's
/// nbformat does (sorted keys, one-space indent, non-ASCII kept, trailing newline), so an
/// unchanged notebook round-trips to the same bytes.
/// </summary>
public sealed class Notebook
{
    private readonly JsonObject _root;

    private Notebook(JsonObject root) { _root = root; }

    /// <summary>The notebook's JSON tree (live).</summary>
    public JsonObject Root => _root;

    /// <summary>Cells in order.</summary>
    public IReadOnlyList<Cell> Cells => ((JsonArray)_root["cells"]!).Select((c, i) => new Cell((JsonObject)c!, i)).ToArray();

    /// <summary>
    /// Reads a notebook from JSON text; throws <see cref="FormatException"/> naming the JSON path, the rule and the value
    /// of the first problem. What nbformat 4's schema requires is required: <c>nbformat</c> (4), <c>nbformat_minor</c>,
    /// <c>metadata</c> and <c>cells</c>; per cell <c>cell_type</c>, <c>metadata</c> and <c>source</c> (and <c>id</c> from
    /// nbformat 4.5), per code cell also <c>outputs</c> and <c>execution_count</c>; per output an <c>output_type</c> of
    /// <c>stream</c>, <c>display_data</c>, <c>execute_result</c> or <c>error</c> with that type's fields.
    /// </summary>
    public static Notebook Parse(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new FormatException($"Not a notebook: invalid JSON ({ex.Message})."); }
        if (node is not JsonObject root) throw new FormatException("Not a notebook: the top level is not a JSON object.");
        if (root["nbformat"] is not JsonNode nbformat)
            throw Missing("$.nbformat", "the whole number 4");
        if (!(nbformat is JsonValue v && v.TryGetValue<int>(out int major))) throw Invalid("$.nbformat", "must be the whole number 4", nbformat);
        if (major != 4) throw new FormatException($"Unsupported nbformat {major}; Workbench reads nbformat 4.");
        if (root["nbformat_minor"] is not JsonNode minorNode) throw Missing("$.nbformat_minor", "a whole number, 0 or more");
        if (!(minorNode is JsonValue mv && mv.TryGetValue<int>(out int minor) && minor >= 0))
            throw Invalid("$.nbformat_minor", "must be a whole number, 0 or more", minorNode);
        if (!root.ContainsKey("metadata")) throw Missing("$.metadata", "an object");
        if (root["metadata"] is not JsonObject) throw Invalid("$.metadata", "must be an object", root["metadata"]);
        if (!root.ContainsKey("cells")) throw Missing("$.cells", "an array of cells");
        if (root["cells"] is not JsonArray cells) throw Invalid("$.cells", "must be an array of cells", root["cells"]);
        for (int i = 0; i < cells.Count; i++)
        {
            var at = $"$.cells[{i}]";
            if (cells[i] is not JsonObject c) throw Invalid(at, "must be an object (a cell)", cells[i]);
            if (!c.ContainsKey("cell_type")) throw Missing(at + ".cell_type", "\"code\", \"markdown\" or \"raw\"");
            if (!(c["cell_type"] is JsonValue t && t.TryGetValue<string>(out var type) && type is "code" or "markdown" or "raw"))
                throw Invalid(at + ".cell_type", "must be \"code\", \"markdown\" or \"raw\"", c["cell_type"]);
            if (c.ContainsKey("id") || minor >= 5)
            {
                if (!c.ContainsKey("id")) throw Missing(at + ".id", "from nbformat 4.5 on, a string of 1 to 64 letters, digits, '-' or '_'");
                if (!(c["id"] is JsonValue idv && idv.TryGetValue<string>(out var id) && CellId.IsMatch(id)))
                    throw Invalid(at + ".id", "must be a string of 1 to 64 letters, digits, '-' or '_'", c["id"]);
            }
            if (!c.ContainsKey("metadata")) throw Missing(at + ".metadata", "an object");
            if (c["metadata"] is not JsonObject) throw Invalid(at + ".metadata", "must be an object", c["metadata"]);
            if (c["metadata"]?["tags"] is JsonNode tags && !(tags is JsonArray ts && ts.All(IsString))) throw Invalid(at + ".metadata.tags", "must be an array of strings", tags);
            if (!c.ContainsKey("source")) throw Missing(at + ".source", "a string or an array of strings");
            if (!IsMultiline(c["source"])) throw Invalid(at + ".source", "must be a string or an array of strings", c["source"]);
            if (type != "code") continue;
            if (!c.ContainsKey("outputs")) throw Missing(at + ".outputs", "an array of outputs");
            if (c["outputs"] is not JsonArray outs) throw Invalid(at + ".outputs", "must be an array of objects", c["outputs"]);
            if (!c.ContainsKey("execution_count")) throw Missing(at + ".execution_count", "null or a whole number");
            if (c["execution_count"] is JsonNode n && !(n is JsonValue nv && nv.TryGetValue<int>(out _)))
                throw Invalid(at + ".execution_count", "must be null or a whole number", n);
            for (int k = 0; k < outs.Count; k++) CheckOutput(outs[k], $"{at}.outputs[{k}]");
        }
        return new Notebook(root);
    }

    /// <summary>The output types of nbformat 4 and the fields each requires besides <c>output_type</c>.</summary>
    private static readonly Dictionary<string, string[]> OutputFields = new(StringComparer.Ordinal)
    {
        ["stream"] = ["name", "text"],
        ["display_data"] = ["data", "metadata"],
        ["execute_result"] = ["data", "metadata", "execution_count"],
        ["error"] = ["ename", "evalue", "traceback"],
    };

    private static void CheckOutput(JsonNode? node, string at)
    {
        if (node is not JsonObject o) throw Invalid(at, "must be an object (an output)", node);
        if (!o.ContainsKey("output_type")) throw Missing(at + ".output_type", "\"stream\", \"display_data\", \"execute_result\" or \"error\"");
        if (!(o["output_type"] is JsonValue t && t.TryGetValue<string>(out var type) && OutputFields.TryGetValue(type, out var fields)))
            throw Invalid(at + ".output_type", "must be \"stream\", \"display_data\", \"execute_result\" or \"error\"", o["output_type"]);
        foreach (var f in fields)
        {
            var path = $"{at}.{f}";
            if (!o.ContainsKey(f)) throw Missing(path, $"every {type} output has it");
            var value = o[f];
            switch (f)
            {
                case "name" when !IsString(value):
                    throw Invalid(path, "must be a string (\"stdout\" or \"stderr\")", value);
                case "text" when !IsMultiline(value):
                    throw Invalid(path, "must be a string or an array of strings", value);
                case "metadata" when value is not JsonObject:
                    throw Invalid(path, "must be an object", value);
                case "data" when value is not JsonObject:
                    throw Invalid(path, "must be an object (a MIME bundle)", value);
                case "data":
                    // A MIME bundle: JSON types may hold any JSON, every other type a string or an array of strings.
                    foreach (var (mime, content) in value.AsObject())
                        if (!JsonMime.IsMatch(mime) && !IsMultiline(content))
                            throw Invalid($"{path}[\"{mime}\"]", "must be a string or an array of strings", content);
                    break;
                case "execution_count" when value is not null && !(value is JsonValue ev && ev.TryGetValue<int>(out _)):
                    throw Invalid(path, "must be null or a whole number", value);
                case "ename" or "evalue" when !IsString(value):
                    throw Invalid(path, "must be a string", value);
                case "traceback" when !(value is JsonArray tb && tb.All(IsString)):
                    throw Invalid(path, "must be an array of strings", value);
            }
        }
    }

    private static readonly System.Text.RegularExpressions.Regex CellId = new("^[a-zA-Z0-9_-]{1,64}$");
    private static readonly System.Text.RegularExpressions.Regex JsonMime = new(@"^application/(.*\+)?json$");

    private static bool IsString(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out _);

    private static bool IsMultiline(JsonNode? n) => IsString(n) || n is JsonArray lines && lines.All(IsString);

    private static FormatException Invalid(string path, string rule, JsonNode? got)
    {
        var text = got?.ToJsonString() ?? "null";
        if (text.Length > 60) text = text[..60] + " ...";
        return new FormatException($"Not a notebook: {path} {rule}; got {text}.");
    }

    private static FormatException Missing(string path, string rule) =>
        new($"Not a notebook: {path} is missing; nbformat 4 requires it ({rule}).");

    /// <summary>Strict UTF-8: an invalid byte sequence throws instead of becoming U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads a notebook file: UTF-8 (a leading byte-order mark is skipped), refused with the byte offset of the first
    /// invalid sequence when it is not valid UTF-8, then <see cref="Parse"/>d.
    /// </summary>
    public static Notebook Load(string path) => Parse(DecodeUtf8(File.ReadAllBytes(path)));

    /// <summary>Decodes the bytes of a notebook file as strict UTF-8 (see <see cref="Load"/>).</summary>
    public static string DecodeUtf8(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        int skip = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try { return StrictUtf8.GetString(bytes, skip, bytes.Length - skip); }
        catch (DecoderFallbackException ex)
        {
            long offset = skip + (long)ex.Index;
            var bad = string.Join(" ", (ex.BytesUnknown ?? []).Select(b => "0x" + b.ToString("X2", CultureInfo.InvariantCulture)));
            throw new FormatException($"Not a notebook: the file is not valid UTF-8: the byte sequence {bad} at byte offset {offset.ToString("N0", CultureInfo.InvariantCulture)} is not UTF-8 (notebooks are UTF-8 text).");
        }
    }

    /// <summary>A new empty C# notebook with the metadata of shared/DESIGN.md.</summary>
    public static Notebook Create()
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = NotebookFormat.KernelName },
                ["language_info"] = new JsonObject { ["file_extension"] = ".cs", ["mimetype"] = "text/x-csharp", ["name"] = "C#", ["pygments_lexer"] = "csharp", ["version"] = "13.0" },
                ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp", ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }) } },
            },
            ["nbformat"] = NotebookFormat.Major,
            ["nbformat_minor"] = NotebookFormat.Minor,
        };
        return new Notebook(root);
    }

    /// <summary>Appends a cell; code cells carry both Polyglot metadata keys. Ids are deterministic (cell index based).</summary>
    public Cell AddCell(string type, string source, IEnumerable<string>? tags = null)
    {
        var cells = (JsonArray)_root["cells"]!;
        var meta = new JsonObject();
        if (type == "code")
        {
            meta["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" };
            meta["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" };
        }
        if (tags is not null) meta["tags"] = new JsonArray(tags.Select(t => (JsonNode)t!).ToArray());
        var cell = new JsonObject
        {
            ["cell_type"] = type,
            ["id"] = $"cell-{cells.Count:D3}",
            ["metadata"] = meta,
            ["source"] = SourceLines(source),
        };
        if (type == "code") { cell["execution_count"] = null; cell["outputs"] = new JsonArray(); }
        cells.Add(cell);
        return new Cell(cell, cells.Count - 1);
    }

    internal static JsonArray SourceLines(string text)
    {
        var arr = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { arr.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) arr.Add(text[start..]);
        return arr;
    }

    /// <summary>The text of a multi-line string field (<c>source</c>, a stream's <c>text</c>, a MIME bundle's text): nbformat stores it as one string or a list of lines.</summary>
    public static string JoinSource(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(x => x?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>A deep copy.</summary>
    public Notebook Clone() => new((JsonObject)_root.DeepClone());

    /// <summary>The notebook as Jupyter writes it.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder();
        WriteNode(sb, _root, 0);
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// Writes the notebook file atomically: through a temporary file in the same folder, renamed over the target when
    /// complete and deleted when the write fails. The temporary file is named as Workbench.Tables.AtomicFile names its own
    /// (<c>.wbtmp-PID-RANDOM-NAME</c>), so that one left by a killed process is removed by the next atomic write to the folder.
    /// </summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".wbtmp-{Environment.ProcessId}-{Guid.NewGuid():N}-{Path.GetFileName(full)}");
        try
        {
            File.WriteAllText(tmp, ToJson(), new UTF8Encoding(false));
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    // Python's json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False), which nbformat uses.
    private static void WriteNode(StringBuilder sb, JsonNode? node, int indent)
    {
        switch (node)
        {
            case null: sb.Append("null"); break;
            case JsonObject o:
                if (o.Count == 0) { sb.Append("{}"); break; }
                sb.Append("{\n");
                var keys = o.Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
                for (int i = 0; i < keys.Count; i++)
                {
                    sb.Append(' ', indent + 1);
                    WriteString(sb, keys[i]);
                    sb.Append(": ");
                    WriteNode(sb, o[keys[i]], indent + 1);
                    if (i < keys.Count - 1) sb.Append(',');
                    sb.Append('\n');
                }
                sb.Append(' ', indent).Append('}');
                break;
            case JsonArray a:
                if (a.Count == 0) { sb.Append("[]"); break; }
                sb.Append("[\n");
                for (int i = 0; i < a.Count; i++)
                {
                    sb.Append(' ', indent + 1);
                    WriteNode(sb, a[i], indent + 1);
                    if (i < a.Count - 1) sb.Append(',');
                    sb.Append('\n');
                }
                sb.Append(' ', indent).Append(']');
                break;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: WriteString(sb, v.GetValue<string>()); break;
                    case JsonValueKind.True: sb.Append("true"); break;
                    case JsonValueKind.False: sb.Append("false"); break;
                    case JsonValueKind.Number: sb.Append(v.ToJsonString()); break;
                    default: sb.Append(v.ToJsonString()); break;
                }
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}

/// <summary>A view over one cell of a <see cref="Notebook"/>.</summary>
public sealed class Cell
{
    internal Cell(JsonObject json, int index) { Json = json; Index = index; }

    /// <summary>The cell's JSON (live).</summary>
    public JsonObject Json { get; }
    /// <summary>Position in the notebook (0-based).</summary>
    public int Index { get; }
    /// <summary>"code", "markdown" or "raw".</summary>
    public string Type => Json["cell_type"]!.GetValue<string>();
    /// <summary>The source text.</summary>
    public string Source { get => Notebook.JoinSource(Json["source"]); set => Json["source"] = Notebook.SourceLines(value); }
    /// <summary>The cell's tags.</summary>
    public IReadOnlyList<string> Tags => Json["metadata"]?["tags"] is JsonArray t ? t.Select(x => x!.GetValue<string>()).ToArray() : [];

    /// <summary>
    /// The cell's language: from the Polyglot metadata (<c>polyglot_notebook.kernelName</c> or
    /// <c>dotnet_interactive.language</c>), a <c>#!csharp</c>/<c>#!markdown</c> first line, else C# for code cells.
    /// </summary>
    public string Language
    {
        get
        {
            if (Type != "code") return Type;
            var first = Source.Split('\n', 2)[0].Trim();
            if (first.StartsWith("#!", StringComparison.Ordinal)) return first[2..] switch { "csharp" or "c#" => "csharp", var other => other };
            var k = Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                ?? Json["metadata"]?["dotnet_interactive"]?["language"]?.GetValue<string>();
            return k ?? "csharp";
        }
    }
}
